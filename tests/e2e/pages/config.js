// Adds the loader script tag with data-* attributes taken from the query
// string (?data-consent=required&...), so one page serves many configs.
(function () {
  var params = new URLSearchParams(location.search);
  var s = document.createElement("script");
  s.src = "/pkg/lcw.js";
  params.forEach(function (v, k) { if (k.indexOf("data-") === 0) s.setAttribute(k, v); });
  document.head.appendChild(s);
})();
