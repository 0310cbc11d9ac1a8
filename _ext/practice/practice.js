/* The practice page: mock interview, spaced-repetition review (FSRS), browse, progress.
 *
 * The questions are the page's own HTML (#pq-bank, written at build time by
 * _ext/netlab_practice.py from chapters/questions/*.yml). Their answers are one
 * script per chapter, loaded by answers.js (window.netlabAnswers) when they are
 * needed: a card is shown (so revealing it is instant), the search is used (it
 * covers the answers once they arrive), every answer is shown for printing.
 * Nothing is fetched, so the page works offline and from file://. Progress lives in localStorage under
 * STORE_KEY, one card per question id (ids are stable; positions are not), with
 * the digest of the answer it was rated against, so that a changed answer is
 * flagged and due again. Scheduling is ts-fsrs (window.FSRS, vendored).
 */
(function () {
  "use strict";

  var STORE_KEY = "netlab-practice";
  var FORMAT = "netlab-practice-progress";
  var VERSION = 1;
  var RATINGS = [
    { key: "again", label: "Again · 다시", hint: "could not answer" },
    { key: "hard", label: "Hard · 어려움", hint: "answered with gaps" },
    { key: "good", label: "Good · 좋음", hint: "answered it" },
    { key: "easy", label: "Easy · 쉬움", hint: "answered at once, and the follow-ups too" },
  ];
  // Korean particles (조사) and endings a search word may carry, longest first,
  // so that 핸드셰이크는 finds 핸드셰이크 and 혼잡 제어를 finds 혼잡 제어.
  var PARTICLES = [
    "에서부터", "으로부터", "이라든가", "에게서는", "로부터", "에게서", "한테서", "께서는", "에서는",
    "에게는", "으로는", "이라고", "이라는", "이란", "에서의", "으로서", "으로써", "에서", "에게", "한테",
    "으로", "부터", "까지", "처럼", "보다", "마다", "조차", "밖에", "이나", "이며", "이고", "하고",
    "이랑", "라고", "라는", "로서", "로써", "에는", "에도", "와는", "과는", "은요", "는요", "이요",
    "은", "는", "이", "가", "을", "를", "의", "에", "도", "만", "로", "와", "과", "나", "랑", "란", "요",
  ];
  var HANGUL_END = /[\uac00-\ud7a3]$/;
  var tr = function (text) { return (window.NETLAB_UI && window.NETLAB_UI[text]) || text; };

  var $ = function (id) { return document.getElementById(id); };
  var scheduler = null;
  var questions = [];
  var byId = {};
  var chapters = [];
  var store = null;
  var storageOk = true;

  // --- small helpers ----------------------------------------------------------------------

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs.text;
      else node.setAttribute(name, attrs[name]);
    });
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) node.append(arguments[i]);
    return node;
  }

  function withoutIds(node) {
    node.removeAttribute("id");
    node.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
    return node;
  }

  function cloneWithoutIds(node) { return withoutIds(node.cloneNode(true)); }

  function say(region, text) {
    // Clear first, so that the same message twice is announced twice.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 30);
  }

  function normalize(text) {
    return text.normalize("NFC").toLowerCase().replace(/\s+/g, " ");
  }

  function shuffle(items) {
    var a = items.slice();
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }

  function endOfToday() {
    var d = new Date();
    d.setHours(23, 59, 59, 999);
    return d;
  }

  function interval(from, to) {
    var minutes = Math.max(1, Math.round((to - from) / 60000));
    if (minutes < 60) return minutes + " min";
    if (minutes < 60 * 24) return Math.round(minutes / 60) + " h";
    var days = Math.round(minutes / 1440);
    if (days < 31) return days + (days === 1 ? " day" : " days");
    if (days < 365) return Math.round(days / 30) + " mo";
    return (days / 365).toFixed(1) + " y";
  }

  // --- the questions, read from the page ---------------------------------------------------

  function readBank() {
    document.querySelectorAll("#pq-bank section.pq-chapter").forEach(function (section) {
      var heading = section.querySelector(".pq-chapter-title");
      var link = heading.querySelector("a");
      chapters.push({ id: section.dataset.chapter, title: heading.textContent.trim(),
                      href: link ? link.getAttribute("href") : "", section: section });
    });
    var chapterById = {};
    chapters.forEach(function (c) { chapterById[c.id] = c; });
    document.querySelectorAll("#pq-bank article.pq").forEach(function (article) {
      var d = article.dataset;
      var q = {
        id: d.id, chapter: chapterById[d.chapter], parent: d.parent || null,
        depth: Number(d.depth), difficulty: Number(d.difficulty), label: d.label,
        tags: d.tags ? d.tags.split(" ") : [], hash: d.hash, el: article, children: [],
        answers: (article.querySelector(".netlab-answer") || { dataset: {} }).dataset.answersSrc || "",
        answerText: "",
      };
      // What the search looks in; the answer's text joins it when its chapter's file arrives.
      q.text = normalize([article.querySelector(".pq-ko").textContent,
                          article.querySelector(".pq-en").textContent,
                          article.querySelector(".pq-links") ? article.querySelector(".pq-links").textContent : "",
                          q.tags.join(" ")].join(" "));
      questions.push(q);
      byId[q.id] = q;
    });
    questions.forEach(function (q) { if (q.parent && byId[q.parent]) byId[q.parent].children.push(q); });
  }

  function chain(top) {
    // The question and its follow-ups, depth first: the order an interviewer goes down them.
    var out = [top];
    top.children.forEach(function (child) { out = out.concat(chain(child)); });
    return out;
  }

  function sectionLink(q) {
    // The section that explains the question (a follow-up inherits its parent's), or the
    // question in its chapter while the file has no sections yet.
    var own = q.el.querySelector(".pq-section a");
    if (own) return cloneWithoutIds(own);
    var href = q.chapter.href;
    if (!href) return null;
    return el("a", { href: href.split("#")[0] + "#iq-" + q.id, text: q.chapter.title + ", " + q.label });
  }

  // --- progress in localStorage ------------------------------------------------------------

  function emptyStore() {
    return { format: FORMAT, version: VERSION, settings: { lang: "both" }, cards: {} };
  }

  function validStore(data) {
    if (!data || data.format !== FORMAT || typeof data.cards !== "object" || data.cards === null) {
      throw new Error("not a progress file of this course (format " + JSON.stringify(data && data.format) + ")");
    }
    if (data.version > VERSION) throw new Error("made by a newer version of this page (" + data.version + ")");
    var cards = {};
    Object.keys(data.cards).forEach(function (id) {
      var entry = data.cards[id];
      if (!entry || typeof entry.card !== "object") throw new Error("card " + id + " has no schedule");
      FSRS.TypeConvert.card(entry.card); // throws on a malformed card
      cards[id] = { card: entry.card, hash: String(entry.hash || ""), rating: entry.rating || "",
                    reviewed: entry.reviewed || "" };
    });
    return { format: FORMAT, version: VERSION,
             settings: Object.assign({ lang: "both" }, data.settings || {}), cards: cards };
  }

  function load() {
    try {
      var raw = window.localStorage.getItem(STORE_KEY);
      store = raw ? validStore(JSON.parse(raw)) : emptyStore();
    } catch (error) {
      storageOk = !(error instanceof DOMException);
      store = emptyStore();
    }
  }

  function save() {
    if (!storageOk) return;
    try {
      window.localStorage.setItem(STORE_KEY, JSON.stringify(store));
    } catch (error) {
      storageOk = false;
      say($("pr-progress-live"), "This browser does not let the page keep progress: " + error.message);
    }
  }

  function entryOf(q) { return store.cards[q.id] || null; }

  function isChanged(q) {
    var entry = entryOf(q);
    return !!entry && entry.hash !== q.hash;
  }

  function cardOf(q) {
    var entry = entryOf(q);
    return entry ? FSRS.TypeConvert.card(entry.card) : FSRS.createEmptyCard(new Date());
  }

  function rate(q, key) {
    var now = new Date();
    var result = scheduler.next(cardOf(q), now, FSRS.Rating[key.charAt(0).toUpperCase() + key.slice(1)]);
    store.cards[q.id] = { card: result.card, hash: q.hash, rating: key, reviewed: now.toISOString() };
    save();
    return result.card;
  }

  function dueQuestions() {
    var limit = endOfToday();
    return questions.filter(function (q) {
      var entry = entryOf(q);
      return entry && (isChanged(q) || new Date(entry.card.due) <= limit);
    }).sort(function (a, b) {
      // Changed answers first, then the longest overdue.
      return (isChanged(b) - isChanged(a)) || (new Date(entryOf(a).card.due) - new Date(entryOf(b).card.due));
    });
  }

  function newQuestions() { return questions.filter(function (q) { return !entryOf(q); }); }

  // --- language ---------------------------------------------------------------------------

  function applyLanguage(lang) {
    document.documentElement.dataset.prLang = lang;
    document.querySelectorAll('input[name="pr-lang"]').forEach(function (r) { r.checked = r.value === lang; });
  }

  // --- one question on screen (mock interview and review) -------------------------------------

  function renderCard(slot, q, heading) {
    slot.textContent = "";
    var title = el("h3", { class: "pr-card-title", tabindex: "-1", id: slot.id + "-title", text: heading });
    var card = el("article", { class: "pr-card", "aria-labelledby": title.id }, title);
    card.append(el("p", { class: "pr-card-chapter", text: q.chapter.title + " · " + q.label }));
    if (isChanged(q)) {
      card.append(el("p", { class: "pr-changed", text: "답이 바뀌었습니다 · The answer changed since you last rated this card" }));
    }
    card.append(cloneWithoutIds(q.el.querySelector(".pq-ko")), cloneWithoutIds(q.el.querySelector(".pq-en")));
    var answer = el("div", { class: "pr-answer", tabindex: "-1", id: slot.id + "-answer",
                             "aria-label": "Answer · 답" });
    answer.append(cloneWithoutIds(q.el.querySelector(".pq-answer-body")));
    // Its chapter's answers load now, while the reader thinks: the reveal is then instant.
    if (window.netlabAnswers) {
      window.netlabAnswers.fillWithin(answer).then(function () {
        answer.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
      });
    }
    var links = answer.querySelector(".pq-links");
    if (!links) {
      var link = sectionLink(q);
      if (link) answer.append(el("p", { class: "pq-links" }, "Read · 읽을 곳: ", link));
    }
    answer.hidden = true;
    card.append(answer);
    slot.append(card);
    return { title: title, answer: answer };
  }

  function ratingButtons(group, labelFor, onRate) {
    group.textContent = "";
    RATINGS.forEach(function (r, i) {
      var button = el("button", { type: "button", class: "pr-button pr-rating pr-rating-" + r.key,
                                  "data-rating": r.key, "aria-keyshortcuts": String(i + 1) });
      button.append(el("span", { class: "pr-rating-label", text: r.label }),
                    el("span", { class: "pr-rating-hint", text: labelFor(r) }));
      button.addEventListener("click", function () { onRate(r.key); });
      group.append(button);
    });
  }

  function shortcuts(container, group) {
    container.addEventListener("keydown", function (event) {
      if (group.hidden || event.altKey || event.ctrlKey || event.metaKey) return;
      if (/^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName)) return;
      var index = "1234".indexOf(event.key);
      if (index >= 0) {
        event.preventDefault();
        group.querySelectorAll("button")[index].click();
      }
    });
  }

  // --- mock interview ----------------------------------------------------------------------

  var mock = { plan: [], index: 0, results: [], timer: null, tops: 0 };

  function setupMock() {
    var box = $("pr-mock-chapters");
    var all = box.querySelector('input[value="all"]');
    chapters.forEach(function (c) {
      var input = el("input", { type: "checkbox", value: c.id });
      box.append(el("label", {}, input, " " + c.title));
    });
    box.addEventListener("change", function (event) {
      var boxes = box.querySelectorAll('input:not([value="all"])');
      if (event.target === all) boxes.forEach(function (b) { b.checked = false; });
      else all.checked = !Array.prototype.some.call(boxes, function (b) { return b.checked; });
    });
    $("pr-mock-setup").addEventListener("submit", function (event) {
      event.preventDefault();
      startMock();
    });
    $("pr-mock-reveal").addEventListener("click", function () { revealMock(); });
    $("pr-mock-skip-chain").addEventListener("click", function () { skipChain(); });
    $("pr-mock-end").addEventListener("click", function () { finishMock(); });
    $("pr-mock-again").addEventListener("click", function () {
      $("pr-mock-summary").hidden = true;
      $("pr-mock-setup").hidden = false;
      $("pr-mock-start").focus();
    });
    var group = $("pr-mock-session").querySelector(".pr-rate");
    ratingButtons(group, function (r) { return r.hint; }, function (key) { rateMock(key); });
    shortcuts($("pr-mock-session"), group);
  }

  function startMock() {
    var picked = Array.prototype.filter.call(
      $("pr-mock-chapters").querySelectorAll('input:not([value="all"])'), function (b) { return b.checked; })
      .map(function (b) { return b.value; });
    var tops = questions.filter(function (q) {
      return q.depth === 0 && (!picked.length || picked.indexOf(q.chapter.id) >= 0);
    });
    if ($("pr-mock-order").value === "shuffle") tops = shuffle(tops);
    var length = Number($("pr-mock-length").value);
    if (length > 0) tops = tops.slice(0, length);
    mock.plan = [];
    tops.forEach(function (top) { mock.plan = mock.plan.concat(chain(top)); });
    mock.tops = tops.length;
    mock.index = 0;
    mock.results = [];
    $("pr-mock-setup").hidden = true;
    $("pr-mock-summary").hidden = true;
    $("pr-mock-session").hidden = false;
    showMock();
  }

  function topNumber(index) {
    var n = 0;
    for (var i = 0; i <= index; i++) if (mock.plan[i].depth === 0) n++;
    return n;
  }

  function showMock() {
    var q = mock.plan[mock.index];
    var n = topNumber(mock.index);
    var heading = q.depth === 0 ? "Question " + n + " of " + mock.tops + " · 질문"
      : "Follow-up · 꼬리 질문 (question " + n + ", depth " + q.depth + ")";
    var shown = renderCard($("pr-mock-card"), q, heading);
    var asked = mock.results.length;
    $("pr-mock-step").textContent = asked ? "Rated so far · 지금까지 " + asked : "";
    var group = $("pr-mock-session").querySelector(".pr-rate");
    group.hidden = true;
    $("pr-mock-reveal").hidden = false;
    var rest = mock.plan.slice(mock.index + 1);
    $("pr-mock-skip-chain").hidden = !(rest.length && rest[0].depth > 0);
    // The next question's chapter too, when it is another one.
    if (rest.length && rest[0].answers && window.netlabAnswers) {
      window.netlabAnswers.load(rest[0].answers).catch(function () {});
    }
    startTimer();
    shown.title.focus();
  }

  function startTimer() {
    stopTimer();
    var clock = $("pr-mock-clock");
    clock.hidden = !$("pr-mock-timer").checked;
    if (clock.hidden) return;
    var seconds = Math.max(15, Math.min(900, Number($("pr-mock-seconds").value) || 120));
    var ends = Date.now() + seconds * 1000;
    function tick() {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      clock.textContent = left ? "Time left · 남은 시간 " + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0")
        : "Time is up · 시간 종료";
      clock.classList.toggle("pr-timer-out", !left);
      if (!left) {
        stopTimer();
        say($("pr-mock-live"), "Time is up · 시간 종료");
      }
    }
    tick();
    mock.timer = window.setInterval(tick, 1000);
  }

  function stopTimer() {
    if (mock.timer) window.clearInterval(mock.timer);
    mock.timer = null;
  }

  function reveal(part) {
    // Show the answer and the rating buttons; the answer takes the focus, so it is read out.
    var answer = $(part + "-card-answer");
    answer.hidden = false;
    $(part + "-reveal").hidden = true;
    $(part + "-session").querySelector(".pr-rate").hidden = false;
    answer.focus();
  }

  function revealMock() {
    stopTimer();
    reveal("pr-mock");
  }

  function rateMock(key) {
    var q = mock.plan[mock.index];
    rate(q, key);
    mock.results.push({ q: q, rating: key });
    say($("pr-mock-live"), "Rated " + key);
    nextMock(mock.index + 1);
  }

  function nextMock(index) {
    if (index >= mock.plan.length) { finishMock(); return; }
    mock.index = index;
    showMock();
  }

  function skipChain() {
    var i = mock.index + 1;
    while (i < mock.plan.length && mock.plan[i].depth > 0) i++;
    nextMock(i);
  }

  function finishMock() {
    stopTimer();
    $("pr-mock-session").hidden = true;
    var body = $("pr-mock-summary").querySelector("tbody");
    body.textContent = "";
    var counts = {};
    mock.results.forEach(function (r) {
      counts[r.rating] = (counts[r.rating] || 0) + 1;
      var question = el("td", {});
      question.append(cloneWithoutIds(r.q.el.querySelector(".pq-ko")), cloneWithoutIds(r.q.el.querySelector(".pq-en")));
      var read = el("td", {});
      var link = sectionLink(r.q);
      if (link) read.append(link);
      var lab = r.q.el.querySelector(".pq-lab a");
      if (lab) read.append(el("br"), "Lab · 실습: ", cloneWithoutIds(lab));
      var rating = RATINGS.filter(function (x) { return x.key === r.rating; })[0];
      body.append(el("tr", { class: "pr-depth-" + r.q.depth }, el("td", { text: r.q.label }), question,
                     el("td", { class: "pr-rated pr-rated-" + r.rating, text: rating.label }), read));
    });
    var asked = mock.results.length;
    $("pr-mock-summary-counts").textContent = asked
      ? asked + " questions asked, follow-ups included: " + RATINGS.map(function (r) {
        return (counts[r.key] || 0) + " " + r.key; }).join(", ") + "."
      : "No question was rated.";
    $("pr-mock-summary").querySelector(".pr-table-wrap").hidden = !asked;
    $("pr-mock-summary").hidden = false;
    $("pr-mock-summary-title").focus();
    refreshCounts();
  }

  // --- review ------------------------------------------------------------------------------

  var review = { queue: [], index: 0, done: 0, again: {} };

  function setupReview() {
    $("pr-review-start").addEventListener("click", startReview);
    $("pr-review-reveal").addEventListener("click", function () { reveal("pr-review"); });
    $("pr-review-end").addEventListener("click", function () { finishReview("Review ended."); });
    shortcuts($("pr-review-session"), $("pr-review-session").querySelector(".pr-rate"));
  }

  function startReview() {
    var limit = Number($("pr-review-new").value);
    var fresh = newQuestions();
    review.queue = dueQuestions().concat(limit > 0 ? fresh.slice(0, limit) : fresh);
    review.index = 0;
    review.done = 0;
    review.again = {};
    if (!review.queue.length) { finishReview("Nothing is due. 오늘 복습할 카드가 없습니다."); return; }
    $("pr-review-done").hidden = true;
    $("pr-review-session").hidden = false;
    $("pr-review-start").disabled = true;
    showReview();
  }

  function showReview() {
    var q = review.queue[review.index];
    var entry = entryOf(q);
    var kind = !entry ? "new · 새 카드" : isChanged(q) ? "changed · 답 변경" : "due · 복습";
    var heading = "Card " + (review.index + 1) + " of " + review.queue.length + " (" + kind + ")";
    $("pr-review-step").textContent = heading;
    var shown = renderCard($("pr-review-card"), q, heading);
    var group = $("pr-review-session").querySelector(".pr-rate");
    var now = new Date();
    var preview = scheduler.repeat(cardOf(q), now);
    ratingButtons(group, function (r) {
      var next = preview[FSRS.Rating[r.key.charAt(0).toUpperCase() + r.key.slice(1)]].card.due;
      return "next in " + interval(now, next);
    }, rateReview);
    group.hidden = true;
    $("pr-review-reveal").hidden = false;
    shown.title.focus();
  }

  function rateReview(key) {
    var q = review.queue[review.index];
    var card = rate(q, key);
    review.done++;
    // A forgotten card comes back at the end of this session, once.
    if (key === "again" && !review.again[q.id] && new Date(card.due) <= endOfToday()) {
      review.again[q.id] = true;
      review.queue.push(q);
    }
    say($("pr-review-live"), "Rated " + key + "; next review in " + interval(new Date(), new Date(card.due)));
    review.index++;
    if (review.index >= review.queue.length) finishReview("Review finished: " + review.done + " cards.");
    else showReview();
  }

  function finishReview(message) {
    $("pr-review-session").hidden = true;
    $("pr-review-start").disabled = false;
    var done = $("pr-review-done");
    done.textContent = message;
    done.hidden = false;
    refreshCounts();
    done.focus();
  }

  // --- browse ------------------------------------------------------------------------------

  function stems(word) {
    var out = [word];
    if (HANGUL_END.test(word)) {
      PARTICLES.forEach(function (p) {
        if (word.length > p.length && word.slice(-p.length) === p) out.push(word.slice(0, -p.length));
      });
    } else if (/[a-z]{4,}s$/.test(word)) {
      out.push(word.slice(0, -1));
    }
    return out;
  }

  function matcher(query) {
    var words = normalize(query).trim().split(" ").filter(Boolean);
    var alternatives = words.map(stems);
    return function (text) {
      return alternatives.every(function (forms) {
        return forms.some(function (form) { return text.indexOf(form) >= 0; });
      });
    };
  }

  function setupBrowse() {
    var chapterSelect = $("pr-filter-chapter");
    chapters.forEach(function (c) { chapterSelect.append(el("option", { value: c.id, text: c.title })); });
    var tagCounts = {};
    questions.forEach(function (q) { q.tags.forEach(function (t) { tagCounts[t] = (tagCounts[t] || 0) + 1; }); });
    Object.keys(tagCounts).sort().forEach(function (t) {
      $("pr-filter-tag").append(el("option", { value: t, text: t + " (" + tagCounts[t] + ")" }));
    });
    var pending = null;
    $("pr-search").addEventListener("input", function () {
      searchAnswers();
      window.clearTimeout(pending);
      pending = window.setTimeout(filter, 120);
    });
    ["pr-filter-chapter", "pr-filter-tag", "pr-filter-difficulty"].forEach(function (id) {
      $(id).addEventListener("change", filter);
    });
    $("pr-filters").addEventListener("submit", function (event) { event.preventDefault(); filter(); });
    $("pr-show-answers").addEventListener("change", function (event) {
      var checked = event.target.checked;
      if (!checked || !window.netlabAnswers) { showAnswers(checked); return; }
      // The answers of the chapters shown, then their dropdowns open (each fills itself).
      Promise.all(shownChapters().map(function (c) { return window.netlabAnswers.loadAll(c.section); }))
        .then(function () { showAnswers($("pr-show-answers").checked); });
    });
    $("pr-print").addEventListener("click", function () { window.print(); });
  }

  function shownChapters() { return chapters.filter(function (c) { return !c.section.hidden; }); }

  function showAnswers(checked) {
    // "Show every answer": the dropdowns of the chapters shown open (their answers load as they
    // do); those of hidden chapters open when a filter shows them.
    document.documentElement.classList.toggle("pr-print-answers", checked);
    chapters.forEach(function (c) {
      c.section.querySelectorAll("details.pq-answer").forEach(function (d) { d.open = checked && !c.section.hidden; });
    });
  }

  var answersSearched = null;  // the Promise of every answer file, once the search is used

  function searchAnswers() {
    // The search covers the answers: their files load at its first use; it runs again when they arrive.
    if (answersSearched || !window.netlabAnswers) return;
    var count = $("pr-browse-count");
    count.dataset.answers = "loading";
    answersSearched = window.netlabAnswers.loadAll($("pq-bank")).then(function () {
      questions.forEach(function (q) {
        if (window.netlabAnswers.has(q.id)) q.answerText = normalize(window.netlabAnswers.text(q.id));
      });
      count.dataset.answers = questions.every(function (q) { return q.answerText; }) ? "searched" : "failed";
      filter();
    });
  }

  function filter() {
    var chapter = $("pr-filter-chapter").value;
    var tag = $("pr-filter-tag").value;
    var level = $("pr-filter-difficulty").value;
    var query = $("pr-search").value;
    var matches = matcher(query);
    var shown = 0;
    questions.forEach(function (q) {
      var visible = (!chapter || q.chapter.id === chapter) && (!tag || q.tags.indexOf(tag) >= 0)
        && (level === "" || q.difficulty === Number(level))
        && (!query.trim() || matches(q.text + " " + q.answerText));
      q.el.hidden = !visible;
      if (visible) shown++;
    });
    var first = true;
    chapters.forEach(function (c) {
      c.section.hidden = !c.section.querySelector("article.pq:not([hidden])");
      // Print: each chapter on a page of its own, the first one right after the title.
      c.section.classList.toggle("pq-first-shown", first && !c.section.hidden);
      if (!c.section.hidden) first = false;
    });
    if ($("pr-show-answers").checked) showAnswers(true);
    var state = $("pr-browse-count").dataset.answers;
    $("pr-browse-count").dataset.query = query;  // what the count is of
    var note = !query.trim() ? "" : state === "loading" ? " " + tr("Searching the answers too…")
      : state === "failed" ? " " + tr("Some answers could not be loaded; the search did not cover them.") : "";
    $("pr-browse-count").textContent = (shown === questions.length
      ? "All " + shown + " questions, follow-ups included."
      : shown + " of " + questions.length + " questions match. 검색 결과 " + shown + "개.") + note;
  }

  // --- progress ----------------------------------------------------------------------------

  function refreshCounts() {
    var due = dueQuestions().length;
    var fresh = newQuestions().length;
    var changed = questions.filter(isChanged).length;
    $("pr-review-counts").textContent = "Due today · 오늘 복습: " + due + " · New · 새 카드: " + fresh
      + (changed ? " · Changed answers · 답 변경: " + changed : "");
    var rated = questions.length - fresh;
    var orphans = Object.keys(store.cards).filter(function (id) { return !byId[id]; }).length;
    $("pr-progress-summary").textContent = "You have rated " + rated + " of " + questions.length
      + " questions on this device; " + due + " are due today."
      + (orphans ? " " + orphans + " cards of questions no longer in the book are kept." : "")
      + (storageOk ? "" : " This browser does not let the page keep progress.");
  }

  function setupProgress() {
    $("pr-export").addEventListener("click", function () {
      var data = JSON.stringify(Object.assign({ exported: new Date().toISOString() }, store), null, 1);
      var url = URL.createObjectURL(new Blob([data], { type: "application/json" }));
      var link = el("a", { href: url, download: "netlab-practice-" + new Date().toISOString().slice(0, 10) + ".json" });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      say($("pr-progress-live"), "Exported " + Object.keys(store.cards).length + " cards.");
    });
    $("pr-import").addEventListener("change", function (event) {
      var file = event.target.files[0];
      if (!file) return;
      file.text().then(function (text) {
        var imported = validStore(JSON.parse(text));
        store.cards = imported.cards;
        store.settings = imported.settings;
        save();
        applyLanguage(store.settings.lang);
        refreshCounts();
        say($("pr-progress-live"), "Imported " + Object.keys(store.cards).length + " cards. 가져오기 완료.");
      }).catch(function (error) {
        say($("pr-progress-live"), "Could not import " + file.name + ": " + error.message);
      }).then(function () { event.target.value = ""; });
    });
    $("pr-reset").addEventListener("click", function () {
      $("pr-reset-confirm").hidden = false;
      $("pr-reset-no").focus();
    });
    $("pr-reset-no").addEventListener("click", function () {
      $("pr-reset-confirm").hidden = true;
      $("pr-reset").focus();
    });
    $("pr-reset-yes").addEventListener("click", function () {
      store.cards = {};
      save();
      $("pr-reset-confirm").hidden = true;
      refreshCounts();
      say($("pr-progress-live"), "Progress erased. 초기화했습니다.");
      $("pr-reset").focus();
    });
  }

  // --- start -------------------------------------------------------------------------------

  function init() {
    if (!document.getElementById("pq-bank") || !window.FSRS) return;
    var started = performance.now();
    scheduler = FSRS.fsrs(FSRS.generatorParameters({ enable_fuzz: false }));
    readBank();
    load();
    document.querySelectorAll(".pr-needs-js").forEach(function (n) { n.hidden = true; });
    ["pr-mock", "pr-review", "pr-filters", "pr-progress"].forEach(function (id) { if ($(id)) $(id).hidden = false; });
    applyLanguage(store.settings.lang);
    document.querySelectorAll('input[name="pr-lang"]').forEach(function (radio) {
      radio.addEventListener("change", function () {
        store.settings.lang = radio.value;
        save();
        applyLanguage(radio.value);
      });
    });
    setupMock();
    setupReview();
    setupBrowse();
    setupProgress();
    filter();
    refreshCounts();
    window.addEventListener("storage", function (event) {
      if (event.key === STORE_KEY) { load(); refreshCounts(); }
    });
    document.documentElement.dataset.practiceInitMs = String(Math.round(performance.now() - started));
    document.documentElement.dataset.practiceReady = String(Math.round(performance.now()));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
