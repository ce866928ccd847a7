// Where the wasm's bytes are, by area of the SDK (bench/SIZE.md).
//   bash bench/areas.sh            # builds, then prints both builds' tables
//   node bench/areas.mjs top.csv   # from `twiggy top -n 1000000 -f csv` of a -g build
//
// Each function is put in the area of the first `lcw_sdk::` path in its
// name (so a generic instantiation or an async block counts where our code
// asked for it), else by crate; wasm-bindgen's export shims go with the
// facade or the widget. Sizes are twiggy's shallow bytes, before the names
// section is stripped (which the shipped file does not have).
import { readFileSync } from "node:fs";

const areas = [
  ["JSON", /\bserde|::core::(de|json)\b|spec_de|::from_json|::to_json/],
  ["proactive engine", /lcw_sdk\[?[0-9a-f]*\]?::(core::triggers|web::proactive|core::fold)/],
  ["chat session", /lcw_sdk\[?[0-9a-f]*\]?::(web::(session|chat|files|providers|promise)|core::(session|protocol|jwt))|^base64\b/],
  ["many tabs", /lcw_sdk\[?[0-9a-f]*\]?::(web::tabs|core::tabs)/],
  ["widget UI, languages", /lcw_sdk\[?[0-9a-f]*\]?::(web::(ui|default_ui)|core::(ui|lang))|^widgetpreview_/],
  ["visits, consent, cookies, context", /lcw_sdk\[?[0-9a-f]*\]?::(web::(visits|jar)|core::(visits|cookie|config|context))/],
  ["SDK facade (methods, events, errors)", /lcw_sdk\[?[0-9a-f]*\]?::web|lcw_sdk\[?[0-9a-f]*\]?::core::errors|^livechatsdk_|^createSdk|^version/],
  ["wasm-bindgen, js-sys, web-sys, gloo, futures", /wasm_bindgen|js_sys|web_sys|gloo|futures|__wbindgen|__externref|externref shim/],
  ["std: alloc, fmt, collections, malloc", /^<?&?(alloc|core|std|dlmalloc|compiler_builtins|__rustc|zmij)\b|^<?\[|^<?&?\[|^<&?str|^<char|^<u\d|^<i\d|^<f\d|^<usize|^<bool|^<\(/],
  ["data (strings, tables)", /^data segment/],
];

export function classify(name) {
  const first = name.match(/lcw_sdk\[?[0-9a-f]*\]?::[\w:]+/);
  const key = first ? first[0] : name;
  // Our own path decides when there is one; the JSON pattern checks the
  // whole name (a serde instantiation for one of our types is JSON).
  if (areas[0][1].test(name)) return areas[0][0];
  for (const [area, re] of areas.slice(1)) if (re.test(key)) return area;
  for (const [area, re] of areas.slice(1)) if (re.test(name)) return area;
  return "other";
}

export function tally(csv) {
  const totals = new Map();
  let all = 0;
  for (const line of csv.split("\n").slice(1)) {
    const m = line.match(/^(.*),(\d+),[\d.e-]+,/);
    if (!m) continue;
    let name = m[1].replace(/^"|"$/g, "").replace(/""/g, '"');
    if (/names" subsection|^custom section|^"?data names/.test(name)) continue;
    const bytes = Number(m[2]);
    const area = classify(name);
    totals.set(area, (totals.get(area) || 0) + bytes);
    all += bytes;
  }
  return { totals: [...totals].sort((a, b) => b[1] - a[1]), all };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of process.argv.slice(2)) {
    const { totals, all } = tally(readFileSync(file, "utf8"));
    console.log(`\n${file}: ${all} bytes (shallow, without the names section)\n`);
    console.log("| area | bytes | share |\n| --- | ---: | ---: |");
    for (const [area, bytes] of totals) console.log(`| ${area} | ${bytes} | ${((100 * bytes) / all).toFixed(1)} % |`);
  }
}
