// Bring the current item of the section menu into view when the menu scrolls sideways (phones).
(function () {
  var current = document.querySelector(".qifu-section-menu ul [aria-current='page']");
  var list = current && current.closest("ul");
  if (list && list.scrollWidth > list.clientWidth) {
    var offset = current.getBoundingClientRect().left - list.getBoundingClientRect().left;
    list.scrollLeft += offset - 16;
  }
})();
