// The test site's own script (no inline scripts): the command-queue stub,
// then page data and a country source read from <body data-*>, the way a
// site would wire its server-rendered values to the SDK.
window.lcw = window.lcw || function () { (window.lcw.q = window.lcw.q || []).push(arguments); };
document.addEventListener("DOMContentLoaded", function () {
  var d = document.body.dataset;
  if (d.caseId) window.lcw("setPageData", { caseId: d.caseId });
  if (d.countrySource) {
    window.lcw("setCountrySource", function () {
      window.__countryAsked = (window.__countryAsked || 0) + 1;
      return Promise.resolve(d.countrySource);
    });
  }
});
