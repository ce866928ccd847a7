// Shared by the peer entries. The page's head script (server.mjs) defines
// window.__benchReady(); calling it records performance.now() as "ready".
export const config = {
  // Dummy Omnichannel configuration, as in the peers' own READMEs. Nothing
  // here is contacted: the benchmark browser cannot resolve any host but
  // 127.0.0.1, and "ready" never waits for a backend.
  orgId: '00000000-0000-0000-0000-000000000000',
  orgUrl: 'https://org00000000.crm.dynamics.com',
  widgetId: '00000000-0000-0000-0000-000000000000',
};

export function ready() {
  window.__benchReady();
}

// Resolves when an element matching `selector` is in the document.
export function whenPresent(selector) {
  return new Promise((resolve) => {
    const found = document.querySelector(selector);
    if (found) return resolve(found);
    const mo = new MutationObserver(() => {
      const el = document.querySelector(selector);
      if (el) {
        mo.disconnect();
        resolve(el);
      }
    });
    mo.observe(document.documentElement, { childList: true, subtree: true });
  });
}
