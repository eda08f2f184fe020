/*
 * Exit this page: the GOV.UK Design System pattern, plus removing the page from Back.
 * Without JavaScript the buttons are ordinary links to /exit/. With it, the page is blanked at
 * once and left with location.replace(), so pressing Back does not bring it back.
 * Shift pressed three times (within 5 seconds of each other) exits too.
 */
(function () {
  "use strict";
  var doc = document.documentElement;
  doc.className = doc.className.replace("no-js", "js");

  var module, statusRegion, indicator, overlay;
  var presses = 0;
  var timer = null;
  var shiftUsedAsModifier = false;
  var exitHref = "/exit/";

  function text(name) {
    return (module && module.getAttribute("data-i18n-" + name)) || "";
  }

  function announce(message) {
    if (statusRegion) statusRegion.textContent = message;
  }

  function showPresses() {
    if (!indicator) return;
    indicator.hidden = presses === 0;
    var lights = indicator.children;
    for (var i = 0; i < lights.length; i++) {
      lights[i].className = i < presses ? "on" : "";
    }
  }

  function reset() {
    presses = 0;
    if (timer) window.clearTimeout(timer);
    timer = null;
    showPresses();
  }

  function leave(event) {
    if (event) event.preventDefault();
    // Blank the page first: on a slow connection the next page may take a while.
    doc.classList.add("exiting");
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.className = "exit-overlay";
      overlay.setAttribute("role", "alert");
      overlay.textContent = text("loading");
      document.body.appendChild(overlay);
    }
    // replace() swaps this page's history entry for the neutral site's.
    window.location.replace(exitHref);
  }

  function onKeyDown(event) {
    if (event.key === "Shift") {
      shiftUsedAsModifier = false;
      return;
    }
    // Any other key (Shift+A for a capital, or a plain letter) is not a press of Shift alone.
    shiftUsedAsModifier = event.shiftKey;
    if (presses > 0) reset();
  }

  function onKeyUp(event) {
    if (event.key !== "Shift" || shiftUsedAsModifier) return;
    presses += 1;
    showPresses();
    if (presses >= 3) {
      reset();
      leave();
      return;
    }
    announce(presses === 1 ? text("press-two") : text("press-one"));
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      reset();
      announce(text("expired"));
    }, 5000);
  }

  function init() {
    module = document.querySelector("[data-exit-module]");
    statusRegion = document.querySelector("[data-exit-status]");
    indicator = document.querySelector("[data-exit-indicator]");
    var links = document.querySelectorAll("[data-exit]");
    for (var i = 0; i < links.length; i++) {
      exitHref = links[i].getAttribute("href") || exitHref;
      links[i].addEventListener("click", leave);
    }
    document.addEventListener("keyup", onKeyUp, true);
    document.addEventListener("keydown", onKeyDown, true);
    // If the browser restores this page from its cache, make it usable again.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        doc.classList.remove("exiting");
        if (overlay) overlay.remove();
        overlay = null;
        reset();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
