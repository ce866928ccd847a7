// Token expiry mid-chat against the real reference server (widget `jwt`,
// HS256, leeway 0) with 2-second visitor tokens. The page's auth token
// provider asks this test (node) to mint them, so each test decides when it
// answers, fails or hands out a wrong token. Lost and duplicated messages are
// counted on the agent's side and in the server's store and must be 0.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const SECRET = "e2e-reauth-secret-0123456789";
const CONFIG = `[[widgets]]
id = "jwt"
allowed_origins = ["*"]
auth_mode = "jwt"
[widgets.jwt]
alg = "HS256"
secret = "${SECRET}"
leeway_secs = 0
[widgets.config]
widgetId = "jwt"
queueId = "default"
`;
const PAGE = "/config.html?data-server=/&data-widget=jwt&data-auth-token-provider=__auth.getToken";

function sign(claims) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
  return `${body}.${createHmac("sha256", SECRET).update(body).digest("base64url")}`;
}

/** The site's token endpoint, played by the test: `mode` ok | fail | empty |
 * other (a valid token for another visitor); `hold()` keeps answers back
 * until `release()`. Tokens live 2 s. */
async function tokenEndpoint(context) {
  const ep = { mode: "ok", lastExp: 0, calls: 0, gate: null };
  ep.hold = () => { let open; ep.gate = new Promise((r) => { open = r; }); ep.release = () => { ep.gate = null; open(); }; };
  await context.exposeFunction("__mint", async () => {
    ep.calls++;
    while (ep.gate) await ep.gate;
    if (ep.mode === "fail") throw new Error("token endpoint is down");
    if (ep.mode === "empty") return "";
    const now = Math.floor(Date.now() / 1000);
    if (ep.mode === "ok") ep.lastExp = now + 2;
    return sign({ sub: ep.mode === "other" ? "someone-else" : "cust-e2e", iat: now, exp: now + 2 });
  });
  await context.addInitScript(() => { window.__auth = { getToken: () => window.__mint() }; });
  return ep;
}

/** Every frame of the page's chat sockets: `{ out, type, ... }`. */
function spy(page) {
  const log = [];
  page.on("websocket", (ws) => {
    if (!ws.url().endsWith("/v1/ws")) return;
    ws.on("framesent", (f) => log.push({ out: true, ...JSON.parse(f.payload) }));
    ws.on("framereceived", (f) => log.push({ out: false, ...JSON.parse(f.payload) }));
  });
  return log;
}

async function until(what, pred, timeout = 10000) {
  const end = Date.now() + timeout;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until the server refuses the newest token: exp passed (leeway 0). */
async function tokenExpired(ep) {
  const at = (ep.lastExp + 1) * 1000 + 100;
  await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
}

const statusOf = (page) => page.evaluate(() => Object.fromEntries(window.lcw("getMessages")
  .filter((m) => m.sender === "visitor").map((m) => [m.text, m.status])));

async function sentEverywhere(pages, texts, timeout = 15000) {
  await Promise.all(pages.map((p) => p.waitForFunction((want) => {
    const sent = window.lcw("getMessages").filter((m) => m.status === "sent").map((m) => m.text);
    return want.every((w) => sent.includes(w));
  }, texts, { timeout })));
}

/** Visitor texts in the server's store, in seq order (agent API). */
async function stored(ag, convId) {
  return ag.page.evaluate(async (id) => {
    const login = await (await fetch("/v1/agent/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "demo", password: "demo" }) })).json();
    const r = await (await fetch(`/v1/agent/conversations/${id}/messages`, { headers: { authorization: `Bearer ${login.token}` } })).json();
    return r.messages.filter((m) => m.sender === "visitor").map((m) => m.text);
  }, convId);
}

const errorsOf = (page) => page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail));

/** Agent signed in; a visitor tab (own context) with a chat started and one message sent. */
async function chatting(server) {
  const ag = await agent(browser, server.url);
  const context = await browser.newContext();
  const ep = await tokenEndpoint(context);
  const { page } = await openPage(browser, server.url, PAGE, { context });
  const frames = spy(page);
  await waitEvent(page, "lcw:ready");
  await page.evaluate(() => window.lcw("startChat"));
  const started = await waitEvent(page, "lcw:startChat");
  assert.equal(started.authenticated, true);
  const convId = await ag.firstConversation();
  await page.evaluate(() => window.lcw("sendMessage", "m0"));
  await sentEverywhere([page], ["m0"]);
  return { ag, context, ep, page, frames, convId };
}

test("token expires mid-chat: refused sends are re-sent after a fresh token, once each, in order (leader and follower tab)", async () => {
  const server = await startChatServer({ config: CONFIG });
  try {
    const { ag, context, ep, page, frames, convId } = await chatting(server);
    // The refresh before exp reaches the server too (auth frame, auth_ok).
    await until("a proactive renewal", () => frames.some((f) => !f.out && f.type === "auth_ok"), 5000);
    assert.ok(frames.some((f) => f.out && f.type === "auth"), "auth frame sent on the open socket");
    assert.ok(frames.some((f) => f.out && f.type === "hello" && typeof f.authToken === "string"), "hello carries the token");

    const { page: follower } = await openPage(browser, server.url, PAGE, { context }); // many tabs: follows the leader
    await waitEvent(follower, "lcw:chatRetrieved");

    ep.hold(); // the token endpoint stalls (within the provider timeout): the token expires
    await tokenExpired(ep);
    const [id1] = await page.evaluate(() => [window.lcw("sendMessage", "m1")]);
    await until("auth_expired for m1", () => frames.some((f) => !f.out && f.type === "error" && f.code === "auth_expired" && f.clientId === id1));
    await follower.evaluate(() => window.lcw("sendMessage", "m2"));
    await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.text === "m2"));
    await page.evaluate(() => window.lcw("sendMessage", "m3"));
    assert.deepEqual(await stored(ag, convId), ["m0"], "nothing refused was stored");
    assert.deepEqual(await statusOf(page), { m0: "sent", m1: "sending", m2: "sending", m3: "sending" }, "kept in the outbox");

    ep.release();
    await sentEverywhere([page, follower], ["m1", "m2", "m3"]);
    const refusedAt = frames.findIndex((f) => f.type === "error" && f.code === "auth_expired");
    assert.ok(frames.slice(refusedAt).some((f) => f.out && f.type === "auth"), "re-authenticated after the refusal");
    assert.ok(frames.slice(refusedAt).some((f) => !f.out && f.type === "auth_ok"), "server accepted the fresh token");
    await new Promise((r) => setTimeout(r, 300)); // let any duplicate show up
    assert.deepEqual(await ag.received(), ["m0", "m1", "m2", "m3"], "agent: each once, in order");
    assert.deepEqual(await stored(ag, convId), ["m0", "m1", "m2", "m3"], "store: each once, in order");
    assert.deepEqual([...await errorsOf(page), ...await errorsOf(follower)], [], "no lcw:error");
  } finally { await server.stop(); }
});

