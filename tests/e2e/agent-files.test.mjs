// Files from an agent to a visitor, end to end: the agent picks files in the
// console's composer (uploaded with the agent token, then sent); the demo
// widget page shows an image inline and a PDF as a download link, both
// through blob: URLs fetched with the session's credentials; the SDK's
// events and getMessages() carry the attachment; a refused type shows the
// server's typed error in the console; a file that cannot be fetched is
// shown by name as unavailable.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, consoleAgent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer({ staticDir: "www" }); });
after(async () => { await browser?.close(); await server?.stop(); });

// A valid 1x1 PNG, so the preview has a natural size.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

const root = (page, body, arg) => page.evaluate(([b, a]) =>
  new Function("root", "arg", b)(document.querySelector("[data-lcw-widget]").shadowRoot, a), [body, arg]);
const inWidget = (page, body, arg) => page.waitForFunction(([b, a]) =>
  new Function("root", "arg", b)(document.querySelector("[data-lcw-widget]")?.shadowRoot, a), [body, arg], { timeout: 10000 });

async function console_(url) {
  return consoleAgent(browser, url);
}

test("agent sends an image and a PDF from the console; the widget shows both; a refused type is named", async () => {
  const agent = await console_(server.url);
  const { page, errors } = await openPage(browser, server.url, "/widget.html");
  await waitEvent(page, "lcw:ready");
  // No chat yet: fetchAttachment rejects with code 14 (and needs no chat code).
  const early = await page.evaluate(() => window.lcw("fetchAttachment", "att_x").then(() => null, (e) => [e.code, e.message]));
  assert.equal(early[0], 14);
  assert.match(early[1], /no chat is open/);
  await inWidget(page, `return root?.querySelector(".launcher")`);
  await root(page, `root.querySelector(".launcher").click()`);
  await inWidget(page, `return root.querySelector("form[data-form=prechat]:not([hidden])")`);
  await root(page, `root.querySelector("[name=name]").value = "Ada"; root.querySelector("form[data-form=prechat] button[type=submit]").click();`);
  await waitEvent(page, "lcw:startChat");

  // The conversation is routed to the signed-in agent: open it.
  await agent.page.waitForSelector("#mine li");
  await agent.page.click("#mine li");
  await agent.page.waitForSelector("#composer:not([hidden])");

  // An image, with a caption from the composer.
  await agent.page.fill("#text", "Here is the size chart");
  await agent.page.setInputFiles("#file", { name: "size-chart.png", mimeType: "image/png", buffer: PNG });
  const received = await waitEvent(page, "lcw:onMessageReceived", "d.attachment && d.attachment.name === 'size-chart.png'");
  assert.equal(received.text, "Here is the size chart");
  assert.equal(received.attachment.mimeType, "image/png");
  assert.equal(received.attachment.size, PNG.length);
  assert.match(received.attachment.id, /^att_/);
  await inWidget(page, `const img = root.querySelector(".msg-agent img.preview"); return img && img.complete && img.naturalWidth > 0`);
  const img = await root(page, `const i = root.querySelector(".msg-agent img.preview"); return { src: i.src, alt: i.alt }`);
  assert.match(img.src, /^blob:/, "shown through an object URL, never the server URL");
  assert.equal(img.alt, "size-chart.png");
  // The agent's own file shows in the console thread.
  await agent.page.waitForFunction(() => [...document.querySelectorAll("#messages li.agent button")].some((b) => b.textContent.includes("size-chart.png")));

  // A PDF: a download link named after the file.
  await agent.page.setInputFiles("#file", { name: "invoice.pdf", mimeType: "application/pdf", buffer: PDF });
  await waitEvent(page, "lcw:onMessageReceived", "d.attachment && d.attachment.name === 'invoice.pdf'");
  await inWidget(page, `return [...root.querySelectorAll(".msg-agent a.file")].some((a) => a.textContent === "invoice.pdf" && a.href.startsWith("blob:"))`);
  assert.equal(await root(page, `return root.querySelector(".msg-agent a.file").getAttribute("download")`), "invoice.pdf");

  // getMessages() carries the attachment; fetchAttachment() gives the bytes.
  const listed = await page.evaluate(() => window.lcw("getMessages").filter((m) => m.attachment).map((m) => m.attachment.name));
  assert.deepEqual(listed, ["size-chart.png", "invoice.pdf"]);
  const size = await page.evaluate(async (id) => (await window.lcw("fetchAttachment", id)).size, received.attachment.id);
  assert.equal(size, PNG.length);

  // A type the widget does not allow: the console shows the typed error.
  await agent.page.setInputFiles("#file", { name: "setup.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ") });
  await agent.page.waitForFunction(() => /attachment_type_not_allowed/.test(document.querySelector("#upload-state").textContent));
  const refusal = await agent.page.textContent("#upload-state");
  assert.match(refusal, /setup\.exe/);
  assert.match(refusal, /image\/\*/, "the refusal names what is allowed");

  // A file the widget cannot fetch: its name, marked unavailable, no image.
  await page.route("**/v1/attachments/**", (r) => r.fulfill({ status: 500, body: "" }));
  await agent.page.setInputFiles("#file", { name: "lost.png", mimeType: "image/png", buffer: PNG });
  await inWidget(page, `return [...root.querySelectorAll(".msg-agent .file.unavailable")].some((s) => s.textContent.includes("lost.png"))`);
  assert.equal(await root(page, `return root.querySelectorAll(".msg-agent img.preview").length`), 1, "no broken image");
  assert.match(await root(page, `return root.querySelector(".file.unavailable").textContent`), /unavailable/i);

  // The chat ended: its files can still be fetched with its credentials.
  await page.unroute("**/v1/attachments/**");
  await page.evaluate(() => window.lcw("closeChat"));
  await waitEvent(page, "lcw:closeChat");
  const after = await page.evaluate(async (id) => (await window.lcw("fetchAttachment", id)).size, received.attachment.id);
  assert.equal(after, PNG.length);

  assert.deepEqual(errors, []);
  assert.deepEqual(agent.errors, []);
});
