// The CMS, for editors: (1) what is pasted into a rich text editor from Word or Google Docs
// is cleaned by the server first (seethesigns/website/paste.py): hidden text goes, tables and
// lists keep their shape; (2) a long list of sources to tick gets a box to search it.
(function () {
  "use strict";

  var script = document.currentScript;
  var cleanUrl = script && script.dataset.cleanPaste;
  var ours = new WeakSet();

  function config() {
    var element = document.getElementById("wagtail-config");
    return element ? JSON.parse(element.textContent) : {};
  }

  function pasteInto(target, html, text) {
    var data = new DataTransfer();
    if (html) data.setData("text/html", html);
    data.setData("text/plain", text);
    var event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
    ours.add(event);
    target.dispatchEvent(event);
  }

  function onPaste(event) {
    if (ours.has(event) || !cleanUrl || !event.clipboardData) return;
    var target = event.target instanceof Element ? event.target : event.target.parentElement;
    if (!target || !target.closest(".Draftail-Editor")) return;
    var html = event.clipboardData.getData("text/html");
    var text = event.clipboardData.getData("text/plain");
    // Text copied inside the CMS (Draftail's own) or plain text needs no cleaning.
    if (!html || html.indexOf("data-draftjs-conductor-fragment") !== -1) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var settings = config();
    var headers = {};
    headers[settings.CSRF_HEADER_NAME || "X-CSRFToken"] = settings.CSRF_TOKEN || "";
    var body = new FormData();
    body.append("html", html);
    fetch(cleanUrl, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (cleaned) {
        pasteInto(target, cleaned.html, text);
      })
      .catch(function () {
        // Plain text rather than HTML that may hide text or run a table together.
        pasteInto(target, "", text);
      });
  }

  // Before the editor's own handler, which listens further down.
  document.addEventListener("paste", onPaste, true);

  function searchable(container) {
    var items = Array.prototype.slice.call(container.querySelectorAll("label"));
    var box = document.createElement("input");
    box.type = "search";
    box.className = "w-field__input";
    box.setAttribute("aria-label", "Search the sources");
    box.placeholder = "Type to find a source (organisation, title or year)";
    box.setAttribute("aria-controls", container.id);
    var count = document.createElement("p");
    count.className = "help";
    count.setAttribute("aria-live", "polite");
    container.parentNode.insertBefore(box, container);
    container.parentNode.insertBefore(count, container);
    function filter() {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (label) {
        var input = label.querySelector("input");
        var words_found = words.every(function (w) {
          return label.textContent.toLowerCase().indexOf(w) !== -1;
        });
        var show = !words.length || words_found || (input && input.checked);
        (label.parentElement === container ? label : label.parentElement).hidden = !show;
        if (show) shown += 1;
      });
      count.textContent = words.length ? shown + " of " + items.length + " sources shown (ticked ones always are)" : "";
    }
    box.addEventListener("input", filter);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("div.searchable-choices[id]").forEach(searchable);
  });
})();
