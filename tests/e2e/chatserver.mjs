// Starts the reference chat server (target/debug/lcw-server, built by the
// test command) on a free loopback port, serving tests/e2e/pages at / and
// pkg/ at /pkg/, with an in-memory or file database.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = fileURLToPath(new URL("../..", import.meta.url));

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** A `[[widgets]]` entry of a server config: any origin, queue "default",
 * and `config` (TOML lines) added to its `[widgets.config]`. */
export const widgetToml = (id, config = "") =>
  `[[widgets]]\nid = "${id}"\nallowed_origins = ["*"]\n[widgets.config]\nwidgetId = "${id}"\nqueueId = "default"\n${config}\n`;

/** Starts the server; resolves to { url, port, stop() }. `port` reuses a port
 * (restart); `pkg` serves another package at /pkg/ (an absolute path). */
export async function startChatServer({ db = ":memory:", port, config, staticDir = "tests/e2e/pages", pkg = `${root}/pkg` } = {}) {
  port = port || await freePort();
  const bin = process.env.LCW_SERVER_BIN || `${root}/target/debug/lcw-server`;
  const args = ["--addr", `127.0.0.1:${port}`, "--db", db, "--static", `${root}/${staticDir}`, "--pkg", pkg];
  if (config) {
    const file = join(mkdtempSync(join(tmpdir(), "lcw-conf-")), "server.toml");
    writeFileSync(file, config);
    args.push("--config", file);
  }
  const child = spawn(bin, args,
    { stdio: ["ignore", "pipe", "pipe"], env: { RUST_LOG: "warn", ...process.env } });
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error(`lcw-server exited: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
  return { url, port, stop, output: () => output };
}

/** An agent in a browser page: logs in, accepts conversations, replies. */
export async function agent(browser, url) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${url}/healthz`);
  await page.evaluate(async () => {
    const login = await (await fetch("/v1/agent/login", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "demo", password: "demo" }) })).json();
    window.__frames = [];
    await new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${location.host}/v1/agent/ws`);
      window.__ws = ws;
      ws.onopen = () => ws.send(JSON.stringify({ type: "agent_hello", token: login.token }));
      ws.onmessage = (e) => {
        const f = JSON.parse(e.data);
        window.__frames.push(f);
        if (f.type === "agent_welcome") resolve();
        const c = f.conversation && (f.conversation.conversation || f.conversation);
        if (f.type === "agent_conversation_updated" && c && (c.state === "waiting" || c.state === "assigned")) {
          ws.send(JSON.stringify({ type: "accept", conversationId: c.id }));
        }
      };
      ws.onerror = reject;
    });
  });
  return {
    page,
    /** Texts of visitor messages the agent received. */
    received: () => page.evaluate(() => window.__frames.filter((f) => f.type === "message" && f.message.sender === "visitor").map((f) => f.message.text)),
    conversations: () => page.evaluate(() => [...new Set(window.__frames.filter((f) => f.type === "agent_conversation_updated")
      .map((f) => (f.conversation.conversation || f.conversation).id))]),
    /** Waits until the agent has seen a conversation; returns its id. */
    async firstConversation() {
      await page.waitForFunction(() => window.__frames.some((f) => f.type === "agent_conversation_updated"));
      return (await this.conversations())[0];
    },
    send: (conversationId, text) => page.evaluate(([id, t]) => window.__ws.send(JSON.stringify({ type: "send", conversationId: id, clientId: crypto.randomUUID(), text: t })), [conversationId, text]),
    close: (conversationId) => page.evaluate((id) => window.__ws.send(JSON.stringify({ type: "close", conversationId: id })), conversationId),
    /** Read receipt: the agent has seen the conversation up to `seq`. */
    read: (conversationId, seq) => page.evaluate(([id, s]) => window.__ws.send(JSON.stringify({ type: "read", conversationId: id, seq: s })), [conversationId, seq]),
    /** The highest seq the visitor has read, as the server told the agent (0: none). */
    visitorRead: () => page.evaluate(() => Math.max(0, ...window.__frames.filter((f) => f.type === "read" && f.reader === "visitor").map((f) => f.seq))),
    /** Seq of the agent's message `text`, once the agent has it back. */
    seqOf: async (text) => (await page.waitForFunction((t) => window.__frames.find((f) => f.type === "message" && f.message.text === t)?.message.seq, text)).jsonValue(),
  };
}

/** The agent console (/agent/) signed in as the demo agent, in a new page
 * of `context` (a new context by default); `errors` collects page errors. */
export async function consoleAgent(browser, url, { context } = {}) {
  const page = await (context || await browser.newContext()).newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${url}/agent/`);
  await page.fill("#login [name=username]", "demo");
  await page.fill("#login [name=password]", "demo");
  await page.click("#login button[type=submit]");
  await page.waitForSelector("#desk:not([hidden])");
  return { page, errors };
}
