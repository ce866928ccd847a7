// Shared setup of the video-call browser tests: Chromium with fake camera
// and microphone, the reference server with video widgets, a visitor page,
// an agent played by a page (its own WebSocket and RTCPeerConnection, as
// the agent console does), and readers for what each side sees.
import { before, after, afterEach } from "node:test";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, widgetToml, consoleAgent } from "./chatserver.mjs";

export const CONFIG = `[[agents]]
id = "vid"
username = "demo"
password = "demo"
display_name = "Video Agent"
video = true
capacity = 5
` + widgetToml("vnormal", `video = { enabled = true, cameraMode = "normal" }`)
  + widgetToml("voneway", `video = { enabled = true, cameraMode = "one_way" }`)
  + widgetToml("voff", `video = { enabled = true, cameraMode = "camera_off" }`)
  + widgetToml("vnone", ``);

export let browser, server;
/** The contexts of the running test: they close when it ends, passed or
 * not (an agent page left open would answer the next test's calls too). */
export const open = [];
/** Registers the hooks of a test file: Chromium with fake devices, the
 * server on `config`. */
export function useVideoKit(config = CONFIG) {
  before(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: [...CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"] });
    server = await startChatServer({ config });
  });
  after(async () => { await browser?.close(); await server?.stop(); });
  afterEach(async () => { for (const c of open.splice(0)) await c.close().catch(() => {}); });
}

/** What getUserMedia was asked for, in the page. */
export const RECORD_MEDIA = `(() => {
  window.__media = [];
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (c) => { window.__media.push(JSON.stringify(c)); return gum(c); };
})();`;

/** Keeps the page's RTCPeerConnections in `window.__pcs` (the SDK's is the last). */
export const RECORD_PCS = `(() => {
  window.__pcs = [];
  const Pc = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Pc { constructor(...a) { super(...a); window.__pcs.push(this); } };
})();`;

/** Makes `pc` report `state` as its connectionState (or its own again, with
 * null) and fires connectionstatechange: a failure as the network gives it,
 * without cutting the network. A page expression for `pc`. */
export function fakeConnectionState(page, pc, state) {
  return page.evaluate(([expr, s]) => {
    const target = new Function(`return ${expr}`)();
    if (s === null) delete target.connectionState;
    else Object.defineProperty(target, "connectionState", { get: () => s, configurable: true });
    target.dispatchEvent(new Event("connectionstatechange"));
  }, [pc, state]);
}

/** A visitor page of `widget` (in `context`, when given: its clock, say). */
export async function visitor(widget, base = server.url, { init = "", context } = {}) {
  const v = await openPage(browser, base, `/config.html?data-server=/&data-widget=${widget}&data-ui=none`, { init: RECORD_MEDIA + init, context });
  open.push(v.ctx);
  await waitEvent(v.page, "lcw:ready");
  return v;
}

/** The agent: signs in, accepts conversations, and on an active call
 * offers its camera and microphone, as the console does. */
