// oauth.html: the OAuth 2.0 authorization-code flow with PKCE (RFC 7636) on
// the page's side. Sign-in goes to the provider with a fresh state and code
// challenge; back here with ?code=, the code and its verifier are queued for
// the SDK (CXone's command queue: this runs before the SDK has loaded) and
// taken out of the address bar, since a code works once.
window.lcw = window.lcw || function () { (window.lcw.q = window.lcw.q || []).push(arguments); };
(function () {
  "use strict";
  var KEY = "lcw-demo-oauth";
  var here = location.origin + location.pathname;
  var params = new URLSearchParams(location.search);
  var saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
  var message = null;
  if (params.has("code")) {
    if (saved && saved.state === params.get("state")) {
      window.lcw("setAuthorizationCode", params.get("code"), saved.verifier);
      message = "Signed in: the code is with the SDK. Open the chat; the agent will see who you are.";
    } else {
      message = "The sign-in answer did not match this page's request (state): sign in again.";
    }
    sessionStorage.removeItem(KEY);
    history.replaceState(null, "", here);
  }

  function b64url(bytes) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  async function signIn() {
    var state = b64url(crypto.getRandomValues(new Uint8Array(16)));
    var verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
    var challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    sessionStorage.setItem(KEY, JSON.stringify({ state: state, verifier: verifier }));
    var q = new URLSearchParams({ response_type: "code", client_id: "lcw-demo", redirect_uri: here, state: state,
      code_challenge: challenge, code_challenge_method: "S256" });
    location.assign("/demo-idp/authorize?" + q);
  }

  function show(text) { document.getElementById("signed").textContent = text; }
  document.addEventListener("DOMContentLoaded", function () {
    if (message) show(message);
    document.getElementById("signin").addEventListener("click", signIn);
  });
  // No code, or a spent one: the chat server refuses the chat (code 15).
  window.addEventListener("lcw:error", function (e) {
    if (e.detail && e.detail.errorCode === 15) show("Sign in first: " + e.detail.errorDescription);
  });
})();
