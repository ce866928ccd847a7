// The demo's OAuth page as scripts/demo.sh runs it: the visitor signs in at
// the server's toy identity provider (PKCE), the page hands the code to the
// SDK, the chat server exchanges it at that provider, and the agent console
// shows the verified name and email. Without a sign-in, or with the spent
// code, the chat is refused (code 15) and the page says so.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, consoleAgent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer({ staticDir: "www" }); });
after(async () => { await browser?.close(); await server?.stop(); });

test("oauth.html: sign in at the demo provider, chat, the agent sees the verified identity; no sign-in is refused", async () => {
  const { page: agent } = await consoleAgent(browser, server.url);

  const { page, errors } = await openPage(browser, server.url, "/oauth.html");
  await waitEvent(page, "lcw:ready");
  await page.click("#signin");
  await page.waitForURL(/\/demo-idp\/authorize\?/);
  const authorize = new URL(page.url());
  assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
  await page.click("button:has-text('Ada Lovelace')");
  await page.waitForURL(`${server.url}/oauth.html`); // back, the code taken out of the address bar
  await waitEvent(page, "lcw:ready");
  assert.match(await page.textContent("#signed"), /^Signed in/);
  await page.evaluate(() => { window.lcw("startChat"); });
  await waitEvent(page, "lcw:startChat");
  await page.evaluate(() => window.lcw("sendMessage", "Where is my order?"));

  await agent.waitForFunction(() => document.querySelectorAll("#waiting li, #mine li").length > 0);
  await agent.click("#waiting li, #mine li");
  await agent.waitForFunction(() => document.getElementById("messages").textContent.includes("Where is my order?"));
  const shown = await agent.textContent("#context");
  assert.match(shown, /Ada Lovelace/);
  assert.match(shown, /ada@example\.com/);
  assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error")), []);
  assert.deepEqual(errors, []);

  // Another visitor who did not sign in: the chat server refuses the chat.
  const other = await openPage(browser, server.url, "/oauth.html");
  await waitEvent(other.page, "lcw:ready");
  await other.page.evaluate(() => { window.lcw("startChat"); });
  const refused = await waitEvent(other.page, "lcw:error", "d.errorCode === 15");
  assert.match(refused.errorDescription, /authorization code/i);
  await other.page.waitForFunction(() => document.getElementById("signed").textContent.startsWith("Sign in first"));

  // The provider checks its side: a spent or unknown code, a wrong client.
  const token = (body, auth = "Basic " + Buffer.from("lcw-demo:lcw-demo-secret").toString("base64")) =>
    fetch(`${server.url}/demo-idp/token`, { method: "POST", headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" }, body });
  assert.equal((await (await token("grant_type=authorization_code&code=nope")).json()).error, "invalid_grant");
  assert.equal((await token("grant_type=authorization_code&code=nope", "Basic " + Buffer.from("lcw-demo:wrong").toString("base64"))).status, 401);
  const bad = await fetch(`${server.url}/demo-idp/authorize?client_id=lcw-demo&redirect_uri=${encodeURIComponent("https://evil.example/")}`);
  assert.equal(bad.status, 400, "redirects only to pages of this machine");
  // PKCE: a code is exchanged only with its verifier, once.
  const verifier = "v".repeat(43);
  const code = async () => {
    const r = await fetch(`${server.url}/demo-idp/authorize`, { method: "POST", redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: "lcw-demo", redirect_uri: `${server.url}/oauth.html`, state: "s", user: "1",
        code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256" }) });
    assert.equal(r.status, 303);
    return new URL(r.headers.get("location")).searchParams.get("code");
  };
  assert.equal((await (await token(`grant_type=authorization_code&code=${await code()}&code_verifier=${"w".repeat(43)}`)).json()).error, "invalid_grant");
  const good = await code();
  const access = await (await token(`grant_type=authorization_code&code=${good}&code_verifier=${verifier}`)).json();
  assert.equal(access.token_type, "Bearer");
  assert.equal((await (await token(`grant_type=authorization_code&code=${good}&code_verifier=${verifier}`)).json()).error, "invalid_grant", "single use");
  const me = await (await fetch(`${server.url}/demo-idp/userinfo`, { headers: { authorization: `Bearer ${access.access_token}` } })).json();
  assert.deepEqual(me, { sub: "u-grace", name: "Grace Hopper", email: "grace@example.com" });
  await agent.context().close();
});
