// The default widget wired to the SDK, against the real server, as on the
// demo's widget page: launcher, pre-chat form, queue, agent reply, visitor
// message from the widget's composer, agent end, rating stored.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

const SHOTS = new URL("../../test-results/widget-live/", import.meta.url).pathname;
let browser, server;
before(async () => { mkdirSync(SHOTS, { recursive: true }); browser = await launch(); server = await startChatServer({ staticDir: "www" }); });
after(async () => { await browser?.close(); await server?.stop(); });

const root = (page, body, arg) => page.evaluate(([b, a]) =>
  new Function("root", "arg", b)(document.querySelector("[data-lcw-widget]").shadowRoot, a), [body, arg]);

test("widget page: pre-chat, chat with the agent both ways, agent ends, visitor rates", async () => {
  const ag = await agent(browser, server.url);
  const { page, errors } = await openPage(browser, server.url, "/widget.html");
  await waitEvent(page, "lcw:ready");
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]")?.shadowRoot?.querySelector(".launcher"));
  // The language can change at run time through the SDK: Arabic is right-to-left.
  await page.evaluate(() => window.lcw("setLocale", "ar"));
  assert.equal(await root(page, `return root.querySelector("[dir]").getAttribute("dir")`), "rtl");
  await page.evaluate(() => window.lcw("setLocale", "en"));
  assert.equal(await root(page, `return root.querySelector("[dir]").getAttribute("dir")`), "ltr");
  assert.equal(await page.evaluate(() => { try { window.lcw("setLocale", 42); } catch (e) { return e.code; } }), "LCW_INVALID_ARGUMENT");
  await root(page, `root.querySelector(".launcher").click()`);
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("form[data-form=prechat]:not([hidden])"));
  await root(page, `root.querySelector("[name=name]").value = "Ada"; root.querySelector("[name=message]").value = "Sizing question";
    root.querySelector("form[data-form=prechat] button[type=submit]").click();`);
  const start = await waitEvent(page, "lcw:startChat");
  assert.equal(start.context.Order.value, "ORD-1042");

  const convId = await ag.firstConversation();
  await ag.send(convId, "Hello Ada, <img src=x onerror=alert(1)> which size?");
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".msg-agent")?.textContent.includes("which size"));
  assert.equal(await root(page, `return root.querySelectorAll(".msg-agent img").length`), 0, "agent text is text");

  await root(page, `const t = root.querySelector("form[data-form=composer] textarea"); t.value = "EU 42 please";
    t.dispatchEvent(new Event("input", { bubbles: true })); root.querySelector("form[data-form=composer]").requestSubmit();`);
  await page.waitForFunction(() => window.__events.some((e) => e.name === "lcw:onMessageSent" && e.detail.text === "EU 42 please"));
  for (let i = 0; i < 100 && !(await ag.received()).includes("EU 42 please"); i++) await page.waitForTimeout(50);
  assert.deepEqual(await ag.received(), ["EU 42 please"], "agent got the widget's message once");

  // An image through the widget's file input: uploaded with progress, then a
  // message carrying it reaches the agent once. A refused type is named.
  await page.setInputFiles("[data-lcw-widget] input[type=file]", { name: "size-chart.png", mimeType: "image/png",
    buffer: Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex") });
  for (let i = 0; i < 100; i++) {
    const got = await ag.page.evaluate(() => window.__frames.filter((f) => f.type === "message" && f.message.attachment).length);
    if (got) break;
    await page.waitForTimeout(50);
  }
  const att = await ag.page.evaluate(() => window.__frames.filter((f) => f.type === "message" && f.message.attachment).map((f) => f.message.attachment));
  assert.equal(att.length, 1, "one message with the attachment");
  assert.equal(att[0].name, "size-chart.png");
  assert.equal(att[0].mimeType, "image/png");
  await page.setInputFiles("[data-lcw-widget] input[type=file]", { name: "setup.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ") });
  const refusal = await root(page, `return root.textContent`);
  assert.match(refusal, /image\/\*/, "the refusal names what is allowed");
  await page.screenshot({ path: SHOTS + "chatting.png" });

  // After a reload the visitor's own file is still in the history (the
  // acknowledged message keeps its attachment), in the API and the widget.
  await page.reload();
  await waitEvent(page, "lcw:chatRetrieved");
  const own = await page.evaluate(() => window.lcw.sdk.getMessages().filter((m) => m.sender === "visitor" && m.attachment)
    .map((m) => ({ name: m.attachment.name, mimeType: m.attachment.mimeType })));
  assert.deepEqual(own, [{ name: "size-chart.png", mimeType: "image/png" }]);
  await page.waitForFunction(() => [...document.querySelector("[data-lcw-widget]").shadowRoot.querySelectorAll(".msg-visitor")]
    .some((m) => m.textContent.includes("size-chart.png") || m.querySelector("img[alt='size-chart.png']")));

  await ag.close(convId);
  await waitEvent(page, "lcw:threadUpdate");
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("[data-act=thumb-up]"));
  const rated = page.waitForResponse((r) => r.url().endsWith(`/v1/conversations/${convId}/rating`));
  await root(page, `root.querySelector("[data-act=thumb-up]").click(); root.querySelector("form[data-form=rating] button[type=submit]")?.click();`);
  const resp = await rated;
  assert.equal(resp.status(), 204, "rating stored by the server");
  assert.deepEqual(JSON.parse(resp.request().postData()).rating, "up");
  await page.screenshot({ path: SHOTS + "rated.png" });
  assert.deepEqual(errors, []);
});
