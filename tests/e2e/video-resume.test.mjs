// A call socket that the network drops (no close frame) while the call is
// on: the SDK opens it again and the server hands the call back, while the
// media go on peer to peer; if the network stays down past the server's
// wait, the call ends as `disconnected` and the SDK stops trying (told by
// the chat socket, or on its own once the server's wait, which the
// widget's configuration gives, is over). A call socket that goes silent
// without closing is found by the SDK's heartbeat and taken over by a new
// one. The
// visitor's page goes through a TCP proxy of this test, which can cut one
// connection or refuse new ones.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { waitEvent } from "./browser.mjs";
import { startChatServer } from "./chatserver.mjs";
import { useVideoKit, CONFIG, browser, server, open, visitor, videoAgent, invited, joined, visitorRemoteWidth, callInfo, events } from "./video-kit.mjs";

useVideoKit();

/** A TCP proxy to `port` on 127.0.0.1. Each connection keeps the start of
 * what the server sent, which tells a call socket (its first frame is the
 * call's `video` frame) from a chat socket (`welcome`) or plain HTTP. */
function tcpProxy(port) {
  const conns = [];
  let blocked = false, refused = 0;
  const srv = net.createServer((client) => {
    if (blocked) { refused++; client.destroy(); return; }
    const upstream = net.connect(port, "127.0.0.1");
    const c = { client, upstream, down: "", stalled: false, lost: "" };
    conns.push(c);
    client.on("data", (d) => { if (!c.stalled) upstream.write(d); });
    upstream.on("data", (d) => { if (c.stalled) { c.lost += d.toString("latin1"); return; } if (c.down.length < 4096) c.down += d.toString("latin1"); client.write(d); });
    const end = () => { client.destroy(); upstream.destroy(); };
    // A stalled connection's end does not reach the server either.
    client.on("close", () => { if (c.stalled) client.destroy(); else end(); }).on("error", () => { if (!c.stalled) end(); });
    upstream.on("close", end).on("error", end);
  });
  const ready = new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const isCall = (c) => c.down.includes("101 Switching Protocols") && /"type":"video"/.test(c.down) && !/"type":"welcome"/.test(c.down);
  return {
    ready,
    get url() { return `http://127.0.0.1:${srv.address().port}`; },
    /** Call sockets the server took (it sent them the active call). */
    calls: () => conns.filter(isCall),
    /** Stops carrying a connection's bytes, both ways, for good, without
     * closing it (a NAT that forgot it): each end thinks it is open. What
     * the server sends then is kept in `lost`. */
    stall: (c) => { c.stalled = true; },
    /** Cuts a connection both ways, with no WebSocket close frame. */
    cut: (c) => { c.client.destroy(); c.upstream.destroy(); },
    block: (on) => { blocked = on; },
    /** Cuts every connection (the whole network goes). */
    cutAll: () => { for (const c of conns) { c.client.destroy(); c.upstream.destroy(); } },
    refused: () => refused,
    close: () => { for (const c of conns) { c.client.destroy(); c.upstream.destroy(); } srv.close(); },
  };
}

const proxies = [];
after(() => { for (const p of proxies) p.close(); });
async function proxyTo(url) {
  const p = tcpProxy(Number(new URL(url).port));
  proxies.push(p);
  await p.ready;
  return p;
}

/** Nothing ended anywhere, the call is still this tab's, and the agent's
 * video still plays in it: a call that went on through its socket's loss. */
async function goesOn(page, ag) {
  assert.deepEqual((await events(page, "lcw:video")).map(([n]) => n),
    ["lcw:videoInvite", "lcw:videoCallStarted", "lcw:videoCallConnected"]);
  assert.equal(await ag.page.evaluate(() => window.__calls.some((c) => c.state === "ended")), false);
  const info = await callInfo(page);
  assert.equal(info.state, "active");
  assert.equal(info.inThisTab, true);
  assert.ok(await visitorRemoteWidth(page) > 0, "the agent's video still plays");
  return info;
}

