// The CMS, for editors: (1) what is pasted into a rich text editor from Word or Google Docs
// is cleaned by the server first (seethesigns/website/paste.py): hidden text goes, tables and
// lists keep their shape; a pasted table can be added as a table block after the part of the
// page it was pasted into, or pasted as paragraphs; (2) a long list of sources to tick gets a
// box to search it.
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
        var place = cleaned.tables && cleaned.tables.length ? tablePlace(target) : null;
        if (place) offerTables(target, place, cleaned, text);
        else pasteInto(target, cleaned.html, text);
      })
      .catch(function () {
        // Plain text rather than HTML that may hide text or run a table together.
        pasteInto(target, "", text);
      });
  }

  // Where a table block can go: after the block of a page's body (a StreamField whose blocks
  // include "table") that holds the rich text pasted into. Elsewhere (a snippet's text, the
  // introduction) there is no table block, and the cells are pasted as paragraphs.
  function tablePlace(target) {
    for (var el = target; el; el = el.parentElement) {
      var root = el.rootBlock;
      if (!root) continue;
      if (!root.blockDef.childBlockDefsByName || !root.blockDef.childBlockDefsByName.table) return null;
      for (var i = 0; i < root.children.length; i += 1) {
        if (root.children[i].element.contains(target)) return { stream: root, index: i };
      }
      return null;
    }
    return null;
  }

  function describe(table) {
    var words = table.rows + (table.rows === 1 ? " row" : " rows") + ", " + table.columns +
      (table.columns === 1 ? " column" : " columns");
    var headings = table.headings.filter(Boolean);
    return words + (headings.length ? " headed " + headings.join(", ") : "");
  }

  function button(label, primary) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = primary ? "button" : "button button-secondary";
    b.textContent = label;
    return b;
  }

  // Ask, next to the editor, whether the tables go in as table blocks or as paragraphs.
  // Nothing is pasted until the editor chooses; either way nothing pasted is lost.
  function offerTables(target, place, cleaned, text) {
    var editor = target.closest(".Draftail-Editor");
    var editable = editor.querySelector("[contenteditable=true]");
    var count = cleaned.tables.length;
    var box = document.createElement("div");
    box.className = "paste-table";
    box.setAttribute("role", "group");
    box.id = "paste-table-" + Date.now();
    box.setAttribute("aria-labelledby", box.id + "-title");
    var title = document.createElement("p");
    title.id = box.id + "-title";
    title.className = "paste-table__title";
    title.textContent = count === 1 ? "What you pasted holds a table" : "What you pasted holds " + count + " tables";
    var details = document.createElement("p");
    details.textContent = cleaned.tables.map(describe).join("; ") + ". " +
      "Add it as a table after this part of the page (the text around it stays here), " +
      "or paste its cells here as paragraphs.";
    var asTable = button(count === 1 ? "Add as a table" : "Add as tables", true);
    var asText = button("Paste its cells as paragraphs", false);
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    status.className = "paste-table__status";
    box.append(title, details, asTable, asText);
    editor.parentNode.insertBefore(box, editor.nextSibling);
    editor.parentNode.insertBefore(status, box.nextSibling);
    asTable.focus();

    function done(html) {
      box.remove();
      editable.focus();
      if (html) pasteInto(editable, html, text);
    }
    asTable.addEventListener("click", function () {
      done(cleaned.html_without_tables);
      cleaned.tables.forEach(function (table, k) {
        var id = window.crypto && window.crypto.randomUUID ? window.crypto.randomUUID() : null;
        place.stream.insert({ type: "table", value: table.state, id: id }, place.index + 1 + k, { animate: true });
      });
      status.textContent = (count === 1 ? "Table added" : count + " tables added") +
        " after this part of the page. Give " + (count === 1 ? "it" : "each") + " a caption saying what it shows.";
    });
    asText.addEventListener("click", function () {
      done(cleaned.html);
      status.textContent = "The table's cells are pasted as paragraphs.";
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") asText.click();
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
