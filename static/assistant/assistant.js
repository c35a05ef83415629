// 我要咨询: after htmx appended an exchange, clear the question box, put away the starting
// suggestions (热门问题, categories) and keep the new exchange in view.
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.detail.elt;
  if (!form || !form.matches || !event.detail.successful) return;
  if (!form.matches("form[data-assistant-ask], form[data-assistant-pick]")) return;
  if (form.matches("form[data-assistant-ask]")) form.reset();
  var start = document.getElementById("assistant-start");
  if (start) start.remove();
  var exchanges = document.getElementById("assistant-exchanges");
  if (exchanges && exchanges.lastElementChild) exchanges.lastElementChild.scrollIntoView({ block: "nearest" });
});
