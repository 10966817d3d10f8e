// Progressive enhancement only: every page works without this file.
// The copy-citation buttons: shown only when script runs; they copy the text the server put in
// data-citation (searchkit.render.plain_citation), so the citation style lives in one place.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function reveal(root) {
    root.querySelectorAll("button.copy[hidden]").forEach(function (b) { b.hidden = false; });
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function said(button, message) {
    var status = button.parentElement.querySelector(".copied");
    if (status) { status.textContent = message; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (!button) { return; }
    var text = button.getAttribute("data-citation") || "";
    button.setAttribute("data-copied", text);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { said(button, "Citation copied"); },
        function () { said(button, fallbackCopy(text) ? "Citation copied" : "Copy failed: select the citation by hand"); }
      );
    } else {
      said(button, fallbackCopy(text) ? "Citation copied" : "Copy failed: select the citation by hand");
    }
  });

  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  // After htmx swaps in a new page (boosted links and forms), show its buttons and move the
  // focus to the new content, as a page load would for a screen reader.
  document.addEventListener("htmx:afterSettle", function (event) {
    reveal(document);
    var main = document.getElementById("main");
    var hash = window.location.hash;
    var anchor = hash ? document.getElementById(hash.slice(1)) : null;
    if (anchor) {
      anchor.scrollIntoView();
    }
    if (main && event.detail && event.detail.boosted) {
      var field = event.detail.elt && event.detail.elt.tagName === "FORM";
      if (!field) { main.focus({ preventScroll: !!anchor }); }
    }
  });
})();
