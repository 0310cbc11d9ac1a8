/* Answers loaded when asked for, on the drill and the practice page (_ext/netlab_answers.py).
 *
 * Each answer of such a page is a placeholder, <div class="netlab-answer"
 * data-answer-id="..." data-answers-src="...">, holding a link to the question in
 * its chapter (what a reader without JavaScript follows). The answers of one
 * chapter are one script, which calls window.netlabAnswers.add({id: html}); it is
 * loaded by inserting a <script> element, since fetch and XMLHttpRequest fail
 * from file://. A chapter's file is loaded when a dropdown holding one of its
 * answers opens, or its summary gets the focus or the pointer (so that opening
 * it is instant), when the page's own script asks (practice.js: a card shown,
 * the search used, every answer shown), and before printing.
 */
(function () {
  "use strict";

  var tr = function (text) { return (window.NETLAB_UI && window.NETLAB_UI[text]) || text; };
  var answers = {};  // question id -> answer HTML, from the files loaded so far
  var loads = {};  // file -> Promise of its loading
  var SELECTOR = ".netlab-answer[data-answers-src]";

  function load(src) {
    // One <script> per file, once; a file that failed may be asked for again.
    if (!loads[src]) {
      loads[src] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(src); };
        script.onerror = function () {
          delete loads[src];
          script.remove();
          reject(new Error("could not load " + src));
        };
        document.head.append(script);
      });
    }
    return loads[src];
  }

  function status(box, kind, text) {
    var old = box.querySelector(":scope > .netlab-answer-status");
    if (old) old.remove();
    var note = document.createElement("p");
    note.className = "netlab-answer-status netlab-answer-" + kind;
    note.setAttribute("role", kind === "error" ? "alert" : "status");
    note.textContent = text;
    box.prepend(note);
    var elsewhere = box.querySelector(":scope > .netlab-answer-elsewhere");
    if (elsewhere) elsewhere.hidden = kind === "loading";
  }

  function show(box) {
    box.innerHTML = answers[box.dataset.answerId];
    box.dataset.answerState = "shown";
    box.removeAttribute("aria-busy");
  }

  function fill(box) {
    // The answer in its placeholder: at once if its file is loaded, else once it is.
    var id = box.dataset.answerId;
    if (box.dataset.answerState === "shown") return Promise.resolve(box);
    if (Object.prototype.hasOwnProperty.call(answers, id)) { show(box); return Promise.resolve(box); }
    box.dataset.answerState = "loading";
    box.setAttribute("aria-busy", "true");
    status(box, "loading", tr("Loading the answer…"));
    return load(box.dataset.answersSrc).then(function () {
      if (!Object.prototype.hasOwnProperty.call(answers, id)) throw new Error("no answer " + id);
      show(box);
      return box;
    }).catch(function (error) {
      box.dataset.answerState = "error";
      box.removeAttribute("aria-busy");
      status(box, "error", tr("The answer could not be loaded. Read it in its chapter:"));
      throw error;
    });
  }

  function fillWithin(root) {
    // Every placeholder inside ``root``; resolves when all are shown or have failed.
    var boxes = Array.prototype.slice.call(root.querySelectorAll(SELECTOR));
    return Promise.all(boxes.map(function (box) {
      return fill(box).catch(function () { return box; });
    }));
  }

  function files(root) {
    var found = {};
    (root || document).querySelectorAll(SELECTOR).forEach(function (box) {
      found[box.dataset.answersSrc] = true;
    });
    return Object.keys(found);
  }

  function loadAll(root) {
    // Every answer file of the placeholders in ``root`` (default: the page); failures are kept.
    return Promise.all(files(root).map(function (src) {
      return load(src).catch(function (error) { return error; });
    }));
  }

  function text(id) {
    // An answer's text (for the search), or "" while its file is not loaded.
    if (!Object.prototype.hasOwnProperty.call(answers, id)) return "";
    var scratch = document.createElement("template");
    scratch.innerHTML = answers[id];
    return scratch.content.textContent;
  }

  window.netlabAnswers = {
    add: function (map) { Object.keys(map).forEach(function (id) { answers[id] = map[id]; }); },
    has: function (id) { return Object.prototype.hasOwnProperty.call(answers, id); },
    load: load, loadAll: loadAll, fill: fill, fillWithin: fillWithin, files: files, text: text,
  };

  function boxesOf(details) {
    // The placeholders a dropdown holds itself (not those of a dropdown inside it).
    return Array.prototype.filter.call(details.querySelectorAll(SELECTOR), function (box) {
      return box.closest("details") === details;
    });
  }

  // A dropdown opened (by click, keyboard, script or a link to it): its answer.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.tagName === "DETAILS" && details.open) boxesOf(details).forEach(function (box) {
      fill(box).catch(function () {});
    });
  }, true);

  // Its summary focused or pointed at: its file, so that opening it shows the answer at once.
  function prefetch(event) {
    var summary = event.target.closest && event.target.closest("summary");
    var details = summary && summary.parentElement;
    if (!details || details.tagName !== "DETAILS") return;
    boxesOf(details).forEach(function (box) {
      load(box.dataset.answersSrc).catch(function () {});
    });
  }
  document.addEventListener("focusin", prefetch);
  document.addEventListener("pointerover", prefetch);

  // Printing: every file, and the answers of the dropdowns that are open.
  window.addEventListener("beforeprint", function () {
    loadAll().then(function () {
      document.querySelectorAll("details[open]").forEach(function (details) {
        boxesOf(details).forEach(function (box) { fill(box).catch(function () {}); });
      });
    });
  });
})();
