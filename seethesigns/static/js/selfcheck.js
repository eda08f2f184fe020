/*
 * The self-check, worked out on this device. With JavaScript nothing is sent to the server:
 * the form is never submitted. The rules are the same as seethesigns/selfcheck/rules.py.
 */
(function () {
  "use strict";
  var dataNode = document.getElementById("selfcheck-data");
  var article = document.querySelector("[data-selfcheck]");
  if (!dataNode || !article || !window.history || !window.fetch) return;
  var data = JSON.parse(dataNode.textContent);
  var FLAGS = ["danger", "disclosure"];

  function compute(answers) {
    var yes = [], notSure = [], urgent = false, score = 0;
    data.questions.forEach(function (q) {
      if (answers[q.id] === "yes") {
        yes.push(q.id);
        score += q.weight;
        if (FLAGS.indexOf(q.flag) !== -1) urgent = true;
      } else if (answers[q.id] === "not_sure") {
        notSure.push(q.id);
      }
    });
    var level = data.levels[data.levels.length - 1];
    for (var i = 0; i < data.levels.length; i++) {
      var lv = data.levels[i];
      var match;
      if (lv.id === "urgent") match = urgent;
      else if (lv.min_score !== null) match = score >= lv.min_score;
      else if (lv.min_not_sure !== null) match = score === 0 && notSure.length >= lv.min_not_sure;
      else match = true;
      if (match) { level = lv; break; }
    }
    return { level: level.id, urgent: urgent, yes: yes, not_sure: notSure, help: data.help[level.id] };
  }
  window.SeeTheSignsSelfCheck = { compute: compute };

  // Words come from the page (a <template>), so they can be translated like any other.
  var texts = {};
  var tpl = document.getElementById("selfcheck-text").content.querySelectorAll("[data-t]");
  for (var t = 0; t < tpl.length; t++) texts[tpl[t].getAttribute("data-t")] = tpl[t].textContent;

  var form = article.querySelector("[data-selfcheck-form]");
  if (!form) return;
  var answers = {};
  var step = 0;
  var fieldsets = form.querySelectorAll("[data-question]");

  function el(selector) { return article.querySelector(selector); }

  function radiosOf(index) {
    return fieldsets[index].querySelectorAll("input[type=radio]");
  }

  function clearError() {
    var summary = el(".error-summary");
    if (summary) summary.remove();
    var message = el(".error-message");
    if (message) message.remove();
    var wrong = el(".fieldset--error");
    if (wrong) wrong.classList.remove("fieldset--error");
  }

  // The danger step stays put away once someone has chosen to carry on.
  function dangerStepOpen() {
    var fs = fieldsets[step];
    if (!fs.hasAttribute("data-danger")) return false;
    var yes = fs.querySelector("input[value=yes]");
    var ack = fs.nextElementSibling && fs.nextElementSibling.querySelector("[data-danger-ack]");
    return yes.checked && ack && !ack.checked;
  }

  function showQuestion(index, focus) {
    clearError();
    step = index;
    for (var i = 0; i < fieldsets.length; i++) {
      fieldsets[i].hidden = i !== index;
      var danger = fieldsets[i].nextElementSibling;
      if (danger && danger.hasAttribute("data-danger-step")) danger.hidden = i !== index;
    }
    el("[data-progress]").textContent = texts.progress
      .replace("{number}", index + 1).replace("{total}", fieldsets.length);
    el("[data-back]").hidden = index === 0;
    var intro = el(".selfcheck__intro");
    if (intro) intro.hidden = index !== 0;
    // The site's own record of where someone is: the browser's history gets no new entry.
    history.replaceState({ step: index }, "");
    if (focus) {
      var text = fieldsets[index].querySelector("[data-question-text]");
      text.setAttribute("tabindex", "-1");
      text.focus();
    }
  }

  function showError() {
    clearError();
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    var link = document.createElement("a");
    link.href = "#" + radiosOf(step)[0].id;
    link.textContent = texts.error;
    var p = document.createElement("p");
    p.appendChild(link);
    summary.appendChild(p);
    form.parentNode.insertBefore(summary, form);
    fieldsets[step].classList.add("fieldset--error");
    summary.focus();
  }

  function next() {
    if (step + 1 < fieldsets.length) showQuestion(step + 1, true);
    else showResult();
  }

  function onSubmit(event) {
    event.preventDefault();
    var action = (event.submitter && event.submitter.value) || "next";
    var q = data.questions[step];
    if (action === "back") {
      showQuestion(Math.max(step - 1, 0), true);
      return;
    }
    if (action === "skip") {
      answers[q.id] = "skip";
      var radios = radiosOf(step);
      for (var i = 0; i < radios.length; i++) radios[i].checked = false;
    } else {
      var chosen = fieldsets[step].querySelector("input[type=radio]:checked");
      if (!chosen) { showError(); return; }
      answers[q.id] = chosen.value;
    }
    next();
  }

  function onChange(event) {
    var target = event.target;
    if (target.type === "radio" && dangerStepOpen()) {
      // A "yes" to danger now: the 999 step covers the page (CSS); take the reader to it.
      var title = fieldsets[step].nextElementSibling.querySelector(".danger-step__title");
      title.focus();
    } else if (target.hasAttribute("data-danger-ack") && target.checked) {
      answers[data.questions[step].id] = "yes";
      next();
    }
  }

  function contactsFor(slugs) {
    var out = [];
    slugs.forEach(function (slug) {
      data.contacts.forEach(function (c) {
        var wanted = slug === "local" ? c.local : c.slug === slug;
        if (wanted && out.indexOf(c) === -1) out.push(c);
      });
    });
    return out;
  }

  function showResult() {
    var result = compute(answers);
    var level = data.levels.filter(function (lv) { return lv.id === result.level; })[0];
    var message = data.messages[result.level];
    var box = document.createElement("div");
    box.className = "result result--" + result.level;
    box.setAttribute("data-level", result.level);
    var h1 = document.createElement("h1");
    h1.setAttribute("tabindex", "-1");
    h1.textContent = message.heading;
    var words = document.createElement("p");
    words.className = "result__words";
    words.textContent = level.words;
    var html = message.text;
    if (result.yes.length) {
      html += "<h2></h2><ul class=\"result__list\">" + result.yes.map(function (id) {
        return "<li>" + data.explanations[id] + "</li>";
      }).join("") + "</ul>";
    }
    if (result.not_sure.length) {
      html += "<div class=\"result__not-sure\">" + data.not_sure.replace("{count}", result.not_sure.length) + "</div>";
    }
    html += "<h2 data-help></h2><div class=\"result__help\">" +
      contactsFor(result.help).map(function (c) { return c.html; }).join("") + "</div>";
    box.appendChild(h1);
    box.appendChild(words);
    box.insertAdjacentHTML("beforeend", html);
    var said = box.querySelector("h2:not([data-help])");
    if (said) said.textContent = texts["said-yes"];
    box.querySelector("[data-help]").textContent = texts["who-can-help"];
    box.querySelector("[data-help]").removeAttribute("data-help");
    var links = document.createElement("p");
    links.className = "link-list";
    [["/tell-someone/", texts.tell], ["/get-help/", texts["all-help"]], [location.pathname, texts.again]]
      .forEach(function (pair, i) {
        if (i) links.appendChild(document.createTextNode(" · "));
        var a = document.createElement("a");
        a.href = pair[0];
        a.textContent = pair[1];
        links.appendChild(a);
      });
    box.appendChild(links);
    var small = document.createElement("p");
    small.className = "small";
    small.textContent = texts["nothing-saved"];
    box.appendChild(small);
    article.innerHTML = "";
    article.appendChild(box);
    h1.focus();
  }

  form.addEventListener("submit", onSubmit);
  form.addEventListener("change", onChange);
  el("[data-js-buttons]").hidden = false;
  var nojs = article.querySelectorAll("[data-nojs-only]");
  for (var n = 0; n < nojs.length; n++) nojs[n].hidden = true;
  el("[data-progress]").hidden = false;
  form.classList.add("selfcheck--js");
  showQuestion(0, false);
})();
