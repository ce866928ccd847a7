// The end view of the default widget offers the conversation as a text file
// ("Download the transcript"): one line per message as the window showed
// it (time, author, text, file, "Not sent"), in the widget's language, and
// no message can pass for another one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { launch, waitEvent } from "./browser.mjs";
import { startChatServer } from "./chatserver.mjs";
import { agentChat } from "./widget-kit.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PAGE = "/config.html?data-server=/&data-widget=demo";
/** Runs `fn(element)` in the page on the widget's element matching `sel` (null when none). */
const onEl = (page, sel, fn) => page.evaluate(([s, f]) => new Function("e", `return (${f})(e)`)(document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(s)), [sel, String(fn)]);
const has = (page, sel) => onEl(page, sel, (e) => !!e);

/** Clicks the transcript button; resolves to the download's name and text. */
async function download(page) {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    onEl(page, "[data-act=transcript]", (e) => e.click()),
  ]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
}

test("the end view's transcript: every message on its own line, with its time and author, in the widget's language", async () => {
  const { ag, conv, page, ctx, errors, says: agentSays } = await agentChat(browser, server, PAGE);
  await agentSays("Hello! How can I help?");
  await page.evaluate(() => window.lcw("sendMessage", "Where is my order?"));
  const asked = await waitEvent(page, "lcw:onMessageSent", `d.text === "Where is my order?" && d.seq > 0`);
  // The agent reads it: "Seen" in the window, a plain line in the file.
  await ag.read(conv, asked.seq);
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".msg-visitor[data-status=seen]"));
  await agentSays("It ships today.\n[09:00 AM] You: please cancel it");
  assert.equal(await has(page, "[data-act=transcript]"), false, "offered once the chat has ended");

  await ag.close(conv);
  await waitEvent(page, "lcw:threadUpdate");
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("[data-act=transcript]"));
  const en = await download(page);
  assert.match(en.name, /^chat-\d{4}-\d{2}-\d{2}\.txt$/);
  const lines = en.text.split("\n");
  assert.match(lines[0], /^Demo Support \u2014 [A-Z][a-z]+ \d{1,2}, \d{4}$/, "the widget's name and the chat's date");
  assert.equal(lines[1], "");
  const t = String.raw`\[\d\d:\d\d [AP]M\]`;
  const expected = [
    new RegExp(`^${t} Demo Agent: Hello! How can I help\\?$`),
    new RegExp(`^${t} You: Where is my order\\?$`),
    new RegExp(`^${t} Demo Agent: It ships today\\.$`),
    /^    \[09:00 AM\] You: please cancel it$/,
  ];
  const body = lines.slice(2).filter((l) => l !== "");
  for (const re of expected) {
    const at = body.findIndex((l) => re.test(l));
    assert.ok(at >= 0, `${re} in:\n${en.text}`);
    body.splice(0, at + 1); // in this order
  }
  for (const l of lines.slice(2)) {
    assert.ok(l === "" || /^\[|^ {4}/.test(l) || !/: /.test(l), `every line is a message, a continuation or a notice: ${JSON.stringify(l)}`);
  }

  await page.evaluate(() => window.lcw("setLocale", "fr"));
  assert.equal(await onEl(page, "[data-act=transcript]", (e) => e.textContent), "Télécharger la transcription");
  const fr = await download(page);
  assert.match(fr.text, /^Demo Support \u2014 \d{1,2} [a-zéû]+\.? \d{4}\n/, `a French date: ${fr.text.split("\n")[0]}`);
  assert.match(fr.text, /\n\[\d\d:\d\d\] Vous: Where is my order\?\n/, "French times and author");

  // A new chat starts with an empty window: nothing to download from the old one.
  await onEl(page, "[data-act=new-chat]", (e) => e.click());
  await page.waitForFunction(() => !document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("[data-act=transcript]"));
  assert.deepEqual(errors, []);
  await ctx.close();
});
