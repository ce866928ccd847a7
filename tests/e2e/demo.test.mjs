// The demo as scripts/demo.sh runs it (server serving www/ and pkg/): a
// person chats between the demo chat page and the agent console, both
// driven through their real UIs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch } from "./browser.mjs";
import { startChatServer, consoleAgent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer({ staticDir: "www" }); });
after(async () => { await browser?.close(); await server?.stop(); });

test("demo: visitor on chat.html and agent in /agent/ exchange messages through the UIs", async () => {
  const { page: agent } = await consoleAgent(browser, server.url);

  const visitorContext = await browser.newContext();
  const sockets = []; // the chat sockets, through the test (it cuts one)
  await visitorContext.routeWebSocket(/\/v1\/ws$/, (ws) => {
    const srv = ws.connectToServer();
    sockets.push({ ws, srv });
    ws.onMessage((m) => srv.send(m));
    srv.onMessage((m) => ws.send(m));
  });
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${server.url}/chat.html`);
  await visitor.waitForFunction(() => document.getElementById("status").textContent === "ready");
  await visitor.waitForFunction(() => document.getElementById("availability").textContent !== "–");
  assert.equal(await visitor.textContent("#availability"), "available");
  await visitor.fill("#name", "Ada <script>alert(1)</script>");
  await visitor.click("#start");
  await visitor.fill("#text", "Hello, I need help with my order");
  await visitor.press("#text", "Enter");
  await visitor.waitForFunction(() => document.querySelector("#messages .visitor")?.textContent.includes("(sent)"));

  await agent.waitForFunction(() => document.querySelectorAll("#waiting li, #mine li").length > 0);
  await agent.click("#waiting li, #mine li");
  await agent.waitForFunction(() => document.getElementById("messages").textContent.includes("Hello, I need help"));
  assert.match(await agent.textContent("#context"), /Ada <script>alert\(1\)<\/script>/, "context shown to the agent as text");
  if (await agent.isVisible("#accept")) await agent.click("#accept");
  await agent.fill("#text", "Hi Ada, let me check <b>that</b>.");
  await agent.press("#text", "Enter");

  await visitor.waitForFunction(() => document.getElementById("messages").textContent.includes("let me check <b>that</b>."));
  assert.equal(await visitor.locator("#messages b").count(), 0, "agent text is not HTML");
  // Read receipts both ways: the console read the visitor's message, the
  // page (which calls markRead) the agent's reply.
  await visitor.waitForFunction(() => document.querySelector("#messages .visitor")?.textContent.includes("(seen)"));
  await agent.waitForFunction(() => [...document.querySelectorAll("#messages li.agent")].pop()?.querySelector("small.seen"));
  // The visitor types: the console says so (sendTyping), and stops
  // saying it once the field is empty.
  await visitor.fill("#text", "One more");
  await agent.waitForFunction(() => document.getElementById("typing").textContent === "Visitor is typing…");
  await visitor.fill("#text", "");
  await agent.waitForFunction(() => document.getElementById("typing").textContent === "");
  const events = await visitor.textContent("#events");
  assert.match(events, /lcw:onMessageReceived/);
  assert.match(events, /lcw:onMessageSent/);

  // The network drops the chat's socket: the page says so, then that it is back.
  await visitor.evaluate(() => {
    window.__statuses = [];
    new MutationObserver(() => window.__statuses.push(document.getElementById("status").textContent))
      .observe(document.getElementById("status"), { childList: true, characterData: true, subtree: true });
  });
  sockets[0].ws.close();
  sockets[0].srv.close();
  await visitor.waitForFunction(() => document.getElementById("status").textContent === "connected");
  assert.deepEqual(await visitor.evaluate(() => window.__statuses), ["connection lost, reconnecting…", "connected"]);
  assert.equal(sockets.length, 2, "one new socket");

  // Log out: the console forgets its token and so does the server.
  const token = await agent.evaluate(() => sessionStorage.getItem("lcw_agent_token"));
  const list = () => fetch(`${server.url}/v1/agent/conversations`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
  assert.equal(await list(), 200);
  await agent.click("#logout");
  await agent.waitForSelector("#login:not([hidden])");
  for (let i = 0; i < 40 && await list() !== 401; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await list(), 401, "the token no longer works");
});

test("demo: a console whose sign-in the server ends goes back to the sign-in form and says why", async () => {
  const { page: agent, errors } = await consoleAgent(browser, server.url);
  const token = await agent.evaluate(() => sessionStorage.getItem("lcw_agent_token"));
  // Ended from elsewhere (the same token signed out by another client).
  const r = await fetch(`${server.url}/v1/agent/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 204);
  await agent.waitForSelector("#login:not([hidden])");
  await agent.waitForFunction(() => document.getElementById("login-error").textContent !== "");
  assert.equal(await agent.textContent("#login-error"), "Signed out: this sign-in was ended (signed out). Sign in again.");
  assert.equal(await agent.evaluate(() => sessionStorage.getItem("lcw_agent_token")), null);
  // A reload after that does not say it again.
  await agent.reload();
  await agent.waitForSelector("#login:not([hidden])");
  assert.equal(await agent.textContent("#login-error"), "");
  assert.deepEqual(errors, []);
});

