// The language switch (_ext/netlab_editions.py): keep the reader's section, remember the choice.
// Both editions keep a section's English id, so the same #fragment lands on the same section.
(function () {
  "use strict";
  var STORE_KEY = "netlab-edition";
  function currentSection() {
    if (window.location.hash) return window.location.hash;
    var sections = document.querySelectorAll("article section[id]");
    var found = null;
    for (var i = 0; i < sections.length; i++) {
      if (sections[i].getBoundingClientRect().top <= 80) found = sections[i];
      else break;
    }
    return found && found.parentElement.closest("section") ? "#" + found.id : "";
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.netlab-edition-link");
    if (!link) return;
    try { window.localStorage.setItem(STORE_KEY, link.dataset.netlabEdition); } catch (error) { /* private mode */ }
    var target = link.getAttribute("href").split("#")[0] + currentSection();
    event.preventDefault();
    window.location.href = target;
  });
})();
