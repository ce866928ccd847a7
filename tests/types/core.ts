// The core build's entry, imported by package name so that pkg/package.json's
// exports map (and its `types` conditions) is what resolves it; test.sh links
// pkg/ as tests/types/node_modules/lcw-sdk. Same SDK API, no widget class.
import init, { createSdk, version, LiveChatSdk, type SdkOptions, type LcwErrorDetail, type ProactiveRule } from "lcw-sdk/core";
import initFull, { createSdk as createFull, mountWidgetPreview } from "lcw-sdk";
// @ts-expect-error: the core build has no widget
import { mountWidgetPreview as noWidget } from "lcw-sdk/core";

async function core(): Promise<void> {
  await init();
  const options: SdkOptions = { ui: "none", server: "/", widget: "demo", prefetch: "idle" };
  // @ts-expect-error: intent or idle
  const eager: SdkOptions = { prefetch: "eager" };
  console.log(eager);
  const sdk: LiveChatSdk = createSdk(options);
  console.log(version(), sdk.version);
  sdk.on("lcw:error", (e) => { const d: LcwErrorDetail = e.detail; console.log(d.errorCode); });
  const rule: ProactiveRule = { id: "t", when: { type: "timeOnPage", ms: 1000 }, action: { message: "Hi" } };
  sdk.setProactiveRules([rule]);
  await sdk.startProactiveChat({ message: "Hello" }, false);
  await sdk.startChat();
  sdk.sendMessage("hi");
  await sdk.closeChat();
  sdk.destroy();
  // @ts-expect-error: ui is "default" or "none"
  createSdk({ ui: "headless" });
}

async function full(): Promise<void> {
  await initFull();
  createFull({ ui: "default" });
  (await mountWidgetPreview({}, (a) => console.log(a.type))).unmount();
}

void core();
void full();
void noWidget;
