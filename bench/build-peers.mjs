// Bundles each peer entry (entries/*.mjs) into one minified classic script
// in out/peers/, the way a site would ship it: esbuild, production mode,
// browser platform, IIFE. Prints the output sizes.
import { build } from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const PEERS = ['chat-sdk', 'chat-widget', 'webchat'];

export async function buildPeers(outDir = join(here, 'out', 'peers')) {
  mkdirSync(outDir, { recursive: true });
  for (const name of PEERS) {
    const outfile = join(outDir, `${name}.js`);
    const result = await build({
      entryPoints: [join(here, 'entries', `${name}.mjs`)],
      outfile,
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      // Explicit, so that require() of dual packages also takes their browser
      // ESM build (esbuild's default prefers "main" for require()).
      mainFields: ['browser', 'module', 'main'],
      target: 'es2020',
      define: {
        'process.env.NODE_ENV': '"production"',
        global: 'globalThis',
      },
      // Node built-ins some peers mention for their Node code paths.
      external: [],
      loader: { '.svg': 'dataurl', '.png': 'dataurl', '.gif': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.mp3': 'dataurl', '.wav': 'dataurl' },
      legalComments: 'none',
      logLevel: 'error',
      metafile: false,
    });
    if (result.errors.length) throw new Error(`esbuild failed for ${name}`);
    console.log(`bundled ${name}: ${statSync(outfile).size} bytes`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildPeers();
}
