/*
 * Stories without page reloads. Every step is still an ordinary page (and works without
 * JavaScript); this only fetches the next step from the same site and swaps it in.
 */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.history) return;

  function swap(html, url) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var incoming = next.querySelector("[data-story]");
    var current = document.querySelector("[data-story]");
    if (!incoming || !current) {
      window.location.replace(url);
      return;
    }
    current.replaceWith(incoming);
    document.title = next.title;
    // Replace, never push: the site leaves no trail in Back (see exit.js).
    history.replaceState({ story: true }, "", url);
    var heading = incoming.querySelector("h1");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
    window.scrollTo(0, 0);
  }

  function go(url) {
    fetch(url, { credentials: "omit", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) { swap(html, url); })
      .catch(function () { window.location.replace(url); });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-story-link]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    go(link.href);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-story-form]");
    if (!form) return;
    event.preventDefault();
    var query = new URLSearchParams(new FormData(form)).toString();
    go(form.action + (query ? "?" + query : ""));
  });

})();
