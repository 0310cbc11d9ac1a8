// Loaded by lab pages between require.js and the widgets HTML manager (see
// nb_ipywidgets_js in _config.yml; copied into _static/vendor/html-manager/).
// The manager finds its icon fonts next to the URL require.js gives its own
// modules; by default that is a CDN-shaped path beside the page
// (labs/@jupyter-widgets/html-manager/dist/...), which does not exist in this
// site. Point those modules at the folder this script was served from.
(function () {
  var src = document.currentScript.src;
  var here = src.slice(0, src.lastIndexOf("/"));
  require.config({
    paths: {
      "@jupyter-widgets/html-manager": here + "/html-manager",
      "@jupyter-widgets/html-manager/dist": here
    }
  });
})();
