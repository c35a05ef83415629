// 我要咨询: clear the question box after htmx appended the exchange, and keep it in view.
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.detail.elt;
  if (!form || !form.matches || !form.matches("form[data-assistant-ask]")) return;
  if (event.detail.successful) {
    form.reset();
    var exchanges = document.getElementById("assistant-exchanges");
    if (exchanges && exchanges.lastElementChild) exchanges.lastElementChild.scrollIntoView({ block: "nearest" });
  }
});
