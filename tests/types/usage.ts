// Compiled with `tsc --noEmit` against the built package: if the public
// types drift from what a page writes, this stops compiling.
import init, { createSdk, version, LiveChatSdk, type ChatContext, type LcwErrorDetail, type AuthTokenProvider, type SdkOptions,
  type ProactiveRule, type ProactiveConfig, type ProactiveInviteDetail, type ChatAttachment } from "../../pkg/lcw_sdk.js";
import { mountWidgetPreview, WidgetPreview, type WidgetAction, type WidgetPreviewConfig, type WidgetPhase } from "../../pkg/lcw_sdk.js";

/** The widget UI driven from a page (mountWidgetPreview). */
async function widget(): Promise<void> {
  const config: WidgetPreviewConfig = {
    theme: { color: "#1d4ed8", position: "left", offsetX: 24, headerName: "Support", showAvatars: true, cornerRadius: 8 },
    preChat: { enabled: true, fields: [{ name: "name", required: true }, { name: "department", kind: "select", options: ["Sales"] }] },
    files: { allowedMimeTypes: ["image/*"], maxSizeBytes: 1_000_000 },
    translations: { fr: { send: "Envoyer" } },
  };
  const seen: WidgetAction[] = [];
  // @ts-expect-error: it resolves to the widget (its code loads first)
  const notYet: WidgetPreview = mountWidgetPreview(config, () => {});
  const w: WidgetPreview = await mountWidgetPreview(config, (a) => {
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
  w.setTheme({ color: "#000", textColor: "#fff", titleAlert: false, sound: false });
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
  sdk.setAuthorizationCode("SplxlOBeZQQYbYS6WxSbIA");
  sdk.setAuthorizationCode("SplxlOBeZQQYbYS6WxSbIA", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  // @ts-expect-error: the code is a string
  sdk.setAuthorizationCode(42);
  sdk.on("lcw:error", (e) => { if (e.detail.errorCode === 15) sdk.setAuthorizationCode("fresh"); });
  sdk.on("lcw:videoInvite", async (e) => { if (e.detail.cameraMode !== "one_way") await sdk.acceptVideoCall(); });
  sdk.on("lcw:videoCallEnded", (e) => console.log(e.detail.callId, e.detail.reason));
  sdk.on("lcw:chatReconnecting", (e) => { const c: string = e.detail.conversationId; console.log("offline", c); });
  sdk.on("lcw:chatReconnected", (e) => console.log("online", e.detail.conversationId));
  sdk.on("lcw:messagesRead", (e) => { if (e.detail.reader === "agent") console.log("seen up to", e.detail.seq); });
  const read = sdk.getReadState();
  if (read && read.visitorReadSeq < read.agentReadSeq && document.visibilityState === "visible") { const news: boolean = sdk.markRead(); console.log(news); }
  // @ts-expect-error: markRead takes no seq
  sdk.markRead(3);
  document.querySelector("textarea")?.addEventListener("input", () => { const told: boolean = sdk.sendTyping(); console.log(told); });
  sdk.sendTyping(false);
  // @ts-expect-error: typing is a boolean
  sdk.sendTyping("yes");
  sdk.on("lcw:videoCallReconnecting", (e) => { const id: string = e.detail.callId; console.log(id, sdk.getVideoCall()?.reconnecting === true); });
  const call = sdk.getVideoCall();
  if (call && call.inThisTab && call.remoteStream) document.createElement("video").srcObject = call.remoteStream;
  if ((await sdk.getAgentAvailability()).isVideoAgentAvailable) await sdk.requestVideoCall();
  await sdk.setVideoCamera(false);
  // @ts-expect-error: on/off is a boolean
  await sdk.setVideoMicrophone("off");
  await sdk.startChat({ customContext: { Page: { value: location.href } } });
  const id: string = sdk.sendMessage("hello");
  const all = sdk.getMessages();
  const last = all[all.length - 1] as (typeof all)[number] | undefined;
  if (last && last.status === "sending" && last.id === id) console.log(last.text);
  const a = await sdk.getAgentAvailability();
  if (a.isAgentAvailable) console.log(a.queueId, a.averageWaitTime, a.startTimeOfNextOperatingHours);
  sdk.on("lcw:onMessageReceived", async (e) => {
    console.log(e.detail.sender, e.detail.text);
    const file: ChatAttachment | null | undefined = e.detail.attachment;
    if (file && file.mimeType.startsWith("image/")) {
      const blob: Blob = await sdk.fetchAttachment(file.id);
      console.log(file.name, file.size, URL.createObjectURL(blob));
    }
  });
  await sdk.closeChat();

  const off: () => void = sdk.on("lcw:error", (e) => {
    const d: LcwErrorDetail = e.detail;
    console.log(d.errorCode, d.errorDescription.length, d.clientId?.length);
  });
  sdk.on("startChat", (e) => console.log(e.detail));
  off();
  window.addEventListener("lcw:startChat", (e) => console.log(e.detail.authenticated, e.detail.context));

  const counts = sdk.visitCounts();
  const n: number = counts.site + counts.page;
  sdk.resetVisits("all");
  sdk.setConsent(true);
  console.log(v, n, sdk.hasConsent(), sdk.getContextProvider(), sdk.getAuthTokenProvider());
  sdk.setLocale("fr-CA");
  sdk.exposeAs("A.B");

  // Proactive chat.
  const rule: ProactiveRule = {
    id: "time-on-page",
    when: { type: "all", of: [{ type: "pagePath", equals: "/pricing" }, { type: "timeOnPage", ms: 20000 }] },
    action: { message: "Need help?", context: { "Page URL": "{pageUrl}" }, autoCloseMs: 60000 },
    caps: { once: "session" },
  };
  const config: ProactiveConfig = { settings: { maxInvitesPerSession: 1 }, rules: [rule] };
  createSdk({ proactiveRules: [rule], country: "FR" });
  createSdk({ proactiveRules: JSON.stringify(config) });
  sdk.setProactiveRules(config);
  sdk.setProactiveRules([rule, { id: "fr", when: { type: "country", in: ["FR"] } }]);
  sdk.registerPredicate("cartFull", () => true);
  sdk.registerPredicate("vip", async () => false);
  sdk.setPageData({ caseId: "CAS-1", score: 3, vip: true });
  sdk.setCountrySource(() => "FR");
  sdk.setCountrySource(async () => null);
  sdk.useGeolocationCountry(async (lat: number, lon: number) => (lat > 0 && lon > 0 ? "FR" : undefined));
  sdk.setAgentAvailability(true);
  await sdk.startProactiveChat({ message: "Hi!" }, false, { customContext: { Page: { value: "x" } } });
  await sdk.startProactiveChat({}, true, { Page: { value: 1 } });
  window.addEventListener("lcw:proactiveInviteShown", (e) => console.log(e.detail.ruleId, e.detail.message));
  sdk.on("proactiveInviteAccepted", (e) => { const d: ProactiveInviteDetail = e.detail; console.log(d.ruleId); });
  window.addEventListener("lcw:proactiveRulesRunning", (e) => { const ids: string[] = e.detail.ruleIds; console.log(ids.length); });
  sdk.on("proactiveRulesRunning", (e) => console.log(e.detail.ruleIds.join()));
  sdk.destroy();

  // @ts-expect-error: unknown condition type
  sdk.setProactiveRules([{ id: "x", when: { type: "timeOnPages", ms: 1 } }]);
  // @ts-expect-error: the message is a string
  sdk.startProactiveChat({ message: 42 });
  // @ts-expect-error: page data values are primitives
  sdk.setPageData({ nested: { a: 1 } });

  // @ts-expect-error: context values must be primitives
  sdk.startChat({ customContext: { Bad: { value: { nested: 1 } } } });
  // @ts-expect-error: unknown scope
  sdk.resetVisits("everything");
  // @ts-expect-error: consent mode is an enum
  createSdk({ consent: "maybe" });
}

void main();
void widget;
