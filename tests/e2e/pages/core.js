// The core build imported as an ES module, as a bundler would import
// "lcw-sdk/core"; createSdk options come from the query string
// (?ui=default&server=/...). Its export names go to window.__coreExports.
import init, * as core from "/pkg/lcw_core.js";

const options = Object.fromEntries(new URLSearchParams(location.search));
delete options.csp;
window.__coreExports = Object.keys(core);
await init();
window.sdk = core.createSdk(options);
