// Mounts the default widget UI through mountWidgetPreview and records what
// it reports: actions in window.__actions (files in window.__files), widget
// window events in window.__uiEvents, CSP violations in window.__csp.
import init, { mountWidgetPreview } from "/pkg/lcw_sdk.js";

window.__actions = [];
window.__files = [];
window.__uiEvents = [];
window.__csp = [];
for (const n of ["onMaximize", "onMinimize", "onClose"]) {
  addEventListener("lcw:" + n, () => window.__uiEvents.push(n));
}
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));

const ready = init();

/** Mounts (or re-mounts) the widget with `config`. */
window.mountWidget = async (config) => {
  await ready;
  if (window.preview) window.preview.unmount();
  window.__actions = [];
  window.__files = [];
  window.preview = await mountWidgetPreview(config, (a) => {
    if (a.type === "sendFile") {
      window.__files.push(a.file);
      window.__actions.push({ type: a.type, name: a.file.name, mime: a.file.type, size: a.file.size });
    } else {
      window.__actions.push(a);
    }
  });
  return true;
};

/** The widget's shadow root. */
window.widgetRoot = () => document.querySelector("[data-lcw-widget]")?.shadowRoot;

ready.then(() => { document.body.dataset.ready = "1"; });
