// Video calls (SPEC §4, iAdvize's video channel), the visitor's SDK against
// the reference server and an agent played by a page of this test (its own
// WebSocket and RTCPeerConnection, as the agent console does): the visitor
// asks or the agent invites, the visitor joins through a call socket, media
// flow both ways as the widget's camera mode allows (Chromium's fake camera
// and microphone), and either side ends it. What the visitor's browser is
// asked for is recorded from getUserMedia.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, widgetToml } from "./chatserver.mjs";

const CONFIG = `[[agents]]
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

let browser, server;
before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"] });
  server = await startChatServer({ config: CONFIG });
});
after(async () => { await browser?.close(); await server?.stop(); });
// Each test's pages go when it ends, passed or not: an agent page left open
// would answer the next test's calls too.
const open = [];
afterEach(async () => { for (const c of open.splice(0)) await c.close().catch(() => {}); });

/** What getUserMedia was asked for, in the page. */
const RECORD_MEDIA = `(() => {
  window.__media = [];
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (c) => { window.__media.push(JSON.stringify(c)); return gum(c); };
})();`;

async function visitor(widget) {
  const v = await openPage(browser, server.url, `/config.html?data-server=/&data-widget=${widget}&data-ui=none`, { init: RECORD_MEDIA });
  open.push(v.ctx);
  await waitEvent(v.page, "lcw:ready");
  return v;
}

/** The agent: signs in, accepts conversations, and on an active call
 * offers its camera and microphone, as the console does. */
async function videoAgent(url = server.url) {
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
function frameWidth(page, expr, ms = 10000) {
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
async function invited(page, ag) {
  await page.evaluate(() => { window.lcw("startChat"); });
  await waitEvent(page, "lcw:startChat");
  const conv = await ag.conversation();
  await ag.video(conv, "invite");
  return { conv, invite: await waitEvent(page, "lcw:videoInvite") };
}
/** The visitor accepts in this tab; resolves once the media connect. */
async function joined(page) {
  await page.evaluate(() => window.lcw("acceptVideoCall"));
  await waitEvent(page, "lcw:videoCallConnected");
}

const visitorRemoteWidth = (page) => frameWidth(page, `window.lcw("getVideoCall").remoteStream`);
const callInfo = (page) => page.evaluate(() => {
  const c = window.lcw("getVideoCall");
  return c && { ...c, localStream: c.localStream && c.localStream.getTracks().map((t) => `${t.kind}:${t.readyState}`).sort(),
    remoteStream: c.remoteStream && c.remoteStream.getTracks().map((t) => t.kind).sort() };
});
const media = (page) => page.evaluate(() => window.__media);
const events = (page, prefix) => page.evaluate((p) => window.__events.filter((e) => e.name.startsWith(p)).map((e) => [e.name, e.detail]), prefix);

test("normal mode: the visitor asks, the agent invites, the asking tab joins by itself; video both ways; the visitor hangs up", async () => {
  const ag = await videoAgent();
  const { page, ctx, errors } = await visitor("vnormal");
  assert.equal((await page.evaluate(() => window.lcw("getAgentAvailability"))).isVideoAgentAvailable, true);
  await page.evaluate(() => window.lcw("requestVideoCall"));
  const requested = await waitEvent(page, "lcw:videoRequested");
  const conv = await ag.conversation();
  await ag.page.waitForFunction(() => window.__calls.some((c) => c.state === "requested"));
  await ag.video(conv, "invite");
  const started = await waitEvent(page, "lcw:videoCallStarted");
  assert.deepEqual(started, { callId: requested.callId, inThisTab: true });
  await waitEvent(page, "lcw:videoCallConnected");
  assert.deepEqual(await media(page), [JSON.stringify({ audio: true, video: true })]);
  assert.ok(await visitorRemoteWidth(page) > 0, "the agent's video plays on the visitor's page");
  assert.ok(await ag.remoteWidth() > 0, "the visitor's camera reaches the agent");
  const info = await callInfo(page);
  assert.deepEqual(info, { callId: requested.callId, state: "active", cameraMode: "normal", reason: null, inThisTab: true,
    localStream: ["audio:live", "video:live"], remoteStream: ["audio", "video"] });
  await page.evaluate(() => window.lcw("endVideoCall"));
  assert.deepEqual(await waitEvent(page, "lcw:videoCallEnded"), { callId: requested.callId, reason: "visitor" });
  await ag.page.waitForFunction(() => window.__calls.some((c) => c.state === "ended" && c.reason === "visitor"));
  // The devices are let go; the transcript says what happened.
  await page.waitForFunction(() => window.lcw("getVideoCall").inThisTab === false);
  const texts = await page.evaluate(() => window.lcw("getMessages").map((m) => m.text));
  assert.ok(texts.includes("Video call started") && texts.includes("Video call ended"), texts.join(" | "));
  assert.deepEqual((await events(page, "lcw:video")).map(([n]) => n),
    ["lcw:videoRequested", "lcw:videoInvite", "lcw:videoCallStarted", "lcw:videoCallConnected", "lcw:videoCallEnded"]);
  assert.deepEqual(errors, []);
  await page.evaluate(() => window.lcw("closeChat"));
  await ctx.close();
  await ag.close();
});

test("one_way mode: the agent invites; the visitor's camera is never asked for; video goes agent to visitor only; the agent hangs up", async () => {
  const ag = await videoAgent();
  const { page, ctx, errors } = await visitor("voneway");
  const { conv, invite } = await invited(page, ag);
  assert.equal(invite.cameraMode, "one_way");
  await joined(page);
  assert.deepEqual(await media(page), [JSON.stringify({ audio: true, video: false })]);
  assert.ok(await visitorRemoteWidth(page) > 0);
  assert.equal(await ag.remoteWidth(2000), 0, "no video from the visitor");
  assert.equal(await ag.page.evaluate(() => window.__pc.getTransceivers().find((t) => t.receiver.track.kind === "video").currentDirection), "sendonly");
  const refused = await page.evaluate(() => window.lcw("setVideoCamera", true).then(() => "resolved", (e) => `${e.code}: ${e.message}`));
  assert.match(refused, /^16: .*one_way/);
  assert.deepEqual(await media(page), [JSON.stringify({ audio: true, video: false })], "still never asked for the camera");
  await ag.video(conv, "end", invite.callId);
  assert.deepEqual(await waitEvent(page, "lcw:videoCallEnded"), { callId: invite.callId, reason: "agent" });
  assert.deepEqual(errors, []);
  await page.evaluate(() => window.lcw("closeChat"));
  await ctx.close();
  await ag.close();
});

test("camera_off mode: the visitor joins with the microphone, turns the camera on (the agent sees it) and off (the device is let go)", async () => {
  const ag = await videoAgent();
  const { page, ctx, errors } = await visitor("voff");
  const { conv } = await invited(page, ag);
  await joined(page);
  assert.deepEqual(await media(page), [JSON.stringify({ audio: true, video: false })]);
  assert.equal(await ag.remoteWidth(2000), 0, "camera off at first");
  await page.evaluate(() => window.lcw("setVideoCamera", true));
  assert.deepEqual(await media(page), [JSON.stringify({ audio: true, video: false }), JSON.stringify({ audio: false, video: true })]);
  assert.ok(await ag.remoteWidth() > 0, "the camera turned on reaches the agent without a new offer");
  await page.evaluate(() => window.lcw("setVideoCamera", false));
  assert.deepEqual((await callInfo(page)).localStream, ["audio:live"]);
  await page.evaluate(() => window.lcw("setVideoMicrophone", false));
  assert.equal(await page.evaluate(() => window.lcw("getVideoCall").localStream.getAudioTracks()[0].enabled), false);
  // Closing the chat ends the call.
  await page.evaluate(() => window.lcw("closeChat"));
  const ended = await waitEvent(page, "lcw:videoCallEnded");
  assert.equal(ended.reason, "closed");
  await ag.page.waitForFunction(() => window.__calls.some((c) => c.state === "ended" && c.reason === "closed"));
  assert.equal(await page.evaluate(() => window.lcw("getVideoCall")), null);
  assert.deepEqual(errors, []);
  await ctx.close();
  await ag.close();
});

test("refusals: video off for the widget (16), a declined invitation, a refused microphone (16; the invitation stands until withdrawn)", async () => {
  const ag = await videoAgent();
  const off = await visitor("vnone");
  assert.equal((await off.page.evaluate(() => window.lcw("getAgentAvailability"))).isVideoAgentAvailable, false);
  const refused = await off.page.evaluate(() => window.lcw("requestVideoCall").then(() => "resolved", (e) => `${e.name} ${e.code}: ${e.message}`));
  assert.match(refused, /^LiveChatSdkError 16: .*video_unavailable/);
  await off.page.evaluate(() => window.lcw("closeChat"));
  await off.ctx.close();

  const { page, ctx, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=vnormal&data-ui=none", {
    init: `navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("denied", "NotAllowedError"));`,
  });
  open.push(ctx);
  await waitEvent(page, "lcw:ready");
  const { conv, invite: first } = await invited(page, ag);
  await page.evaluate(() => window.lcw("declineVideoCall"));
  assert.deepEqual(await waitEvent(page, "lcw:videoCallEnded"), { callId: first.callId, reason: "declined" });
  await ag.video(conv, "invite");
  const second = await waitEvent(page, "lcw:videoInvite", `d.callId !== ${JSON.stringify(first.callId)}`);
  const denied = await page.evaluate(() => window.lcw("acceptVideoCall").then(() => "resolved", (e) => `${e.code}: ${e.message}`));
  assert.match(denied, /^16: cannot use the camera and microphone: the visitor or the browser refused it \("NotAllowedError"\)$/);
  // The invitation stands: the visitor may still decline it, or the agent withdraw it.
  await ag.video(conv, "end", second.callId);
  assert.deepEqual(await waitEvent(page, "lcw:videoCallEnded", `d.callId === ${JSON.stringify(second.callId)}`), { callId: second.callId, reason: "agent" });
  assert.deepEqual(errors, []);
  await page.evaluate(() => window.lcw("closeChat"));
  await ctx.close();
  await ag.close();
});

test("two tabs of one chat: both hear the invitation, the tab that accepts takes the call, both hear it start and end", async () => {
  const ag = await videoAgent();
  const context = await browser.newContext();
  open.push(context);
  const PAGE = "/config.html?data-server=/&data-widget=vnormal&data-ui=none";
  const a = await openPage(browser, server.url, PAGE, { context, init: RECORD_MEDIA });
  await waitEvent(a.page, "lcw:ready");
  await a.page.evaluate(() => { window.lcw("startChat"); });
  await waitEvent(a.page, "lcw:startChat");
  const b = await openPage(browser, server.url, PAGE, { context, init: RECORD_MEDIA });
  await waitEvent(b.page, "lcw:chatRetrieved");
  const conv = await ag.conversation();
  await ag.video(conv, "invite");
  const [ia, ib] = await Promise.all([waitEvent(a.page, "lcw:videoInvite"), waitEvent(b.page, "lcw:videoInvite")]);
  assert.equal(ia.callId, ib.callId);
  // Tab b follows tab a (which holds the chat's socket), and takes the call.
  await b.page.evaluate(() => window.lcw("acceptVideoCall"));
  await waitEvent(b.page, "lcw:videoCallConnected");
  assert.deepEqual(await waitEvent(a.page, "lcw:videoCallStarted"), { callId: ia.callId, inThisTab: false });
  assert.deepEqual(await waitEvent(b.page, "lcw:videoCallStarted"), { callId: ia.callId, inThisTab: true });
  assert.deepEqual(await media(a.page), [], "tab a never asked for the devices");
  assert.ok(await visitorRemoteWidth(b.page) > 0);
  // Tab a hangs up the call that is in tab b.
  await a.page.evaluate(() => window.lcw("endVideoCall"));
  for (const t of [a, b]) assert.deepEqual(await waitEvent(t.page, "lcw:videoCallEnded"), { callId: ia.callId, reason: "visitor" });
  await b.page.waitForFunction(() => window.lcw("getVideoCall").inThisTab === false);
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.page.evaluate(() => window.lcw("closeChat"));
});

test("destroy() during a call lets the devices go and the call ends for the agent (disconnected)", async () => {
  const ag = await videoAgent();
  const { page, errors } = await visitor("vnormal");
  const { conv } = await invited(page, ag);
  await joined(page);
  await page.evaluate(() => { window.__tracks = window.lcw("getVideoCall").localStream.getTracks(); window.lcw("destroy"); });
  await ag.page.waitForFunction(() => window.__calls.some((c) => c.state === "ended" && c.reason === "disconnected"));
  await page.waitForFunction(() => window.__tracks.every((t) => t.readyState === "ended"));
  assert.deepEqual(errors, []);
});

test("the agent console: the Video button invites, the console offers its camera, both videos play, End call hangs up", async () => {
  const demo = await startChatServer(); // demo defaults: a video-capable agent, the demo widget with video on
  try {
    const context = await browser.newContext();
    open.push(context);
    const agentPage = await context.newPage();
    const consoleErrors = [];
    agentPage.on("pageerror", (e) => consoleErrors.push(String(e)));
    await agentPage.goto(`${demo.url}/agent/`);
    await agentPage.fill("#login [name=username]", "demo");
    await agentPage.fill("#login [name=password]", "demo");
    await agentPage.click("#login button[type=submit]");
    await agentPage.waitForSelector("#desk:not([hidden])");
    const { page, ctx, errors } = await openPage(browser, demo.url, "/config.html?data-server=/&data-widget=demo&data-ui=none", { init: RECORD_MEDIA });
    open.push(ctx);
    await waitEvent(page, "lcw:ready");
    await page.evaluate(() => { window.lcw("startChat"); });
    await waitEvent(page, "lcw:startChat");
    await agentPage.waitForSelector("#mine li");
    await agentPage.click("#mine li");
    await agentPage.click("#accept");
    await agentPage.click("#video-start");
    const invite = await waitEvent(page, "lcw:videoInvite");
    assert.equal(invite.cameraMode, "normal");
    await page.evaluate(() => window.lcw("acceptVideoCall"));
    await waitEvent(page, "lcw:videoCallConnected");
    await agentPage.waitForFunction(() => window.__video.pc && window.__video.pc.connectionState === "connected");
    assert.ok(await visitorRemoteWidth(page) > 0, "the console's camera plays on the visitor's page");
    await agentPage.waitForFunction(() => document.getElementById("remote-video")?.videoWidth > 0, null, { timeout: 10000 });
    await agentPage.click("#video-end");
    assert.deepEqual(await waitEvent(page, "lcw:videoCallEnded"), { callId: invite.callId, reason: "agent" });
    await agentPage.waitForFunction(() => !document.getElementById("remote-video"));
    assert.deepEqual(errors, []);
    assert.deepEqual(consoleErrors, []);
  } finally { await demo.stop(); }
});

test("the default widget: the header's video button shows only with a video agent on, asks for a call; the call plays in the widget; mic switch, hang up; an agent's invitation is joined from the widget", async () => {
  const demo = await startChatServer({ staticDir: "www" });
  try {
    const widgetPage = async () => {
      const v = await openPage(browser, demo.url, "/widget.html", { init: RECORD_MEDIA });
      open.push(v.ctx);
      await waitEvent(v.page, "lcw:ready");
      return v;
    };
    const inWidget = (page, body) => page.waitForFunction((b) => new Function("root", b)(document.querySelector("[data-lcw-widget]")?.shadowRoot), body, { timeout: 10000 });
    const click = (page, sel) => page.evaluate((s) => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(s).click(), sel);
    const hidden = (page, sel) => page.evaluate((s) => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(s).hidden, sel);
    // No video agent signed in: the window opens without the button (chat only).
    const before = await widgetPage();
    await inWidget(before.page, `return root?.querySelector(".launcher")`);
    await click(before.page, ".launcher");
    assert.equal((await waitEvent(before.page, "lcw:getAgentAvailability")).isVideoAgentAvailable, false);
    await before.page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    assert.equal(await hidden(before.page, "[data-act=video]"), true);
    await before.ctx.close();

    const ag = await videoAgent(demo.url);
    const { page, errors } = await widgetPage();
    await inWidget(page, `return root?.querySelector(".launcher")`);
    await click(page, ".launcher");
    await inWidget(page, `return root.querySelector("[data-act=video]:not([hidden])")`);
    await click(page, "[data-act=video]");
    await inWidget(page, `return root.querySelector(".vid:not([hidden]) [data-l=videoWaiting]")`);
    const conv = await ag.conversation();
    await ag.video(conv, "invite");
    await waitEvent(page, "lcw:videoCallConnected");
    await inWidget(page, `const v = root.querySelector(".vid video.remote"); return v && v.videoWidth > 0`);
    assert.equal(await hidden(page, ".vid video.local"), false, "the camera preview shows");
    assert.equal(await hidden(page, "[data-act=video]"), true, "no video button during a call");
    await click(page, "[data-act=video-mic-off]");
    await inWidget(page, `return root.querySelector("[data-act=video-mic-on][aria-pressed=false]")`);
    assert.equal(await page.evaluate(() => window.lcw("getVideoCall").localStream.getAudioTracks()[0].enabled), false);
    await click(page, "[data-act=video-hangup]");
    assert.equal((await waitEvent(page, "lcw:videoCallEnded")).reason, "visitor");
    await inWidget(page, `return root.querySelector(".vid[hidden]")`);
    // The agent invites: Join in the widget.
    await ag.video(conv, "invite");
    await inWidget(page, `return root.querySelector(".vid:not([hidden]) [data-act=video-join]")`);
    await click(page, "[data-act=video-join]");
    await page.waitForFunction(() => window.__events.filter((e) => e.name === "lcw:videoCallConnected").length === 2);
    await inWidget(page, `const v = root.querySelector(".vid video.remote"); return v && v.videoWidth > 0`);
    await ag.video(conv, "end", (await ag.lastCall()).id);
    await inWidget(page, `return root.querySelector(".vid[hidden]")`);
    assert.deepEqual(errors, []);
  } finally { await demo.stop(); }
});
