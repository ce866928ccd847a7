/*! lcw-sdk loader: one script tag, no dependencies. */
// <script src=".../lcw.js" data-expose-as="..." data-...></script>
// Installs a command function (window.lcw by default; data-global renames it)
// that queues calls made before the SDK has loaded, fetches the .wasm in
// parallel with the JS glue, creates the SDK from the data-* attributes,
// replays the queue, and the SDK then dispatches `lcw:ready`.
// data-ui="none" (the page draws its own chat) loads the core build
// (lcw_core: no widget, a smaller download); otherwise the full one (lcw_sdk).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var ds = script.dataset;
  var name = ds.global || "lcw";
  var base = script.src.replace(/[^/]*([?#].*)?$/, "");
  var existing = window[name];
  if (existing && existing.sdk) return; // already loaded on this page
  var queue = (existing && existing.q) || [];

  function fail(code, message) {
    window.dispatchEvent(new CustomEvent("lcw:error", { detail: { errorCode: code, errorDescription: message } }));
  }

  var stub = function () { queue.push(arguments); };
  stub.q = queue;
  window[name] = stub;

  var build = base + (ds.ui === "none" ? "lcw_core" : "lcw_sdk");
  // Start the .wasm download now instead of after the glue has loaded.
  var wasm = fetch(ds.wasm || build + "_bg.wasm", { credentials: "same-origin" });

  import(build + ".js")
    .then(function (glue) {
      return glue.default({ module_or_path: wasm }).then(function () {
        // A task of its own for createSdk: finishing the module's compile and
        // instantiating it is one task's work, the SDK's start-up another, so
        // that neither grows into a long task (>= 50 ms) on a slow device.
        // Posted through a MessageChannel, not a timer: not clamped, and not
        // held back by a page's fake timers.
        return new Promise(function (resolve) {
          var channel = new MessageChannel();
          channel.port1.onmessage = function () { resolve(); };
          channel.port2.postMessage(0);
        });
      }).then(function () {
        var config = {};
        for (var key in ds) if (key !== "wasm") config[key] = ds[key];
        var sdk = glue.createSdk(config);
        var call = function (method) {
          if (typeof method === "function") return method(sdk);
          var fn = typeof method === "string" && method.charAt(0) !== "_" && method !== "free" &&
            method !== "constructor" ? sdk[method] : undefined;
          if (typeof fn !== "function") {
            // Typed like the SDK's own errors; the name is described without
            // JSON.stringify, which throws for a BigInt or a hostile proxy.
            var err = new Error(name + ": unknown command " + describe(method));
            err.name = "LiveChatSdkError";
            err.code = "LCW_INVALID_ARGUMENT";
            throw err;
          }
          return fn.apply(sdk, [].slice.call(arguments, 1));
        };
        var cmd = function () { return call.apply(null, arguments); };
        cmd.sdk = sdk;
        window[name] = cmd;
        for (var i = 0; i < queue.length; i++) {
          try {
            var result = call.apply(null, queue[i]);
            if (result && typeof result.then === "function") result.then(null, report(queue[i][0]));
          } catch (e) {
            report(queue[i][0])(e);
          }
        }
        queue.length = 0;
      });
    })
    .catch(function (e) {
      var msg = String((e && e.message) || e);
      var blocked = (typeof WebAssembly === "object" && e instanceof WebAssembly.CompileError) ||
        /wasm-unsafe-eval|Content Security Policy/i.test(msg);
      fail(blocked ? 9 : 7, blocked
        ? "WebAssembly is blocked by the page's Content Security Policy (script-src needs 'wasm-unsafe-eval'): " + msg
        : "the SDK could not load: " + msg);
    });

  function report(method) {
    return function (e) {
      // Whatever the page's code threw (a proxy whose traps throw, a
      // symbol) must not stop the replay of the commands after it.
      var why;
      try { why = String((e && e.message) || e); } catch (_) { why = "a value that cannot be read was thrown"; }
      fail(12, "queued command " + describe(method) + " failed: " + why);
    };
  }

  // A command's name for a message: a string quoted, anything else by its type.
  function describe(method) {
    return typeof method === "string" ? JSON.stringify(method) : "(a " + typeof method + ")";
  }
})();
