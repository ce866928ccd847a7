// A single-page app that creates the SDK itself with createSdk options.
import init, { createSdk } from "/pkg/lcw_sdk.js";

await init();
window.sdk = createSdk({
  proactiveRules: [
    { id: "pricing", when: { type: "all", of: [{ type: "pagePath", glob: "*/spa/pricing" }, { type: "timeOnPage", ms: 20000 }] },
      action: { message: "Questions about pricing?", context: { "Page URL": "{pageUrl}", "Time On Page": "{timeOnPage}" } } },
  ],
});
