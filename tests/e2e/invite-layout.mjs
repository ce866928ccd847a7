// Where the proactive invite and the default widget's launcher are on the
// page, for the layout tests (proactive-page, invite-layout).
import assert from "node:assert/strict";

/** Where the invite and the widget's launcher are, and what a click at the middle of each would reach. */
export const corner = (page) => page.evaluate(async () => {
  const host = document.querySelector("[data-lcw-invite]");
  // Where the bubble comes to rest: after its 0.2 s entrance.
  await Promise.all(host.shadowRoot.getAnimations().map((a) => a.finished));
  const widget = document.querySelector("[data-lcw-widget]");
  const box = (e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
  const hit = (r) => document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
  const bubble = box(host.shadowRoot.querySelector(".invite"));
  const accept = box(host.shadowRoot.querySelector("button.accept"));
  const launcher = box(widget.shadowRoot.querySelector(".launcher"));
  return {
    bubble, launcher,
    acceptHit: hit(accept) === host, launcherHit: hit(launcher) === widget,
    // The widget came after the invite in the page: it could have covered it.
    widgetAfter: !!(host.compareDocumentPosition(widget) & Node.DOCUMENT_POSITION_FOLLOWING),
  };
});

/** The bubble sits above the launcher, on its side, and neither covers the other. */
export function assertAbove(c, side) {
  assert.ok(c.acceptHit, "a click on Accept reaches the invite");
  assert.ok(c.launcherHit, "a click on the launcher reaches the widget");
  assert.ok(c.bubble.bottom <= c.launcher.top - 8, `the bubble ends above the launcher: ${JSON.stringify(c)}`);
  assert.ok(c.launcher.top - c.bubble.bottom <= 16, `and close to it: ${JSON.stringify(c)}`);
  const edge = side === "left" ? Math.abs(c.bubble.left - c.launcher.left) : Math.abs(c.bubble.right - c.launcher.right);
  assert.ok(edge <= 1, `aligned on the ${side} edge: ${JSON.stringify(c)}`);
}

