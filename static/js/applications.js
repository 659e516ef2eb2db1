// The application form: after the first submit the button is disabled, so an impatient second
// click does not send the form again (the server also refuses a second use of the invitation).
document.querySelectorAll("form").forEach(function (form) {
  var button = form.querySelector("button[data-once]");
  if (!button) { return; }
  form.addEventListener("submit", function () {
    window.setTimeout(function () {
      button.disabled = true;
      // The page's words: the button's own data-sending, else the one every page carries (base.html).
      button.textContent = button.getAttribute("data-sending") ||
        (document.body && document.body.getAttribute("data-text-sending")) || "Sending…";
    }, 0);
  });
});

// Withdrawing an application cannot be undone: ask once more before sending the form.
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
});
