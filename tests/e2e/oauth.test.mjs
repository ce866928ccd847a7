// Visitors signed in with the site's OAuth 2.0 server (SPEC §4, CXone's
// third-party OAuth authorization-code mode): the page hands the SDK a code
// (`setAuthorizationCode`, also queued before load), the chat server
// exchanges it at a fake identity provider run here, and the agent sees the
// verified visitor. Codes are single use; a refused or missing one is
// lcw:error 15; an unreachable provider is 14 and the code is kept.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const REDIRECT = "https://shop.example/oauth/callback";

/** The site's identity provider: single-use codes, HTTP Basic client
 * authentication, the redirect URI and (for one code) a PKCE verifier
 * checked as RFC 6749 / 7636 say. `down` answers 503 to everything. */
function identityProvider() {
  const users = { alice: { sub: "alice-42", name: "Alice Martin", email: "alice@example.com" }, bob: { sub: "bob-7", name: "Bob Stone" } };
  const codes = new Map();
  const calls = [];
  const state = { down: false };
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => { body += d; });
    req.on("end", () => {
      const json = (status, value) => { res.writeHead(status, { "content-type": "application/json" }); res.end(JSON.stringify(value)); };
      calls.push({ method: req.method, url: req.url });
      if (state.down) return json(503, { error: "temporarily_unavailable" });
      if (req.method === "POST" && req.url === "/token") {
        const form = new URLSearchParams(body);
        const basic = "Basic " + Buffer.from("lcw-chat:s3cret").toString("base64");
        if (req.headers.authorization !== basic) return json(401, { error: "invalid_client" });
        const grant = codes.get(form.get("code"));
        codes.delete(form.get("code")); // single use, even when refused below
        if (form.get("grant_type") !== "authorization_code" || !grant || form.get("redirect_uri") !== REDIRECT
          || (grant.verifier && form.get("code_verifier") !== grant.verifier)) {
          return json(400, { error: "invalid_grant", error_description: "unknown, used or mismatched code" });
        }
        return json(200, { access_token: "at-" + grant.user, token_type: "Bearer", expires_in: 3600 });
      }
      if (req.method === "GET" && req.url === "/userinfo") {
        const user = users[(req.headers.authorization || "").replace(/^Bearer at-/, "")];
        return user ? json(200, user) : json(401, { error: "invalid_token" });
      }
      json(404, { error: "not_found" });
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    /** A fresh code for `user`. */
    issue(user, verifier) { const c = `code-${user}-${codes.size}-${Math.random().toString(36).slice(2)}`; codes.set(c, { user, verifier }); return c; },
    calls, state,
    stop: () => new Promise((r) => server.close(r)),
  })));
}

let browser, server, idp;
before(async () => {
  browser = await launch();
  idp = await identityProvider();
  server = await startChatServer({ config: `[[widgets]]
id = "oa"
allowed_origins = ["*"]
auth_mode = "oauth"
[widgets.oauth]
token_url = "${idp.url}/token"
userinfo_url = "${idp.url}/userinfo"
client_id = "lcw-chat"
client_secret = "s3cret"
redirect_uri = "${REDIRECT}"
[widgets.config]
widgetId = "oa"
queueId = "default"
` });
});
after(async () => { await browser?.close(); await server?.stop(); await idp?.stop(); });

const PAGE = "/config.html?data-server=/&data-widget=oa&data-ui=none";
const errorsOf = (page) => page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail));
/** What the agent was told about the conversation `id`: customer and pre-chat fields. */
const seenByAgent = (ag, id) => ag.page.evaluate((cid) => {
  const f = window.__frames.filter((x) => x.type === "agent_conversation_updated" && (x.conversation.conversation || x.conversation).id === cid).pop();
  return f && { customerId: f.conversation.conversation.customerId, preChat: f.conversation.preChat };
}, id);

test("a code queued before load signs the visitor in: the agent sees the provider's identity; a reload picks the chat up without a code", async () => {
  const ag = await agent(browser, server.url);
  const code = idp.issue("alice");
  const { page, ctx, errors } = await openPage(browser, server.url, PAGE, {
    init: `window.lcw = window.lcw || function () { (lcw.q = lcw.q || []).push(arguments); }; lcw("setAuthorizationCode", ${JSON.stringify(code)});`,
  });
  await waitEvent(page, "lcw:ready");
  await page.evaluate(() => { window.lcw("startChat"); });
  const started = await waitEvent(page, "lcw:startChat");
  assert.equal(started.authenticated, true);
  const id = await ag.firstConversation();
  assert.deepEqual(await seenByAgent(ag, id), { customerId: "alice-42", preChat: { name: "Alice Martin", email: "alice@example.com" } });
  assert.deepEqual(idp.calls.slice(-2), [{ method: "POST", url: "/token" }, { method: "GET", url: "/userinfo" }]);
  await page.reload();
  assert.equal((await waitEvent(page, "lcw:chatRetrieved")).conversationId, id);
  assert.deepEqual(await errorsOf(page), []);
  assert.deepEqual(errors, []);
  await page.evaluate(() => window.lcw("closeChat"));
  await ctx.close();
  await ag.page.context().close();
});

