// A headless chat page: everything comes from the SDK's public API and
// events, and every text is rendered as text.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  function log(name, detail) {
    var li = document.createElement("li");
    li.textContent = new Date().toLocaleTimeString() + "  " + name + (detail == null ? "" : "  " + JSON.stringify(detail));
    if (name === "lcw:error") li.className = "error";
    $("events").prepend(li);
  }
  ["ready", "error", "startChat", "closeChat", "chatQueued", "chatRetrieved", "onMessageReceived", "onMessageSent",
    "threadUpdate", "getAgentAvailability", "chatReconnecting", "chatReconnected", "messagesRead"].forEach(function (n) {
    window.addEventListener("lcw:" + n, function (e) { log("lcw:" + n, e.detail); render(); });
  });
  // The chat's connection: messages typed while it is down wait, in order.
  window.addEventListener("lcw:chatReconnecting", function () { $("status").textContent = "connection lost, reconnecting…"; });
  window.addEventListener("lcw:chatReconnected", function () { $("status").textContent = "connected"; });
  function render() {
    if (!window.lcw || !window.lcw.sdk) return;
    var list = $("messages");
    list.replaceChildren();
    // Read receipts: the visitor's messages the agent has read say "seen".
    var read = window.lcw("getReadState") || { agentReadSeq: 0 };
    window.lcw("getMessages").forEach(function (m) {
      var li = document.createElement("li");
      li.className = "msg " + m.sender;
      var who = document.createElement("strong");
      who.textContent = (m.sender === "visitor" ? "You" : (m.authorName || m.sender)) + ": ";
      var text = document.createElement("span");
      text.textContent = m.text;
      var status = document.createElement("small");
      var seen = m.seq && m.seq <= read.agentReadSeq;
      status.textContent = m.sender === "visitor" ? "  (" + (seen ? "seen" : m.status) + ")" : "";
      li.append(who, text, status);
      list.append(li);
    });
    // The messages are on screen: the agent's console shows "Seen" (the SDK
    // says each new message once).
    if (document.visibilityState === "visible") window.lcw("markRead");
  }
  document.addEventListener("visibilitychange", render);
  window.addEventListener("lcw:ready", function () {
    $("status").textContent = "ready";
    window.lcw("getAgentAvailability").then(function (a) {
      $("availability").textContent = a.isAgentAvailable ? "available" : "none signed in (you will wait in the queue)";
    }, function (e) { $("availability").textContent = "unknown (" + e.message + ")"; });
    $("start").onclick = function () { window.lcw("startChat"); };
    $("close").onclick = function () { window.lcw("closeChat").then(render); };
    $("composer").onsubmit = function (e) {
      e.preventDefault();
      var t = $("text").value;
      if (!t.trim()) return;
      try { window.lcw("sendMessage", t); $("text").value = ""; } catch (err) { log("thrown " + err.code, err.message); }
      window.lcw("sendTyping", false);
      render();
    };
    // The agent sees "Visitor is typing…" while the field is being filled.
    $("text").oninput = function () { window.lcw("sendTyping", $("text").value !== ""); };
  });
})();
