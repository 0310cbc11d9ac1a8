// Accessibility fixes for the theme's markup (checked by tests/test_site.py with axe-core).
// Every page loads this file (it sits in _static/), so keep it small.

// The sidebar's expand/collapse toggles are <summary> elements holding only an
// icon, so screen readers announce nothing ("summary-name"). Name each after
// the page whose sections it shows.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("li.has-children > details > summary").forEach(function (summary) {
    if (summary.textContent.trim() || summary.hasAttribute("aria-label")) return;
    var link = summary.closest("li").querySelector(":scope > a");
    var title = link ? link.textContent.trim() : "";
    summary.setAttribute("aria-label", title ? "Sections of " + title : "Show or hide the sections");
  });
});

// docutils marks each bibliography entry role="doc-biblioentry", which DPUB-ARIA
// 1.1 deprecated for "listitem"; inside the role="list" container the entries
// must be list items ("aria-required-children").
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll('[role="list"] > [role="doc-biblioentry"]').forEach(function (entry) {
    entry.setAttribute("role", "listitem");
  });
});