test("codes are single use: the next chat needs a fresh one (15 without), a used or unknown one is 15, and a fresh one starts it", async () => {
  const ag = await agent(browser, server.url);
  const { page, ctx, errors } = await openPage(browser, server.url, PAGE);
  await waitEvent(page, "lcw:ready");
  const code = idp.issue("bob");
  await page.evaluate((c) => window.lcw("setAuthorizationCode", c), code);
  await page.evaluate(() => { window.lcw("startChat"); });
  await waitEvent(page, "lcw:startChat");
  await page.evaluate(() => window.lcw("closeChat"));
  await waitEvent(page, "lcw:closeChat");
  // No code any more: refused before the provider is asked.
  const asked = idp.calls.length;
  await page.evaluate(() => { window.lcw("startChat"); });
  const missing = await waitEvent(page, "lcw:error");
  assert.equal(missing.errorCode, 15);
  assert.match(missing.errorDescription, /authorization_code_required/);
  assert.equal(idp.calls.length, asked);
  // The used code again, then an unknown one: the provider refuses both.
  for (const [i, c] of [[1, code], [2, "never-issued"]]) {
    await page.evaluate((x) => window.lcw("setAuthorizationCode", x), c);
    await page.evaluate(() => { window.lcw("startChat"); });
    // (Counted: a wait for "an error like this" would find the previous one.)
    await page.waitForFunction((n) => window.__events.filter((e) => e.name === "lcw:error").length === n, 1 + i);
    const refused = (await errorsOf(page))[i];
    assert.equal(refused.errorCode, 15);
    assert.match(refused.errorDescription, /invalid_authorization_code/);
    assert.match(refused.errorDescription, /invalid_grant/);
  }
  // A refused code is not kept: the next start has none.
  await page.evaluate(() => { window.lcw("startChat"); });
  await page.waitForFunction(() => window.__events.filter((e) => e.name === "lcw:error").length === 4);
  assert.match((await errorsOf(page))[3].errorDescription, /authorization_code_required/);
  // A fresh code, with PKCE: a second conversation for the same customer.
  await page.evaluate(([x, v]) => window.lcw("setAuthorizationCode", x, v), [idp.issue("bob", VERIFIER), VERIFIER]);
  await page.evaluate(() => { window.lcw("startChat"); });
  await page.waitForFunction(() => window.__events.filter((e) => e.name === "lcw:startChat").length === 2);
  const convs = await ag.conversations();
  assert.equal(convs.length, 2);
  assert.equal((await seenByAgent(ag, convs[1])).customerId, "bob-7");
  // Nothing carried over from the first chat (the agent's join notice may
  // already be in: the test agent accepts at once).
  assert.deepEqual(await page.evaluate(() => window.lcw("getMessages").filter((m) => m.sender !== "system").map((m) => m.text)), []);
  assert.deepEqual(errors, []);
  await page.evaluate(() => window.lcw("closeChat"));
  await ctx.close();
  await ag.page.context().close();
});

test("the provider down is 14 and the code is kept: the next start uses it; a wrong PKCE verifier is 15", async () => {
  const ag = await agent(browser, server.url);
  const { page, ctx, errors } = await openPage(browser, server.url, PAGE);
  await waitEvent(page, "lcw:ready");
  await page.evaluate(([x, v]) => window.lcw("setAuthorizationCode", x, v), [idp.issue("alice", VERIFIER), VERIFIER]);
  idp.state.down = true;
  try {
    await page.evaluate(() => { window.lcw("startChat"); });
    const down = await waitEvent(page, "lcw:error");
    assert.equal(down.errorCode, 14);
    assert.match(down.errorDescription, /identity_provider_unavailable/);
  } finally { idp.state.down = false; }
  await page.evaluate(() => { window.lcw("startChat"); });
  await waitEvent(page, "lcw:startChat");
  assert.equal((await seenByAgent(ag, await ag.firstConversation())).customerId, "alice-42");
  await page.evaluate(() => window.lcw("closeChat"));
  await waitEvent(page, "lcw:closeChat");
  await page.evaluate((x) => window.lcw("setAuthorizationCode", x, "x".repeat(43)), idp.issue("alice", VERIFIER));
  await page.evaluate(() => { window.lcw("startChat"); });
  await waitEvent(page, "lcw:error", "d.errorCode === 15");
  assert.deepEqual(errors, []);
  await ctx.close();
  await ag.page.context().close();
});

test("a code or verifier of the wrong shape is thrown at once (LCW_INVALID_ARGUMENT); queued before load it is lcw:error 12", async () => {
  const { page, ctx, errors } = await openPage(browser, server.url, PAGE, {
    init: `window.lcw = window.lcw || function () { (lcw.q = lcw.q || []).push(arguments); }; lcw("setAuthorizationCode", "");`,
  });
  const queued = await waitEvent(page, "lcw:error");
  assert.equal(queued.errorCode, 12);
  assert.match(queued.errorDescription, /setAuthorizationCode: the authorization code is empty/);
  await waitEvent(page, "lcw:ready");
  const thrown = await page.evaluate(() => [[42], [""], ["a\nb"], ["é"], ["x".repeat(2049)], ["ok", "short"], ["ok", "x".repeat(42) + "+"], ["ok", 7]]
    .map((args) => { try { window.lcw("setAuthorizationCode", ...args); return "accepted"; } catch (e) { return `${e.name} ${e.code}: ${e.message}`; } }));
  assert.equal(thrown.length, 8);
  for (const t of thrown) assert.match(t, /^LiveChatSdkError LCW_INVALID_ARGUMENT: setAuthorizationCode: /);
  assert.match(thrown[2], /"\\n"/);
  assert.match(thrown[5], /has 5 characters; RFC 7636 wants 43 to 128/);
  // Nothing was kept: the start has no code.
  await page.evaluate(() => { window.lcw("startChat"); });
  const e = await waitEvent(page, "lcw:error", "d.errorCode === 15");
  assert.match(e.errorDescription, /authorization_code_required/);
  assert.deepEqual(errors, []);
  await ctx.close();
});
