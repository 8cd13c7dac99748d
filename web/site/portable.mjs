#!/usr/bin/env node
// Portable build: a copy of the site that works opened straight from disk (file://, no server),
// e.g. from a USB stick: open dist-portable/index.html.
//
//   node web/site/portable.mjs [--dist dist] [--out dist-portable]      (npm run build:portable)
//
// Browsers refuse ES modules (and fetching a separate .wasm) on file:// pages, so this rebuilds
// the widget bundle as ONE classic script (esbuild format 'iife') with everything inside: widgets,
// Chart.js, the engine loader, the engine module and its wasm (esbuild's binary loader inlines
// dist/assets/gradlab-engine.wasm as base64, handed to loadEngine as wasmBinary, so nothing is
// fetched and the glue's import.meta is never used). The pages load it and assets/site.js with
// <script defer> instead of <script type="module"> (a page's own entry, assets/page-<page>.js,
// becomes this one bundle; the chunks it shares are left out), and lose the module, engine and
// font preload links.
// Links are already relative and end in .html. No service worker, no top-level
// gradlab-widgets.js (both need http).

import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COMPILE_HINT } from './build.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

const SKIP = new Set(['sw.js', 'gradlab-widgets.js', 'assets/gradlab-engine.mjs', 'assets/gradlab-engine.wasm']);

async function classicBundle({ entryCode, outfile }) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    stdin: { contents: entryCode, resolveDir: repo, sourcefile: 'portable-entry.js', loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    banner: { js: COMPILE_HINT }, // see build.mjs
    outfile,
    loader: { '.wasm': 'binary' },
    logLevel: 'silent',
  });
  for (const w of result.warnings) {
    // The engine glue and loader mention import.meta / import(): unused with an inlined factory.
    if (!/import\.meta|import\(\)|will not be bundled/.test(w.text)) console.warn(`esbuild: ${w.text}`);
  }
}

async function htmlFiles(dir, base = dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await htmlFiles(full, base));
    else if (entry.name.endsWith('.html')) out.push(full);
  }
  return out;
}

/** Build dist-portable/ from a built dist/. */
export async function buildPortable({ dist, out }) {
  for (const f of ['index.html', 'assets/gradlab-engine.mjs', 'assets/gradlab-engine.wasm']) {
    if (!existsSync(path.join(dist, f))) throw new Error(`${path.join(dist, f)} is missing: build the site first`);
  }
  if (existsSync(out)) {
    const entries = await readdir(out);
    if (entries.length && !entries.includes('index.html')) throw new Error(`refusing to replace ${out}: not a site build`);
  }
  await rm(out, { recursive: true, force: true });
  await cp(dist, out, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(dist, src).split(path.sep).join('/');
      // A page's entry module and the chunks it shares: the classic bundle below replaces them.
      return !SKIP.has(rel) && !rel.endsWith('.map') && !/^assets\/(page|chunk)-[^/]+$/.test(rel);
    },
  });
  const engine = path.join(dist, 'assets/gradlab-engine.mjs');
  const wasm = path.join(dist, 'assets/gradlab-engine.wasm');
  const js = (p) => JSON.stringify(p.split(path.sep).join('/'));
  await classicBundle({
    outfile: path.join(out, 'assets/gradlab-widgets.js'),
    entryCode: `import createGradlabEngine from ${js(engine)};
import wasmBinary from ${js(wasm)};
import { loadEngine } from ${js(path.join(repo, 'web/engine/gradlab.js'))};
import ${js(path.join(repo, 'web/widgets/index.js'))};
// Hand the inlined engine to the loader before any widget asks for it (they ask a microtask later).
loadEngine({ factory: createGradlabEngine, wasmBinary });
`,
  });
  await classicBundle({
    outfile: path.join(out, 'assets/embed.js'),
    entryCode: `import ${js(path.join(repo, 'web/embed/embed.js'))};`,
  });
  for (const file of await htmlFiles(out)) {
    const html = await readFile(file, 'utf8');
    const classic = html
      // A page's own widget entry (assets/page-….js) becomes the classic bundle of every widget.
      .replace(/<script type="module"(?: async)? src="([^"]*)assets\/page-[^"]+"><\/script>/g,
        '<script defer src="$1assets/gradlab-widgets.js"></script>')
      .replace(/<script type="module"(?: async)? src="([^"]+)"><\/script>/g, '<script defer src="$1"></script>')
      .replace(/<link rel="modulepreload" href="[^"]*"[^>]*>\n?/g, '')
      .replace(/<link rel="preload" href="[^"]*gradlab-engine\.[^"]*"[^>]*>\n?/g, '')
      // A font preload is a CORS request, which file:// refuses (the stylesheet's own font loads work).
      .replace(/<link rel="preload" href="[^"]*" as="font"[^>]*>\n?/g, '');
    await writeFile(file, classic);
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      dist: { type: 'string', default: 'dist' },
      out: { type: 'string', default: 'dist-portable' },
    },
  });
  const dist = path.resolve(repo, values.dist);
  const out = path.resolve(repo, values.out);
  if (out === repo || out === dist) throw new Error(`refusing to write the portable build into ${out}`);
  await buildPortable({ dist, out });
  console.log(`Portable site in ${path.relative(process.cwd(), out) || out}/ — open index.html from disk.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error?.stack ?? error);
    process.exit(1);
  });
}
