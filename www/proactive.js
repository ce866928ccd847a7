// The proactive demo: each SPEC §3 scenario as one rule set, loaded with
// sdk.setProactiveRules. Everything is rendered as text.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var day = function (offset) { return new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10); };

  function scenarios(k) {
    var ms = function (n) { return Math.round(n / k); };
    return {
      time: { hint: "Stay on this page; the invite comes after the delay.", rules: [{ id: "time-on-page",
        when: { type: "timeOnPage", ms: ms(20000) },
        action: { message: "Need help choosing a plan?", context: { "Page URL": "{pageUrl}", "Time On Page": "{timeOnPage}" } } }] },
      visits: { hint: "Reload this page until it is your 3rd visit (the scenario is remembered across reloads).", rules: [{ id: "repeat-visit",
        when: { type: "all", of: [{ type: "visitCount", equals: 3 }, { type: "timeOnPage", ms: ms(5000) }] },
        action: { message: "Welcome back! Can we help?", resetVisitCount: true, context: { "Visit Count": "{visitCount}" } },
        caps: { once: "none" } }] },
      case: { hint: "Click setPageData first (or after: the invite waits for the case id).", rules: [{ id: "case-status",
        when: { type: "timeOnPage", ms: ms(10000) },
        action: { message: "Hi! Just to let you know, the case: {caseId} is in progress. Any question?",
          context: { "Case Id": "{caseId}" }, missingData: "skip" } }] },
      exit: { hint: "Wait, then move the pointer out of the page through the top edge.", rules: [{ id: "exit-intent",
        when: { type: "all", of: [{ type: "timeOnPage", ms: ms(15000) }, { type: "exitIntent", touchFallback: "fastScrollUp" }] },
        action: { message: "Before you go: can we help?" }, caps: { once: "session" } }] },
      referrer: { hint: "Open this page from the main demo page's link, then wait.", rules: [{ id: "from-home",
        when: { type: "all", of: [{ type: "any", of: [{ type: "referrer", glob: "*/" }, { type: "referrer", glob: "*/index.html" }] },
          { type: "timeOnPage", ms: ms(15000) }] },
        action: { message: "Found what you were looking for?", context: { "Page": "{pageUrl}", "Previous Page": "{previousPage}" } } }] },
      country: { hint: "Pick the country source's answer and click setCountrySource (or use geolocation).", rules: [{ id: "country-fr",
        when: { type: "country", in: ["FR"] }, action: { message: "Bonjour ! Une question ?", context: { "Country": "{country}" } } }] },
      dates: { hint: "Active from yesterday to next week (Paris time).", rules: [{ id: "this-week",
        when: { type: "all", of: [{ type: "dateWindow", start: day(-1), end: day(7), timeZone: "Europe/Paris" }, { type: "timeOnPage", ms: ms(3000) }] },
        action: { message: "This week's offer: questions?" } }] },
      broken: { hint: "The second rule ends before it starts: lcw:error 11 names it; the first still runs.", rules: [
        { id: "fine", when: { type: "timeOnPage", ms: ms(3000) }, action: { message: "The valid rule still works." } },
        { id: "broken-window", when: { type: "dateWindow", start: day(7), end: day(-1) } }] },
      question: { hint: "The invite asks a question first.", rules: [{ id: "consent",
        when: { type: "timeOnPage", ms: ms(10000) },
        action: { message: "Hi! I'm here to help.", prechatQuestion: "Do you wish to start a chat?", showPrechat: false } }] },
    };
  }

  function log(name, detail) {
    var li = document.createElement("li");
    li.className = name === "lcw:error" ? "error" : "";
    li.textContent = new Date().toLocaleTimeString() + "  " + name + (detail == null ? "" : "  " + JSON.stringify(detail));
    $("events").prepend(li);
  }
  ["ready", "error", "startChat", "closeChat", "proactiveInviteShown", "proactiveInviteAccepted",
    "proactiveInviteDismissed", "proactiveInviteExpired", "proactiveRulesRunning"].forEach(function (n) {
    window.addEventListener("lcw:" + n, function (e) { log("lcw:" + n, e.detail); });
  });

  function selected() {
    var k = $("fast").checked ? 10 : 1;
    return scenarios(k)[$("scenario").value];
  }
  function preview() {
    var s = selected();
    $("hint").textContent = s.hint;
    $("rules").textContent = JSON.stringify(s.rules, null, 2);
  }

  var saved = sessionStorage.getItem("lcw-demo-scenario");
  if (saved) { var p = JSON.parse(saved); $("scenario").value = p.name; $("fast").checked = p.fast; }
  $("scenario").addEventListener("change", preview);
  $("fast").addEventListener("change", preview);
  preview();

  window.lcw(function (sdk) {
    $("status").textContent = "ready";
    $("visits").textContent = String(sdk.visitCounts().page);
    function load() {
      sessionStorage.setItem("lcw-demo-scenario", JSON.stringify({ name: $("scenario").value, fast: $("fast").checked }));
      sdk.setProactiveRules(selected().rules);
      log("rules loaded", $("scenario").value);
    }
    if (saved) load();
    $("load").addEventListener("click", load);
    $("page-data").addEventListener("click", function () { sdk.setPageData({ caseId: $("case-id").value }); });
    $("country-set").addEventListener("click", function () {
      var c = $("country").value;
      sdk.setCountrySource(function () { return Promise.resolve(c || null); });
    });
    $("geo").addEventListener("click", function () {
      // A stand-in for the site's maps API: a rough bounding box of France.
      sdk.useGeolocationCountry(function (lat, lon) {
        return Promise.resolve(lat > 41 && lat < 51.5 && lon > -5.5 && lon < 9.8 ? "FR" : "ZZ");
      });
    });
    var n = 0;
    $("spa").addEventListener("click", function () { history.pushState({}, "", "?view=" + (++n)); });
    $("manual").addEventListener("click", function () {
      sdk.startProactiveChat({ message: $("manual-message").value }, false, { customContext: { Source: { value: "demo button" } } });
    });
    $("close").addEventListener("click", function () { sdk.closeChat(); });
  });
})();
