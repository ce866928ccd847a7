// The demo page's own script: it drives the SDK only through its public API
// and renders everything as text.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var names = ["ready", "error", "startChat", "closeChat", "chatQueued", "chatRetrieved", "onClose",
    "onMinimize", "onMaximize", "onMessageReceived", "onMessageSent", "threadUpdate", "getAgentAvailability",
    "proactiveInviteShown", "proactiveInviteAccepted", "proactiveInviteDismissed", "proactiveInviteExpired", "proactiveRulesRunning"];

  function log(name, detail) {
    var li = document.createElement("li");
    li.className = name === "lcw:error" ? "error" : "";
    li.textContent = new Date().toLocaleTimeString() + "  " + name + (detail === undefined ? "" : "  " + JSON.stringify(detail));
    $("events").prepend(li);
  }
  names.forEach(function (n) {
    window.addEventListener("lcw:" + n, function (e) { log("lcw:" + n, e.detail); });
  });

  function b64url(obj) {
    return btoa(JSON.stringify(obj)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  }
  function demoJwt(expOffsetSecs) {
    var now = Math.floor(Date.now() / 1000);
    return b64url({ alg: "HS256", typ: "JWT" }) + "." + b64url({ sub: "demo-customer", iat: now, exp: now + expOffsetSecs }) + ".ZGVtby1zaWduYXR1cmU";
  }

  function showVisits(sdk) {
    var v = sdk.visitCounts();
    $("visits-site").textContent = String(v.site);
    $("visits-page").textContent = String(v.page);
    $("visits-persisted").textContent = v.persisted ? "in cookies" : "in memory only";
  }
  function tryCall(fn) {
    try { fn(); } catch (e) { log("thrown " + e.name + " " + e.code, e.message); }
  }

  window.addEventListener("lcw:ready", function (e) {
    var sdk = window.Microsoft.Omnichannel.LiveChatWidget.SDK;
    $("status").textContent = "ready";
    $("version").textContent = "v" + e.detail.version;
    showVisits(sdk);
    window.addEventListener("lcw:startChat", function (ev) {
      $("context").textContent = JSON.stringify(ev.detail.context, null, 2);
    });
    $("start").onclick = function () { tryCall(function () { sdk.startChat(); }); };
    $("close").onclick = function () { sdk.closeChat(); };
    $("reset-page").onclick = function () { sdk.resetVisits("page"); showVisits(sdk); };
    $("reset-all").onclick = function () { sdk.resetVisits("all"); showVisits(sdk); };
    $("consent-off").onclick = function () { sdk.setConsent(false); showVisits(sdk); };
    $("consent-on").onclick = function () { sdk.setConsent(true); showVisits(sdk); };
    $("auth-good").onclick = function () { sdk.setAuthTokenProvider(function (cb) { cb(demoJwt(3600)); }); log("auth provider set", "valid for 1 h"); };
    $("auth-expired").onclick = function () { sdk.setAuthTokenProvider(function () { return Promise.resolve(demoJwt(-3600)); }); log("auth provider set", "expired token"); };
    $("auth-none").onclick = function () { sdk.setAuthTokenProvider(function (cb) { cb(""); }); log("auth provider set", "no token"); };
    $("auth-off").onclick = function () { sdk.removeAuthTokenProvider(); log("auth provider removed"); };
    $("bad-provider").onclick = function () { tryCall(function () { sdk.setContextProvider("not a function"); }); };
    $("throwing-provider").onclick = function () {
      sdk.setContextProvider(function () { throw new Error("CRM lookup failed"); });
      sdk.closeChat().then(function () { return sdk.startChat(); });
    };
    $("bad-shape").onclick = function () {
      sdk.setContextProvider(function () { return { Order: { value: { nested: true } } }; });
      sdk.closeChat().then(function () { return sdk.startChat(); });
    };
    $("bad-event").onclick = function () { tryCall(function () { sdk.on("nope", function () {}); }); };
  });
})();