test("provider fails after expiry: lcw:error 2, 3, 4 as it fails; messages kept, then delivered once when it works again", async () => {
  const server = await startChatServer({ config: CONFIG });
  try {
    const { ag, ep, page, convId } = await chatting(server);
    ep.mode = "fail";
    await waitEvent(page, "lcw:error", "d.errorCode === 2", 5000); // the refresh before exp failed
    await tokenExpired(ep);
    await page.evaluate(() => { window.lcw("sendMessage", "m1"); window.lcw("sendMessage", "m2"); });
    const kept = "d.errorDescription.includes('unsent messages are kept')";
    await waitEvent(page, "lcw:error", `d.errorCode === 2 && ${kept}`, 5000);
    assert.deepEqual(await statusOf(page), { m0: "sent", m1: "sending", m2: "sending" }, "not lost: still queued");
    assert.deepEqual(await stored(ag, convId), ["m0"]);

    ep.mode = "empty"; // the next retry (backoff) gets no token
    await waitEvent(page, "lcw:error", `d.errorCode === 3 && ${kept}`, 5000);
    ep.mode = "other"; // a well-formed token for another visitor: the server refuses it
    const refused = await waitEvent(page, "lcw:error", `d.errorCode === 4 && ${kept}`, 8000);
    assert.match(refused.errorDescription, /another visitor/);
    ep.mode = "ok";
    await sentEverywhere([page], ["m1", "m2"], 20000);
    await page.evaluate(() => window.lcw("sendMessage", "m3"));
    await sentEverywhere([page], ["m3"]);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await ag.received(), ["m0", "m1", "m2", "m3"], "agent: each once, in order");
    assert.deepEqual(await stored(ag, convId), ["m0", "m1", "m2", "m3"], "store: each once, in order");
  } finally { await server.stop(); }
});

test("the leader tab's page has no provider: it asks the other tabs, a follower's page gives a token, the refused send goes once", async () => {
  const server = await startChatServer({ config: CONFIG });
  try {
    const { ag, context, ep, page, frames, convId } = await chatting(server);
    const { page: follower } = await openPage(browser, server.url, PAGE, { context }); // follows the leader
    await waitEvent(follower, "lcw:chatRetrieved");
    await page.evaluate(() => window.lcw("removeAuthTokenProvider"));
    const minted = ep.calls;
    await tokenExpired(ep); // the leader's last token has expired (the follower mints none by itself)
    assert.equal(ep.calls, minted, "no tab asked the provider meanwhile");

    const [id1] = await page.evaluate(() => [window.lcw("sendMessage", "m1")]);
    await until("auth_expired for m1", () => frames.some((f) => !f.out && f.type === "error" && f.code === "auth_expired" && f.clientId === id1));
    await sentEverywhere([page, follower], ["m1"]);
    assert.ok(ep.calls > minted, "the follower's page gave the token");
    const refusedAt = frames.findIndex((f) => f.type === "error" && f.code === "auth_expired");
    assert.ok(frames.slice(refusedAt).some((f) => !f.out && f.type === "auth_ok"), "the server took it");
    await new Promise((r) => setTimeout(r, 300)); // let any duplicate show up
    assert.deepEqual(await stored(ag, convId), ["m0", "m1"], "once, in order");
    assert.deepEqual([...await errorsOf(page), ...await errorsOf(follower)], [], "no lcw:error");
  } finally { await server.stop(); }
});