export async function videoAgent(url = server.url) {
  const context = await browser.newContext();
  open.push(context);
  const page = await context.newPage();
  await page.goto(`${url}/healthz`);
  await page.evaluate(async () => {
    const login = await (await fetch("/v1/agent/login", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "demo", password: "demo" }) })).json();
    window.__frames = [];
    window.__calls = [];
    const send = (f) => window.__ws.send(JSON.stringify(f));
    const offer = async (conversationId, callId) => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      const pc = new RTCPeerConnection();
      window.__pc = pc;
      window.__remote = new MediaStream();
      pc.ontrack = (e) => window.__remote.addTrack(e.track);
      pc.onicecandidate = (e) => send({ type: "rtc", conversationId, callId, payload: { type: "candidate", candidate: e.candidate && e.candidate.toJSON() } });
      for (const t of stream.getTracks()) pc.addTrack(t, stream);
      await pc.setLocalDescription(await pc.createOffer());
      send({ type: "rtc", conversationId, callId, payload: { type: "offer", sdp: pc.localDescription.sdp } });
    };
    await new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${location.host}/v1/agent/ws`);
      window.__ws = ws;
      ws.onopen = () => send({ type: "agent_hello", token: login.token });
      ws.onmessage = async (e) => {
        const f = JSON.parse(e.data);
        window.__frames.push(f);
        if (f.type === "agent_welcome") resolve();
        const c = f.conversation && (f.conversation.conversation || f.conversation);
        if (f.type === "agent_conversation_updated" && c && (c.state === "waiting" || c.state === "assigned")) send({ type: "accept", conversationId: c.id });
        if (f.type === "video") {
          window.__calls.push(f.call);
          if (f.call.state === "active") offer(f.conversationId, f.call.id);
        }
        if (f.type === "rtc" && window.__pc) {
          if (f.payload.type === "answer") await window.__pc.setRemoteDescription({ type: "answer", sdp: f.payload.sdp });
          if (f.payload.type === "candidate" && f.payload.candidate) await window.__pc.addIceCandidate(f.payload.candidate);
        }
      };
      ws.onerror = reject;
    });
  });
  return {
    page,
    conversation: async () => { await page.waitForFunction(() => window.__frames.some((f) => f.type === "agent_conversation_updated" && (f.conversation.conversation || f.conversation).state === "active")); return page.evaluate(() => window.__frames.filter((f) => f.type === "agent_conversation_updated").map((f) => (f.conversation.conversation || f.conversation).id).pop()); },
    video: (conversationId, action, callId) => page.evaluate((f) => window.__ws.send(JSON.stringify({ type: "video", ...f })), { conversationId, action, callId }),
    lastCall: () => page.evaluate(() => window.__calls[window.__calls.length - 1] || null),
    /** Width of the visitor's video as the agent receives it (0: none). */
    remoteWidth: (ms) => frameWidth(page, "window.__remote", ms),
    close: () => page.context().close(),
  };
}

/** Plays the stream `expr` (page expression) muted; resolves to the video's width once frames come (0 after `ms` without). */
export function frameWidth(page, expr, ms = 10000) {
  return page.evaluate(async ([x, wait]) => {
    const stream = new Function(`return ${x}`)();
    if (!stream || stream.getVideoTracks().length === 0) return 0;
    const v = document.createElement("video");
    v.muted = true;
    v.srcObject = stream;
    document.body.append(v);
    v.play().catch(() => {}); // settles only once frames come
    for (let t = 0; t < wait && v.videoWidth === 0; t += 100) await new Promise((r) => setTimeout(r, 100));
    const w = v.videoWidth;
    v.remove();
    return w;
  }, [expr, ms]);
}
/** The visitor's chat is open, the agent has it and invites to a call;
 * resolves when the visitor has the invitation. */
export async function invited(page, ag) {
  await page.evaluate(() => { window.lcw("startChat"); });
  await waitEvent(page, "lcw:startChat");
  const conv = await ag.conversation();
  await ag.video(conv, "invite");
  return { conv, invite: await waitEvent(page, "lcw:videoInvite") };
}
/** The visitor accepts in this tab; resolves once the media connect. */
export async function joined(page) {
  await page.evaluate(() => window.lcw("acceptVideoCall"));
  await waitEvent(page, "lcw:videoCallConnected");
}

export const visitorRemoteWidth = (page) => frameWidth(page, `window.lcw("getVideoCall").remoteStream`);
export const callInfo = (page) => page.evaluate(() => {
  const c = window.lcw("getVideoCall");
  return c && { ...c, localStream: c.localStream && c.localStream.getTracks().map((t) => `${t.kind}:${t.readyState}`).sort(),
    remoteStream: c.remoteStream && c.remoteStream.getTracks().map((t) => t.kind).sort() };
});
export const media = (page) => page.evaluate(() => window.__media);
export const events = (page, prefix) => page.evaluate((p) => window.__events.filter((e) => e.name.startsWith(p)).map((e) => [e.name, e.detail]), prefix);

/** A call between the agent console of `demo` (a server on the demo
 * defaults) and a visitor page (`init`: more of its init script): the
 * visitor starts a chat, the console accepts it and invites with its Video
 * button, the visitor accepts; resolves once the media connect. */
export async function consoleCall(demo, init = "") {
  const context = await browser.newContext();
  open.push(context);
  const { page: agentPage, errors: consoleErrors } = await consoleAgent(browser, demo.url, { context });
  const { page, ctx, errors } = await openPage(browser, demo.url, "/config.html?data-server=/&data-widget=demo&data-ui=none", { init: RECORD_MEDIA + init });
  open.push(ctx);
  await waitEvent(page, "lcw:ready");
  await page.evaluate(() => { window.lcw("startChat"); });
  await waitEvent(page, "lcw:startChat");
  await agentPage.waitForSelector("#mine li");
  await agentPage.click("#mine li");
  await agentPage.click("#accept");
  await agentPage.click("#video-start");
  const invite = await waitEvent(page, "lcw:videoInvite");
  await page.evaluate(() => window.lcw("acceptVideoCall"));
  await waitEvent(page, "lcw:videoCallConnected");
  return { agentPage, consoleErrors, page, errors, invite };
}
