// A static server for the browser tests: www/ at /, pkg/ at /pkg/, test
// pages at /t/. `?csp=...` on an HTML request sends that Content-Security-Policy.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const mounts = [["/pkg/", join(root, "pkg")], ["/t/", join(root, "tests/e2e/pages")], ["/", join(root, "www")]];
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml" };

/** Starts the server on a free loopback port; resolves to { url, close }. */
export function serve() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    const [prefix, dir] = mounts.find(([p]) => url.pathname.startsWith(p));
    let rel = normalize(decodeURIComponent(url.pathname.slice(prefix.length)));
    if (rel.startsWith("..")) { res.writeHead(403).end(); return; }
    if (rel === "." || rel.endsWith("/")) rel = join(rel, "index.html");
    try {
      const body = await readFile(join(dir, rel));
      const headers = { "content-type": types[extname(rel)] || "application/octet-stream", "cache-control": "no-store" };
      if (extname(rel) === ".html" && url.searchParams.has("csp")) headers["content-security-policy"] = url.searchParams.get("csp");
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) });
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  serve().then(({ url }) => console.log(`serving ${url}`));
}
