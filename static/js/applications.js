// The application form: after the first submit the button is disabled, so an impatient second
// click does not send the form again (the server also refuses a second use of the invitation).
document.querySelectorAll("form").forEach(function (form) {
  var button = form.querySelector("button[data-once]");
  if (!button) { return; }
  form.addEventListener("submit", function () {
    window.setTimeout(function () {
      button.disabled = true;
      button.textContent = "Sending…";
    }, 0);
  });
});
