// Full-screen view of the diagrams drawn at build time (see _ext/netlab_diagrams.py):
// the button and dialog of sphinxcontrib-mermaid, without the mermaid runtime.
// Loaded only by pages with a diagram; styled in _static/mermaid.css.
(function () {
  var modal = null;
  var returnFocus = null;
  var scroll = [0, 0];

  function close() {
    if (!modal || !modal.classList.contains("active")) return;
    modal.classList.remove("active");
    modal.querySelector(".mermaid-container-fullscreen").innerHTML = "";
    document.body.style.overflow = "";
    window.scrollTo({ left: scroll[0], top: scroll[1], behavior: "instant" });
    if (returnFocus) returnFocus.focus();
  }

  function dialog() {
    if (modal) return modal;
    modal = document.createElement("div");
    modal.className = "mermaid-fullscreen-modal";
    modal.setAttribute("role", "dialog");
    modal.setAttribute("aria-modal", "true");
    modal.setAttribute("aria-label", "Fullscreen diagram viewer");
    modal.innerHTML = '<button type="button" class="mermaid-fullscreen-close" ' +
      'aria-label="Close fullscreen">\u2715</button><div class="mermaid-container-fullscreen"></div>';
    modal.querySelector("button").addEventListener("click", close);
    modal.addEventListener("click", function (e) { if (e.target === modal) close(); });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
    document.body.appendChild(modal);
    return modal;
  }

  function open(diagram, button) {
    // The drawing that matches the colour mode is the one that takes room.
    var shown = Array.prototype.filter.call(diagram.querySelectorAll(":scope > svg"),
      function (svg) { return svg.getClientRects().length > 0; })[0];
    if (!shown) return;
    var copy = shown.cloneNode(true);
    copy.removeAttribute("width");
    copy.removeAttribute("height");
    copy.style.maxWidth = "100%";
    var box = dialog().querySelector(".mermaid-container-fullscreen");
    box.innerHTML = "";
    box.appendChild(copy);
    scroll = [window.scrollX, window.scrollY];
    returnFocus = button;
    modal.classList.add("active");
    document.body.style.overflow = "hidden";
    modal.querySelector(".mermaid-fullscreen-close").focus();
  }

  function addButtons() {
    document.querySelectorAll(".mermaid-container > pre.mermaid-static").forEach(function (diagram) {
      var container = diagram.parentNode;
      if (container.querySelector(".mermaid-fullscreen-btn")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "mermaid-fullscreen-btn";
      button.setAttribute("aria-label", "View diagram in fullscreen");
      button.addEventListener("click", function () { open(diagram, button); });
      container.appendChild(button);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addButtons);
  } else {
    addButtons();
  }
})();
