// Offline messages end to end: with no agent signed in, a visitor leaves a
// message through the demo widget's offline form; an agent then finds it in
// the console (as text), marks it handled, and it stays handled.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer({ staticDir: "www" }); });
after(async () => { await browser?.close(); await server?.stop(); });

const root = (page, body) => page.evaluate((b) =>
  new Function("root", b)(document.querySelector("[data-lcw-widget]").shadowRoot), body);

test("offline form message reaches the agent console and is marked handled", async () => {
  const { page, errors } = await openPage(browser, server.url, "/widget.html");
  await waitEvent(page, "lcw:ready");
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]")?.shadowRoot?.querySelector(".launcher"));
  await root(page, `root.querySelector(".launcher").click()`);
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("form[data-form=offline]:not([hidden])"));
  await root(page, `const f = root.querySelector("form[data-form=offline]");
    f.querySelector("[name=name]").value = "Grace <i>H</i>";
    f.querySelector("[name=email]").value = "grace@example.test";
    f.querySelector("[name=message]").value = "Please call me back <img src=x onerror=alert(1)>";
    f.querySelector("button[type=submit]").click();`);
  await page.waitForFunction(() => !document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("form[data-form=offline]:not([hidden])"));
  assert.deepEqual(errors, [], "no lcw:error on the visitor page");

  const agent = await (await browser.newContext()).newPage();
  await agent.goto(`${server.url}/agent/`);
  await agent.fill("#login [name=username]", "demo");
  await agent.fill("#login [name=password]", "demo");
  await agent.click("#login button[type=submit]");
  await agent.waitForFunction(() => document.querySelectorAll("#offline-list li").length === 1);
  assert.equal(await agent.textContent("#n-offline"), "(1 new)");
  await agent.click("#offline-list li");
  await agent.waitForSelector("#offline:not([hidden])");
  assert.equal(await agent.textContent("#offline-text"), "Please call me back <img src=x onerror=alert(1)>");
  assert.equal(await agent.locator("#offline img, #offline i").count(), 0, "visitor text is not HTML");
  assert.equal(await agent.textContent("#offline-name"), "Grace <i>H</i> <grace@example.test>");
  assert.equal(await agent.getAttribute("#offline-reply", "href"), "mailto:grace%40example.test");
  assert.ok(await agent.isHidden("#conv"), "no conversation pane over the offline message");

  await agent.click("#offline-done");
  await agent.waitForFunction(() => document.getElementById("offline-state").textContent.startsWith("Handled by demo"));
  assert.equal(await agent.textContent("#n-offline"), "(0 new)");
  assert.ok(await agent.isHidden("#offline-done"));

  await agent.reload(); // the token is in sessionStorage: the console reconnects
  await agent.waitForFunction(() => document.querySelectorAll("#offline-list li").length === 1);
  assert.equal(await agent.textContent("#n-offline"), "(0 new)", "handled state is stored on the server");
});

// What a visitor typed is isolated (`<bdi>`) from the text around it: a
// right-to-left override at the end of a name cannot turn the email shown
// beside it around ("Mallory >tset.elpmaxe@m<"). Before, name and email
// were one text and the email was drawn reversed.
test("a visitor's name with a right-to-left override cannot reorder the email beside it", async () => {
  const r = await fetch(`${server.url}/v1/widgets/demo/offline-messages`, { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "Mallory\u202E", email: "m@example.test", message: "\u202Ehello" }) });
  assert.equal(r.status, 201);
  const agent = await (await browser.newContext()).newPage();
  await agent.goto(`${server.url}/agent/`);
  await agent.fill("#login [name=username]", "demo");
  await agent.fill("#login [name=password]", "demo");
  await agent.click("#login button[type=submit]");
  await agent.waitForFunction(() => [...document.querySelectorAll("#offline-list li")].some((li) => li.textContent.startsWith("Mallory")));
  await agent.click("#offline-list li:has-text('Mallory')");
  await agent.waitForSelector("#offline:not([hidden])");
  assert.equal(await agent.textContent("#offline-name"), "Mallory\u202E <m@example.test>");
  // Where each character of " <m@example.test>" is drawn: left to right,
  // in the order it is written.
  const xs = await agent.evaluate(() => {
    const root = document.getElementById("offline-name");
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const out = [];
    let seen = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (let i = 0; i < n.data.length; i++, seen++) {
        if (seen < "Mallory\u202E ".length) continue;
        const range = document.createRange();
        range.setStart(n, i); range.setEnd(n, i + 1);
        out.push([n.data[i], range.getBoundingClientRect().left]);
      }
    }
    return out;
  });
  assert.equal(xs.map(([c]) => c).join(""), "<m@example.test>");
  for (let i = 1; i < xs.length; i++) assert.ok(xs[i][1] > xs[i - 1][1], `"${xs[i][0]}" drawn right of "${xs[i - 1][0]}": ${JSON.stringify(xs)}`);
  // The list shows the name isolated from the date under it.
  assert.equal(await agent.locator("#offline-list li:has-text('Mallory') > bdi").textContent(), "Mallory\u202E");
  await agent.context().close();
});
