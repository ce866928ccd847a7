// Compiled with `tsc --noEmit` against the built package: if the public
// types drift from what a page writes, this stops compiling.
import init, { createSdk, version, LiveChatSdk, type ChatContext, type LcwErrorDetail, type AuthTokenProvider, type SdkOptions } from "../../pkg/lcw_sdk.js";
import { mountWidgetPreview, WidgetPreview, type WidgetAction, type WidgetPreviewConfig, type WidgetPhase } from "../../pkg/lcw_sdk.js";

/** The widget UI driven from a page (mountWidgetPreview). */
function widget(): void {
  const config: WidgetPreviewConfig = {
    theme: { color: "#1d4ed8", position: "left", offsetX: 24, headerName: "Support", showAvatars: true, cornerRadius: 8 },
    preChat: { enabled: true, fields: [{ name: "name", required: true }, { name: "department", kind: "select", options: ["Sales"] }] },
    files: { allowedMimeTypes: ["image/*"], maxSizeBytes: 1_000_000 },
    translations: { fr: { send: "Envoyer" } },
  };
  const seen: WidgetAction[] = [];
  const w: WidgetPreview = mountWidgetPreview(config, (a) => {
    seen.push(a);
    if (a.type === "submitPrechat") console.log(a.answers["name"]);
    if (a.type === "sendFile") console.log(a.file.name, w.localUrl(a.file));
    if (a.type === "rate") console.log(a.thumbsUp, a.comment ?? "");
  });
  const phase: WidgetPhase = { phase: "queued", position: 2, waitSecs: 60 };
  w.open();
  w.setPhase(phase);
  w.addMessage({ id: "1", from: { kind: "agent", name: "Ada" }, text: "Hi", atMs: Date.now() });
  w.addMessage({ id: "2", from: { kind: "visitor" }, text: "Hello", status: "sending" });
  w.setStatus("2", "sent");
  w.setUploadProgress("2", 0.5);
  w.setTyping(true);
  w.setLocale("ar");
  w.setTheme({ color: "#000", textColor: "#fff" });
  const open: boolean = w.isOpen && w.popOut();
  console.log(w.locale, open, seen.length);
  w.minimize();
  w.hide();
  w.unmount();
  // @ts-expect-error: unknown phase
  w.setPhase({ phase: "dancing" });
  // @ts-expect-error: status is an enum
  w.setStatus("2", "lost");
}

async function main(): Promise<void> {
  await init();
  const options: SdkOptions = { exposeAs: "Microsoft.Omnichannel.LiveChatWidget.SDK", consent: "required", visitInactivityMinutes: 30 };
  const sdk: LiveChatSdk = createSdk(options);
  const v: string = version() + sdk.version;

  sdk.setContextProvider((): ChatContext => ({ "Case Id": { value: "CAS-1" }, Score: { value: 3, isDisplayable: false } }));
  sdk.setContextProvider(async () => ({ Vip: { value: true } }));
  const callbackAuth: AuthTokenProvider = (cb) => cb("a.b.c");
  sdk.setAuthTokenProvider(callbackAuth);
  sdk.setAuthTokenProvider(() => Promise.resolve("a.b.c"));
  await sdk.startChat({ customContext: { Page: { value: location.href } } });
  await sdk.closeChat();

  const off: () => void = sdk.on("lcw:error", (e) => {
    const d: LcwErrorDetail = e.detail;
    console.log(d.errorCode, d.errorDescription.length);
  });
  sdk.on("startChat", (e) => console.log(e.detail));
  off();
  window.addEventListener("lcw:startChat", (e) => console.log(e.detail.authenticated, e.detail.context));

  const counts = sdk.visitCounts();
  const n: number = counts.site + counts.page;
  sdk.resetVisits("all");
  sdk.setConsent(true);
  console.log(v, n, sdk.hasConsent(), sdk.getContextProvider(), sdk.getAuthTokenProvider());
  sdk.exposeAs("A.B");
  sdk.destroy();

  // @ts-expect-error: context values must be primitives
  sdk.startChat({ customContext: { Bad: { value: { nested: 1 } } } });
  // @ts-expect-error: unknown scope
  sdk.resetVisits("everything");
  // @ts-expect-error: consent mode is an enum
  createSdk({ consent: "maybe" });
}

void main();
void widget;