async function until(check, what, ms = 15000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

test("the network drops the call socket: the SDK opens it again, the server hands the call back, the call goes on", async () => {
  const proxy = await proxyTo(server.url);
  const ag = await videoAgent();
  const { page, errors } = await visitor("vnormal", proxy.url);
  const { conv, invite } = await invited(page, ag);
  await joined(page);
  assert.equal(proxy.calls().length, 1);

  proxy.cut(proxy.calls()[0]);
  await until(() => proxy.calls().length === 2, "a second call socket taken by the server");
  // Nothing ended anywhere; the media kept going.
  const info = await goesOn(page, ag);
  assert.deepEqual(info.localStream, ["audio:live", "video:live"]);
  assert.ok(await ag.remoteWidth() > 0, "the visitor's video still reaches the agent");
  const texts = await page.evaluate(() => window.lcw("getMessages").map((m) => m.text));
  assert.equal(texts.filter((t) => t === "Video call started").length, 1, "a resume is not a new call");

  // The call is still the server's and this tab's: the agent hangs up.
  await ag.video(conv, "end", invite.callId);
  assert.deepEqual(await waitEvent(page, "lcw:videoCallEnded"), { callId: invite.callId, reason: "agent" });
  assert.deepEqual(await events(page, "lcw:error"), []);
  assert.deepEqual(errors, []);
});

test("the network stays down past the server's wait: the call ends as disconnected, the devices go, the SDK stops trying", async () => {
  const short = await startChatServer({ config: "call_resume_secs = 1\n" + CONFIG });
  try {
    const proxy = await proxyTo(short.url);
    const ag = await videoAgent(short.url);
    const { page, errors } = await visitor("vnormal", proxy.url);
    const { invite } = await invited(page, ag);
    await joined(page);
    await page.evaluate(() => { window.__tracks = window.lcw("getVideoCall").localStream.getTracks(); });

    proxy.block(true); // the chat socket's connection stays; new ones fail
    proxy.cut(proxy.calls()[0]);
    assert.deepEqual(await waitEvent(page, "lcw:videoCallEnded"), { callId: invite.callId, reason: "disconnected" });
    await ag.page.waitForFunction(() => window.__calls.some((c) => c.state === "ended" && c.reason === "disconnected"));
    await page.waitForFunction(() => window.__tracks.every((t) => t.readyState === "ended"));
    assert.ok(proxy.refused() >= 1, "the SDK tried to get back");
    // No more attempts once the call is over (the next backoff step is
    // under 2 s at this point).
    const tried = proxy.refused();
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(proxy.refused(), tried, "the retries stopped");
    assert.equal((await callInfo(page)).inThisTab, false);
    assert.deepEqual(errors, []);
  } finally {
    for (const c of open.splice(0)) await c.close().catch(() => {});
    await short.stop();
  }
});

test("the whole network goes: the SDK stops trying once the server's wait (from the widget's configuration) is over", async () => {
  const short = await startChatServer({ config: "call_resume_secs = 1\n" + CONFIG });
  try {
    const proxy = await proxyTo(short.url);
    const ag = await videoAgent(short.url);
    const { page } = await visitor("vnormal", proxy.url);
    const { invite } = await invited(page, ag);
    await joined(page);
    await page.evaluate(() => { window.__tracks = window.lcw("getVideoCall").localStream.getTracks(); });

    // The chat socket goes too, so nothing can tell the tab the call is over.
    proxy.block(true);
    const t0 = Date.now();
    proxy.cutAll();
    assert.deepEqual(await waitEvent(page, "lcw:videoCallEnded", "true", 8000), { callId: invite.callId, reason: "disconnected" });
    const took = Date.now() - t0;
    // The server waits 1 s; the SDK tries for that plus 2 s (20 s when the
    // server does not say), so it has given up within about 3 s.
    assert.ok(took >= 1000 && took < 6000, `gave up after ${took} ms`);
    assert.ok(proxy.refused() >= 1, "the SDK tried to get back first");
    await page.waitForFunction(() => window.__tracks.every((t) => t.readyState === "ended"));
    await ag.page.waitForFunction(() => window.__calls.some((c) => c.state === "ended" && c.reason === "disconnected"));
    assert.equal((await callInfo(page)).inThisTab, false);
  } finally {
    for (const c of open.splice(0)) await c.close().catch(() => {});
    await short.stop();
  }
});

/** A call whose socket the network silently forgets; `notice` steps the
 * page's clock (in 1 s steps: the chat socket, which still works, answers
 * its own pings between them) until a second call socket is taken; then
 * the call must go on as if nothing happened. */
async function silentCallSocket(notice) {
  const proxy = await proxyTo(server.url);
  const ag = await videoAgent();
  const context = await browser.newContext();
  open.push(context);
  await context.clock.install(); // real time, until the test steps it
  const { page, errors } = await visitor("vnormal", proxy.url, { context });
  const { conv, invite } = await invited(page, ag);
  await joined(page);
  const [first] = proxy.calls();
  proxy.stall(first);
  const step = async (seconds) => {
    for (let i = 0; i < seconds && proxy.calls().length < 2; i++) {
      await context.clock.fastForward(1000);
      await new Promise((r) => setTimeout(r, 40));
    }
    return proxy.calls().length;
  };
  await notice({ page, step });
  await until(() => proxy.calls().length === 2, "a second call socket taken by the server");
  // The server still held the silent one and let go of it for the new
  // one (its close frame, lost on the way); it had not seen it drop.
  await until(() => first.lost.includes("call socket let go"), "the server's close of the silent socket");
  // Nothing ended anywhere; the media kept going.
  await goesOn(page, ag);
  // The new socket is the call's: the call's end comes on it.
  await ag.video(conv, "end", invite.callId);
  assert.deepEqual(await waitEvent(page, "lcw:videoCallEnded"), { callId: invite.callId, reason: "agent" });
  await until(() => /"state":"ended"/.test(proxy.calls()[1].down), "the call's end on the new call socket");
  assert.deepEqual(await events(page, "lcw:error"), []);
  assert.deepEqual(errors, []);
}

test("a call socket that goes silent without closing: the SDK's heartbeat pings it after 25 s of quiet, gives it up 10 s later, and a new one takes the call over at once, while the server still holds the silent one", () => silentCallSocket(async ({ step }) => {
  assert.equal(await step(20), 1, "nothing before the ping's 25 s and its answer's 10 s");
  assert.equal(await step(20), 2);
}));

test("the network back (`online`): the call socket is pinged at once and given up 10 s later if silent", () => silentCallSocket(async ({ page, step }) => {
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  assert.equal(await step(8), 1, "not before the answer's 10 s");
  assert.equal(await step(4), 2, "within 10 s of the probe, not 35 s");
}));
