// "获取验证码" without leaving the page: posts the phone only, then counts down 60 seconds.
// Without JavaScript the button submits the form to the same endpoint and the page reloads.
(function () {
  "use strict";
  var WAIT = 60;

  function countdown(button, label) {
    var left = WAIT;
    button.disabled = true;
    var timer = window.setInterval(function () {
      left -= 1;
      if (left <= 0) {
        window.clearInterval(timer);
        button.disabled = false;
        button.textContent = label;
      } else {
        button.textContent = left + "秒后可重新获取";
      }
    }, 1000);
    button.textContent = left + "秒后可重新获取";
  }

  document.querySelectorAll("button[data-send-code]").forEach(function (button) {
    var label = button.textContent;
    button.addEventListener("click", function (event) {
      var form = button.form;
      var status = form.querySelector("[data-send-code-status]");
      event.preventDefault();
      var body = new FormData();
      body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      body.append("phone", form.querySelector("[name=phone]").value);
      body.append("purpose", button.value);
      fetch(button.getAttribute("formaction"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            if (status) { status.textContent = data.detail; }
            if (response.ok) { countdown(button, label); }
          });
        })
        .catch(function () {
          if (status) { status.textContent = "网络异常，请稍后重试。"; }
        });
    });
  });
})();
