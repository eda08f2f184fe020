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
  var original = article.innerHTML;
  var answers = {};
  var inputs = form.querySelectorAll("input[type=hidden][name^='a-']");
  for (var h = 0; h < inputs.length; h++) answers[inputs[h].name.slice(2)] = inputs[h].value;
  var step = parseInt(form.querySelector("input[name=step]").value, 10) || 0;

  function el(selector) { return article.querySelector(selector); }

  function clearError() {
    var summary = el(".error-summary");
    if (summary) summary.remove();
    var message = el(".error-message");
    if (message) message.remove();
    var fieldset = el(".fieldset");
    if (fieldset) fieldset.classList.remove("fieldset--error");
  }

  function showQuestion(index, focus) {
    if (!el("[data-selfcheck-form]")) {
      article.innerHTML = original;
      bind();
    }
    clearError();
    step = index;
    var q = data.questions[index];
    el("[data-question]").textContent = q.text;
    var hint = el("[data-hint]");
    hint.textContent = q.hint;
    hint.hidden = !q.hint;
    el("[data-progress]").textContent = texts.progress
      .replace("{number}", index + 1).replace("{total}", data.questions.length);
    var radios = article.querySelectorAll("input[name=answer]");
    for (var i = 0; i < radios.length; i++) radios[i].checked = radios[i].value === answers[q.id];
    el("[data-back]").hidden = index === 0;
    var intro = el(".selfcheck__intro");
    if (intro) intro.hidden = index !== 0;
    if (focus) {
      el("[data-question]").setAttribute("tabindex", "-1");
      el("[data-question]").focus();
    }
  }

  function showError() {
    clearError();
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    var link = document.createElement("a");
    link.href = "#answer-yes";
    link.textContent = texts.error;
    var p = document.createElement("p");
    p.appendChild(link);
    summary.appendChild(p);
    el("[data-selfcheck-form]").parentNode.insertBefore(summary, el("[data-selfcheck-form]"));
    el(".fieldset").classList.add("fieldset--error");
    summary.focus();
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

  function onSubmit(event) {
    event.preventDefault();
    var action = (event.submitter && event.submitter.value) || "next";
    var q = data.questions[step];
    if (action === "back") {
      history.back();
      return;
    }
    if (action === "skip") {
      answers[q.id] = "skip";
    } else {
      var chosen = article.querySelector("input[name=answer]:checked");
      if (!chosen) { showError(); return; }
      answers[q.id] = chosen.value;
    }
    if (step + 1 < data.questions.length) {
      history.pushState({ step: step + 1 }, "");
      showQuestion(step + 1, true);
    } else {
      history.pushState({ result: true }, "");
      showResult();
    }
  }

  function bind() {
    form = el("[data-selfcheck-form]");
    form.addEventListener("submit", onSubmit);
  }

  window.addEventListener("popstate", function (event) {
    var state = event.state || { step: 0 };
    if (state.result) showResult();
    else showQuestion(state.step || 0, true);
  });

  history.replaceState({ step: step }, "");
  bind();
})();
