// A video call's media connection that fails (the network changed under
// one side) is restarted, not ended: the agent console makes a new offer
// with fresh ICE credentials (an ICE restart), which the visitor's SDK
// answers as the first; the SDK ends the call only when the connection is
// not back within the call's resume window (the server's call_resume_secs,
// from the widget's configuration). The failure is reported to the page's
// handlers as the browser reports it (connectionState "failed" and a
// connectionstatechange event), so that the test needs no network cut.
import { test } from "node:test";
import assert from "node:assert/strict";
import { waitEvent } from "./browser.mjs";
import { startChatServer } from "./chatserver.mjs";
import { useVideoKit, CONFIG, open, RECORD_PCS, fakeConnectionState, visitor, videoAgent, invited, joined, consoleCall,
  visitorRemoteWidth, callInfo, events } from "./video-kit.mjs";

useVideoKit();

const ufrag = (sdp) => (/a=ice-ufrag:(\S+)/.exec(sdp || "") || [])[1];
const SDK_PC = "window.__pcs[window.__pcs.length - 1]";

test("the agent console restarts ICE when the media connection fails; the SDK answers the new offer and the call goes on", async () => {
  const demo = await startChatServer();
  try {
    const { agentPage, consoleErrors, page, errors, invite } = await consoleCall(demo, RECORD_PCS);
    await agentPage.waitForFunction(() => window.__video.pc && window.__video.pc.connectionState === "connected");
    const first = await page.evaluate((pc) => new Function(`return ${pc}`)().localDescription.sdp, SDK_PC);

    await fakeConnectionState(agentPage, "window.__video.pc", "failed");
    await fakeConnectionState(agentPage, "window.__video.pc", null);
    // The visitor answered an offer with new ICE credentials, and the
    // console has that answer.
    await page.waitForFunction(([pc, old]) => {
      const d = new Function(`return ${pc}`)().localDescription;
      return d && d.type === "answer" && /a=ice-ufrag:(\S+)/.exec(d.sdp)[1] !== old;
    }, [SDK_PC, ufrag(first)]);
    const restarted = await page.evaluate((pc) => new Function(`return ${pc}`)().localDescription.sdp, SDK_PC);
    await agentPage.waitForFunction((u) => {
      const pc = window.__video.pc;
      return pc.signalingState === "stable" && pc.remoteDescription.sdp.includes(`a=ice-ufrag:${u}`) && pc.connectionState === "connected";
    }, ufrag(restarted));
    assert.equal(await agentPage.evaluate(() => window.__video.restarts), 1, "one restart");
    assert.ok(await visitorRemoteWidth(page) > 0, "the console's camera still plays on the visitor's page");
    await agentPage.waitForFunction(() => document.getElementById("remote-video")?.videoWidth > 0, null, { timeout: 10000 });
    assert.equal((await callInfo(page)).state, "active");
    assert.deepEqual((await events(page, "lcw:videoCallEnded")), []);
    assert.deepEqual(await events(page, "lcw:error"), []);

    await agentPage.click("#video-end");
    assert.deepEqual(await waitEvent(page, "lcw:videoCallEnded"), { callId: invite.callId, reason: "agent" });
    assert.deepEqual(errors, []);
    assert.deepEqual(consoleErrors, []);
  } finally { await demo.stop(); }
});

test("the SDK waits for the media connection to come back: back in time, the call goes on; not back within the call's resume window, the call ends (16)", async () => {
  const short = await startChatServer({ config: "call_resume_secs = 1\n" + CONFIG }); // a 3 s window: 1 s and the SDK's 2 s margin
  try {
    const ag = await videoAgent(short.url);
    const { page, errors } = await visitor("vnormal", short.url, { init: RECORD_PCS });
    const { invite } = await invited(page, ag);
    await joined(page);

    assert.equal((await callInfo(page)).reconnecting, false);
    await fakeConnectionState(page, SDK_PC, "disconnected");
    const down = await waitEvent(page, "lcw:videoCallReconnecting");
    assert.deepEqual(down, { callId: invite.callId });
    assert.equal((await callInfo(page)).reconnecting, true, "getVideoCall() says so");
    await fakeConnectionState(page, SDK_PC, "failed"); // the same outage: no second event
    await new Promise((r) => setTimeout(r, 500));
    await fakeConnectionState(page, SDK_PC, null); // connected again
    await page.waitForFunction(() => window.lcw("getVideoCall").reconnecting === false);
    await new Promise((r) => setTimeout(r, 3500)); // past the window
    assert.equal((await callInfo(page)).state, "active", "back in time: the call goes on");
    assert.deepEqual(await events(page, "lcw:error"), []);
    assert.deepEqual((await events(page, "lcw:videoCall")).map(([n]) => n),
      ["lcw:videoCallStarted", "lcw:videoCallConnected", "lcw:videoCallReconnecting", "lcw:videoCallConnected"],
      "reconnecting once, connected again once it is back");

    const t0 = Date.now();
    await fakeConnectionState(page, SDK_PC, "failed");
    const err = await waitEvent(page, "lcw:error", "d.errorCode === 16", 10000);
    const took = Date.now() - t0;
    assert.match(err.errorDescription, /did not come back/);
    assert.ok(took >= 2500, `it waited for the window first: ${took} ms`);
    const ended = await waitEvent(page, "lcw:videoCallEnded");
    assert.equal(ended.callId, invite.callId);
    assert.deepEqual((await events(page, "lcw:videoCall")).map(([n]) => n).slice(2),
      ["lcw:videoCallReconnecting", "lcw:videoCallConnected", "lcw:videoCallReconnecting", "lcw:videoCallEnded"]);
    await ag.page.waitForFunction(() => window.__calls.some((c) => c.state === "ended"));
    assert.equal((await callInfo(page)).inThisTab, false);
    assert.deepEqual(errors, []);
  } finally {
    for (const c of open.splice(0)) await c.close().catch(() => {});
    await short.stop();
  }
});
