// 研判参考: "选用" fills the dispatch form's department with a suggested one (no inline script: CSP).
// The select may be enhanced into a searchable box (qifu/department-select.js): set it through it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-fill-department]");
  if (!button) return;
  const select = document.getElementById("id_dispatch-department");
  if (!select) return;
  const value = button.dataset.fillDepartment;
  if (select.tomselect) {
    select.tomselect.setValue(value);
    select.tomselect.focus();
  } else {
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    select.focus();
  }
});
