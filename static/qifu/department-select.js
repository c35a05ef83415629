// Searchable department choice (qifu/accounts/widgets.py): every <select data-department-select>
// becomes a Tom Select box, groups kept; without this script it stays a grouped <select>.
// Buttons with data-department-suggestion="<value>" (e.g. suggested departments) pick that value.
(function () {
  if (typeof TomSelect === "undefined") return;
  document.querySelectorAll("select[data-department-select]").forEach(function (select) {
    var multiple = select.multiple;
    // Tom Select points the <label> at its own input; the original <select>, hidden but still
    // read by assistive technology, keeps its name through aria-label.
    var label = select.labels && select.labels[0];
    if (label && !select.getAttribute("aria-label")) {
      select.setAttribute("aria-label", label.textContent.trim());
    }
    var control = new TomSelect(select, {
      // One line for a single choice: its search box opens inside the dropdown.
      plugins: multiple ? ["remove_button"] : ["dropdown_input"],
      maxOptions: null,
      allowEmptyOption: !multiple && !select.required,
      placeholder: select.dataset.placeholder || "输入名称搜索",
      searchField: ["text", "short", "code"],
      render: {
        no_results: function () { return '<div class="no-results">没有找到该部门</div>'; },
      },
    });
    var form = select.form;
    if (!form) return;
    form.querySelectorAll("[data-department-suggestion]").forEach(function (button) {
      if (button.dataset.target && button.dataset.target !== select.name) return;
      button.addEventListener("click", function (event) {
        event.preventDefault();
        if (multiple) { control.addItem(button.dataset.departmentSuggestion); }
        else { control.setValue(button.dataset.departmentSuggestion); }
        control.focus();
      });
    });
  });
})();
