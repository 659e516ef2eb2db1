// The club's one script on every page (its own; no third party). Small helps for keyboard and
// screen-reader users; every page works without it.
// The words this script writes come from the page (data-text-* on <body>, in the reader's
// language); English when a page has none.
function clubText(name, fallback) {
  var value = document.body && document.body.getAttribute("data-text-" + name);
  return value || fallback;
}

(function () {
  // After a failed submit the page comes back with an error summary (role=alert): focus moves to
  // it, and each of its links puts the focus in the field it names.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // A one-field form (data-focus-invalid) has no summary: the field in error takes the focus, and
  // reads its error through aria-describedby.
  var invalid = document.querySelector("form[data-focus-invalid] [aria-invalid='true']");
  if (!summary && invalid) { invalid.focus(); }
  document.querySelectorAll("[data-error-summary] a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    });
  });

  // A wide table scrolls sideways inside its box on a phone: the box can then take the focus, so
  // it scrolls with the arrow keys too, and is named after its table for screen readers.
  function labelScrollers() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
        if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); }
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          var caption = box.querySelector("caption");
          var section = box.closest("section");
          var heading = section ? section.querySelector("h2, h3") : document.querySelector("h1");
          var name = caption ? caption.textContent : (heading ? heading.textContent : clubText("table", "Table"));
          box.setAttribute("aria-label", clubText("scrolls", "{name} (scrolls sideways)").replace("{name}", name.trim()));
        }
      }
    });
  }
  labelScrollers();
  window.addEventListener("resize", labelScrollers);
})();

// A "Copy" button (data-copy="<id of a field>") copies that field's text; shown only where it works.
(function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector("[data-copy-status]");
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      field.select();
      var done = function () { if (status) { status.textContent = status.getAttribute("data-copied") || clubText("copied", "Copied."); } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();

// A form that undoes something (data-confirm-first="question") asks once more before it is sent.
(function () {
  document.querySelectorAll("form[data-confirm-first]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm-first"))) { event.preventDefault(); }
    });
  });
})();

// A long ticked list (data-list-filter="<id of its list>"): a search box above it hides the
// entries whose label does not contain what is typed. Ticked entries always stay in view, so a
// choice is never hidden. Without this script the whole list is there to tick.
(function () {
  document.querySelectorAll("[data-list-filter]").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("data-list-filter"));
    var input = box.querySelector("input");
    var status = box.querySelector("[data-list-filter-status]");
    if (!list || !input) { return; }
    box.hidden = false;
    input.addEventListener("input", function () {
      var wanted = input.value.trim().toLowerCase();
      var shown = 0;
      list.querySelectorAll("li").forEach(function (item) {
        var tick = item.querySelector("input");
        var visible = !wanted || (tick && tick.checked) || item.textContent.toLowerCase().indexOf(wanted) !== -1;
        item.hidden = !visible;
        if (visible) { shown += 1; }
      });
      if (status) { status.textContent = shown ? "" : status.getAttribute("data-none"); }
    });
  });
})();
