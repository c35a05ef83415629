// 研判参考: "选用" fills the dispatch form's department with a suggested one (no inline script: CSP).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-fill-department]");
  if (!button) return;
  const select = document.getElementById("id_dispatch-department");
  if (!select) return;
  select.value = button.dataset.fillDepartment;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  select.focus();
});