test("demo: an open console swaps its token halfway to expiry and stays signed in on the same socket", async () => {
  const agent = await (await browser.newContext()).newPage();
  const sockets = [];
  agent.on("websocket", (ws) => sockets.push(ws.url()));
  // The sign-in says it lasts 3 s (a real one lasts agent_token_minutes), so
  // the console refreshes it after about 1.5 s.
  await agent.route("**/v1/agent/login", async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    await route.fulfill({ response, json: { ...json, expiresAt: Date.now() + 3000 } });
  });
  await agent.goto(`${server.url}/agent/`);
  await agent.fill("#login [name=username]", "demo");
  await agent.fill("#login [name=password]", "demo");
  await agent.click("#login button[type=submit]");
  await agent.waitForSelector("#desk:not([hidden])");
  const first = await agent.evaluate(() => sessionStorage.getItem("lcw_agent_token"));
  await agent.waitForFunction((t) => sessionStorage.getItem("lcw_agent_token") !== t, first, { timeout: 6000 });
  const second = await agent.evaluate(() => sessionStorage.getItem("lcw_agent_token"));
  const expires = await agent.evaluate(() => Number(sessionStorage.getItem("lcw_agent_expires")));
  assert.ok(expires > Date.now() + 3_600_000, "the new sign-in lasts the server's lifetime");
  const until = await agent.evaluate(() => Number(sessionStorage.getItem("lcw_agent_until")));
  assert.ok(until >= expires && until <= Date.now() + 24 * 3_600_000, `the sign-in's end (agent_session_hours) is kept: ${until}`);
  const list = (t) => fetch(`${server.url}/v1/agent/conversations`, { headers: { authorization: `Bearer ${t}` } }).then((r) => r.status);
  assert.equal(await list(first), 401, "the old token stopped working");
  assert.equal(await list(second), 200);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await agent.textContent("#status"), "online");
  assert.equal(await agent.isVisible("#login"), false);
  assert.deepEqual(sockets.filter((u) => u.endsWith("/v1/agent/ws")).length, 1, "no new socket: the open one took the new token");
});

test("demo: a console whose token has reached the sign-in's time limit does not refresh it, and signs out when it ends", async () => {
  const { page: agent, errors } = await consoleAgent(browser, server.url);
  const refreshes = [];
  agent.on("request", (r) => { if (r.url().endsWith("/v1/agent/refresh")) refreshes.push(r.url()); });
  // The server said this sign-in ends in 2 s and the token lasts until then
  // (as agent_session_hours makes it near the end of a real one): set as
  // the console's own sign-in answer would.
  await agent.evaluate(() => remember({ token: state.token, expiresAt: Date.now() + 2000, signedInUntil: Date.now() + 2000 }));
  await agent.waitForSelector("#login:not([hidden])", { timeout: 6000 });
  assert.equal(await agent.textContent("#login-error"), "Signed out: this sign-in has reached its time limit. Sign in again.");
  assert.deepEqual(refreshes, [], "no refresh: none can pass the sign-in's end");
  assert.equal(await agent.evaluate(() => sessionStorage.getItem("lcw_agent_until")), null);
  assert.deepEqual(errors, []);
});

test("demo: a console request that crosses a token refresh is tried again with the new token, not signed out", async () => {
  const { page: agent, errors } = await consoleAgent(browser, server.url);
  const first = await agent.evaluate(() => state.token);
  // The request leaves with the old token; the refresh lands before the
  // server sees it, so the server answers 401.
  let held = 0;
  await agent.route("**/v1/agent/conversations", async (route) => {
    if (held++ === 0) await agent.evaluate(() => refresh());
    await route.continue();
  });
  const status = await agent.evaluate(() => agentFetch("/v1/agent/conversations").then((r) => r.status));
  assert.equal(status, 200);
  assert.equal(held, 2, "refused once with the old token, then tried with the new one");
  assert.notEqual(await agent.evaluate(() => state.token), first);
  assert.equal(await agent.isVisible("#login"), false);
  assert.deepEqual(errors, []);
});
