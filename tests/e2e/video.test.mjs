// Video calls (SPEC §4, iAdvize's video channel), the visitor's SDK against
// the reference server and an agent played by a page of this test (its own
// WebSocket and RTCPeerConnection, as the agent console does): the visitor
// asks or the agent invites, the visitor joins through a call socket, media
// flow both ways as the widget's camera mode allows (Chromium's fake camera
// and microphone), and either side ends it. What the visitor's browser is
// asked for is recorded from getUserMedia.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, waitEvent } from "./browser.mjs";
import { startChatServer } from "./chatserver.mjs";
import { useVideoKit, browser, server, open, RECORD_MEDIA, RECORD_PCS, fakeConnectionState, visitor, videoAgent, invited, joined, frameWidth, consoleCall,
  visitorRemoteWidth, callInfo, media, events } from "./video-kit.mjs";

useVideoKit();

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
  assert.deepEqual(info, { callId: requested.callId, state: "active", cameraMode: "normal", reason: null, inThisTab: true, reconnecting: false,
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

test("the agent console: the Video button invites, the console offers its camera, both videos play, End call hangs up; both sides get the TURN relay's short-lived pair", async () => {
  // Demo defaults (a video-capable agent, the demo widget with video on)
  // and a TURN relay with a shared secret (nothing listens there: the
  // call connects directly on this machine).
  const demo = await startChatServer({ config: '[turn]\nurls = ["turn:127.0.0.1:9?transport=udp"]\nshared_secret = "e2e-secret-0123456789"\nttl_secs = 600\n' });
  try {
    const { agentPage, consoleErrors, page, errors, invite } = await consoleCall(demo, RECORD_PCS);
    assert.equal(invite.cameraMode, "normal");
    await agentPage.waitForFunction(() => window.__video.pc && window.__video.pc.connectionState === "connected");
    const relay = (servers) => servers.filter((s) => [].concat(s.urls)[0] === "turn:127.0.0.1:9?transport=udp")
      .map((s) => ({ who: s.username.split(":")[1], fresh: Number(s.username.split(":")[0]) * 1000 - Date.now() > 500_000, credential: !!s.credential }));
    const expected = (who) => [{ who, fresh: true, credential: true }];
    assert.deepEqual(relay(await agentPage.evaluate(() => window.__video.pc.getConfiguration().iceServers)), expected("agent-demo"), "the console's connection");
    assert.deepEqual(relay(await page.evaluate(() => window.__pcs[window.__pcs.length - 1].getConfiguration().iceServers)), expected("visitor-demo"), "the SDK's");
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
      const v = await openPage(browser, demo.url, "/widget.html", { init: RECORD_MEDIA + RECORD_PCS });
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
    // The media connection drops (reported as the browser reports it): the
    // call's area says so until it is back.
    const sdkPc = "window.__pcs[window.__pcs.length - 1]";
    assert.equal(await hidden(page, ".vid .reconnecting"), true);
    await fakeConnectionState(page, sdkPc, "disconnected");
    await inWidget(page, `const s = root.querySelector(".vid .reconnecting"); return !s.hidden && s.getAttribute("role") === "status" && s.textContent === "Reconnecting the video…"`);
    await fakeConnectionState(page, sdkPc, null); // connected again
    await inWidget(page, `return root.querySelector(".vid .reconnecting").hidden`);
    await click(page, "[data-act=video-mic-off]");
    await inWidget(page, `return root.querySelector("[data-act=video-mic-on][aria-pressed=false]")`);
    assert.equal(await page.evaluate(() => window.lcw("getVideoCall").localStream.getAudioTracks()[0].enabled), false);
    await click(page, "[data-act=video-hangup]");
    assert.equal((await waitEvent(page, "lcw:videoCallEnded")).reason, "visitor");
    await inWidget(page, `return root.querySelector(".vid[hidden]")`);
    // The agent invites: Join in the widget.
    await ag.video(conv, "invite");
    await inWidget(page, `return root.querySelector(".vid:not([hidden]) [data-act=video-join]")`);
    const connected = () => page.evaluate(() => window.__events.filter((e) => e.name === "lcw:videoCallConnected").length);
    const seen = await connected();
    await click(page, "[data-act=video-join]");
    await page.waitForFunction((n) => window.__events.filter((e) => e.name === "lcw:videoCallConnected").length === n + 1, seen);
    await inWidget(page, `const v = root.querySelector(".vid video.remote"); return v && v.videoWidth > 0`);
    await ag.video(conv, "end", (await ag.lastCall()).id);
    await inWidget(page, `return root.querySelector(".vid[hidden]")`);
    assert.deepEqual(errors, []);
  } finally { await demo.stop(); }
});
