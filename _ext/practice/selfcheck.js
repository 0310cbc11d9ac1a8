/* Self-check questions ({self-check} directive, _ext/netlab_selfcheck.py): graded in the page.
 * Each form is static HTML with real controls; the feedback goes into the form's
 * role="status" region, which screen readers announce. Nothing is stored or sent. */
(function () {
  "use strict";

  function show(form, correct, message, detail) {
    var feedback = form.querySelector(".sc-feedback");
    feedback.textContent = "";
    var verdict = document.createElement("p");
    verdict.className = "sc-verdict";
    verdict.textContent = (correct ? "맞습니다 · Correct. " : "아닙니다 · Not quite. ") + message;
    feedback.append(verdict);
    if (detail) {
      var copy = detail.cloneNode(true);
      copy.hidden = false;
      copy.removeAttribute("id");
      feedback.append(copy);
    }
    form.classList.toggle("sc-correct", correct);
    form.classList.toggle("sc-wrong", !correct);
    var explanation = form.querySelector(".sc-explanation");
    if (explanation) explanation.hidden = !correct;
  }

  function prompt(form, message) {
    var feedback = form.querySelector(".sc-feedback");
    feedback.textContent = message;
    form.classList.remove("sc-correct", "sc-wrong");
  }

  function gradeChoice(form) {
    var picked = form.querySelector("input[type=radio]:checked");
    form.querySelectorAll(".sc-option").forEach(function (o) { o.classList.remove("sc-picked-right", "sc-picked-wrong"); });
    if (!picked) { prompt(form, "Choose an answer first. 답을 먼저 고르세요."); return; }
    var option = picked.closest(".sc-option");
    var correct = option.dataset.correct === "1";
    option.classList.add(correct ? "sc-picked-right" : "sc-picked-wrong");
    show(form, correct, correct ? "" : "Try another option.", option.querySelector(".sc-why"));
  }

  function parseNumber(text) {
    var cleaned = text.trim().replace(/[\s,_]/g, "");
    return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned) ? Number(cleaned) : NaN;
  }

  function gradeNumber(form) {
    var input = form.querySelector("input[type=text]");
    var value = parseNumber(input.value);
    if (isNaN(value)) {
      input.setAttribute("aria-invalid", "true");
      prompt(form, "Type a number, for example 40. 숫자를 입력하세요.");
      return;
    }
    var answer = Number(input.dataset.answer);
    var correct = Math.abs(value - answer) <= Number(input.dataset.tolerance) + 1e-9;
    input.setAttribute("aria-invalid", correct ? "false" : "true");
    show(form, correct, correct ? "" : (value < answer ? "Too small. 더 큽니다." : "Too large. 더 작습니다."));
  }

  function gradeOrder(form) {
    var items = Array.prototype.slice.call(form.querySelectorAll(".sc-order-list > li"));
    var right = items.filter(function (li, i) { return Number(li.dataset.position) === i; }).length;
    var correct = right === items.length;
    show(form, correct, correct ? "" : right + " of " + items.length + " are in the right place. "
      + items.length + "개 중 " + right + "개가 제자리입니다.");
  }

  function move(button) {
    var li = button.closest("li");
    var list = li.parentElement;
    var step = Number(button.dataset.move);
    var sibling = step < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) return;
    if (step < 0) list.insertBefore(li, sibling); else list.insertBefore(sibling, li);
    button.focus();
    var items = Array.prototype.slice.call(list.children);
    var form = list.closest("form");
    form.querySelector(".sc-feedback").textContent = li.querySelector(".sc-item").textContent
      + ": position " + (items.indexOf(li) + 1) + " of " + items.length + ".";
    form.classList.remove("sc-correct", "sc-wrong");
  }

  function init() {
    document.querySelectorAll("form.self-check").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var kind = form.dataset.selfCheck;
        if (kind === "choice") gradeChoice(form);
        else if (kind === "number") gradeNumber(form);
        else gradeOrder(form);
      });
      form.addEventListener("click", function (event) {
        var button = event.target.closest(".sc-move");
        if (button) move(button);
      });
      form.classList.add("sc-ready");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
