/*
 * Exit this page: the GOV.UK Design System pattern, plus leaving no trail in Back.
 * Without JavaScript the buttons are ordinary links to /exit/. With it, the page is blanked at
 * once and left with location.replace(), so pressing Back does not bring it back.
 * Shift pressed three times (within 5 seconds of each other) exits too.
 *
 * Moving around the site replaces the history entry instead of adding one (links, and the
 * search form), so the whole visit is one entry: after an exit, Back lands on whatever came
 * before the site. The price: the browser's Back leaves the site too (docs/architecture.md).
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

  function sameSite(url) {
    return url.origin === window.location.origin && url.protocol.indexOf("http") === 0;
  }

  // Runs after every other click handler (it listens on window), so the stories' own handler,
  // which fetches the next step in place, goes first and this one sees defaultPrevented.
  function onClick(event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.hasAttribute("download") || (link.target && link.target !== "_self")) return;
    var url = new URL(link.href, window.location.href);
    if (!sameSite(url)) return;
    event.preventDefault();
    window.location.replace(url.href);
  }

  // A form marked data-replace is sent with fetch and its answer shown in place of <main>:
  // a search term stays out of the address and out of Back.
  function onSubmit(event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute || !form.hasAttribute("data-replace")) return;
    var url = new URL(form.action, window.location.href);
    if (!sameSite(url) || !window.fetch || !window.DOMParser) return;
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form, event.submitter || null));
    fetch(url.href, {
      method: "POST", body: body, credentials: "omit", headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        var main = next.querySelector("main");
        if (!main) throw new Error("no main");
        document.querySelector("main").replaceWith(main);
        document.title = next.title;
        history.replaceState(null, "", url.href);
        var heading = main.querySelector(".error-summary, h1");
        if (heading) {
          if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
        window.scrollTo(0, 0);
      })
      .catch(function () { form.submit(); });
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
    window.addEventListener("click", onClick);
    window.addEventListener("submit", onSubmit);
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
