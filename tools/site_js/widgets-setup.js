// Loaded by lab pages between require.js and the widgets HTML manager (by
// tools/site_js/widgets-loader.js; copied into _static/vendor/html-manager/).
(function () {
  // 1. The manager finds its icon fonts next to the URL require.js gives its
  // own modules; by default that is a CDN-shaped path beside the page
  // (labs/@jupyter-widgets/html-manager/dist/...), which does not exist in
  // this site. Point those modules at the folder this script was served from.
  var src = document.currentScript.src;
  var here = src.slice(0, src.lastIndexOf("/"));
  require.config({
    paths: {
      "@jupyter-widgets/html-manager": here + "/html-manager",
      "@jupyter-widgets/html-manager/dist": here
    }
  });

  // 2. Keyboard and screen-reader access to what the manager draws, as it is
  // drawn: a slider's handle (role="slider") gets no accessible name, so a
  // screen reader announces a bare number: name it after the widget's
  // description. Text output wider than the page scrolls but cannot be
  // reached with the keyboard: make it a tab stop, as the theme does for code.
  new MutationObserver(function () {
    var handles = document.querySelectorAll('.widget-slider [role="slider"]:not([aria-label])');
    Array.prototype.forEach.call(handles, function (handle) {
      var label = handle.closest(".widget-slider").querySelector(".widget-label");
      var name = label ? label.textContent.trim() : "";
      handle.setAttribute("aria-label", name || "slider");
    });
    var outputs = document.querySelectorAll(".jupyter-widgets pre:not([tabindex])");
    Array.prototype.forEach.call(outputs, function (pre) {
      if (pre.scrollWidth > pre.clientWidth || pre.scrollHeight > pre.clientHeight) {
        pre.setAttribute("tabindex", "0");
      }
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
