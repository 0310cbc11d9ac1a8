// Loads the Jupyter widgets manager on a page with stored widget states, once the
// page's text is on screen and a widget is about to be: require.js, then
// widgets-setup.js, then the manager (embed-amd.js), which draws every stored
// widget when it arrives. A reader who never scrolls to a widget never downloads
// the manager (about 0.6 MB compressed). myst-nb adds this script to pages whose
// notebook stores widget states (nb_ipywidgets_js in _config.yml).
(function () {
  var base = document.currentScript.src.replace(/\/site\/widgets-loader\.js(\?.*)?$/, "/");
  var files = ["requirejs/require.js", "html-manager/widgets-setup.js", "html-manager/embed-amd.js"];
  var started = false;

  function next(i) {
    if (i === files.length) return;
    var script = document.createElement("script");
    script.src = base + files[i];
    script.onload = function () { next(i + 1); };
    document.head.appendChild(script);
  }

  function start() {
    if (started) return;
    started = true;
    next(0);
  }

  function watch() {
    var views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
    if (!views.length) return;
    if (!("IntersectionObserver" in window)) return start();
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) {
        observer.disconnect();
        start();
      }
    }, { rootMargin: "100% 0px" });
    // The view scripts themselves take no room: watch the output area holding each.
    Array.prototype.forEach.call(views, function (view) { observer.observe(view.parentElement); });
  }

  // After the page has loaded (text, styles, fonts, diagrams), never before.
  if (document.readyState === "complete") {
    watch();
  } else {
    window.addEventListener("load", watch);
  }
})();
