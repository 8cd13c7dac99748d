// The browser half of `npm run bench`: bundles tests/bench/page.mjs with esbuild into
// build/bench-web/, serves it on 127.0.0.1 (with the Gradlab engine module and TF.js's .wasm
// files), runs it in headless Chromium (playwright-core, the system's /usr/bin/chromium) and
// returns the page's scored results. Used by run.mjs; no standalone CLI.

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { checksum } from './checksum.mjs';
import { enginePath } from './run.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(ROOT, 'build/bench-web');

// The last three keep the headless page a foreground page. Without them Chromium may treat it as
// hidden and throttle its low-priority tasks, among them V8's background compilation of optimised
// WebAssembly: the engine then keeps running its baseline code (measured: W3b 2-3x slower). A
// learner's visible tab is never throttled like that.
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-renderer-backgrounding', '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows'];

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.map': 'application/json' };

async function bundle() {
  const esbuild = await import('esbuild');
  fs.mkdirSync(OUT, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'tests/bench/page.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: path.join(OUT, 'page.js'),
    logLevel: 'warning',
    // tfjs-backend-wasm's glue mentions Node modules on paths the browser never takes.
    external: ['fs', 'path', 'worker_threads', 'perf_hooks', 'os', 'crypto'],
  });
  fs.writeFileSync(path.join(OUT, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>Gradlab bench</title><link rel="icon" href="data:,"><p>Running…</p>\n' +
    '<script type="module" src="page.js"></script>\n');
}

/** A static server for exactly three folders; everything else is 404. */
function serve(routes) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    for (const [prefix, dir] of routes) {
      if (!url.pathname.startsWith(prefix)) continue;
      const rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
      const file = path.resolve(dir, rel);
      if (!file.startsWith(path.resolve(dir) + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) break;
      // COOP + COEP make the page cross-origin isolated, which raises performance.now()'s
      // resolution from 100 µs to 5 µs: W1 and W2 runs last about a millisecond.
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store',
        'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function launchChromium({ args = [] } = {}) {
  const { chromium } = await import('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-bench-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // BENCH_CHROMIUM_FLAGS: extra flags for experiments, e.g. --js-flags=--no-liftoff.
    args: [...CHROMIUM_ARGS, ...args, ...(process.env.BENCH_CHROMIUM_FLAGS || '').split(' ').filter(Boolean)],
  });
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

export async function runBrowser({ opts, workloads, data, log }) {
  await bundle();
  const engineFile = enginePath();
  const server = await serve([
    ['/bench/', OUT],
    ['/engine/', path.dirname(engineFile)],
    ['/tfjs-wasm/', path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')],
  ]);
  const { port } = server.address();
  const { context, close } = await launchChromium();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => log(msg.text()));
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    const cfg = {
      only: workloads.map((w) => w.id),
      engines: opts.engines,
      capMs: opts.capMs,
      budgetMs: opts.budgetMs,
      maxReps: opts.maxReps,
      full: opts.full,
      engineUrl: `/engine/${path.basename(engineFile)}`,
      tfjsWasmUrl: '/tfjs-wasm/',
    };
    await page.goto(`http://127.0.0.1:${port}/bench/index.html#${encodeURIComponent(JSON.stringify(cfg))}`);
    const version = context.browser()?.version?.() ?? '';
    await page.waitForFunction(() => window.__benchResult !== undefined, null, { timeout: 60 * 60 * 1000, polling: 1000 });
    const out = await page.evaluate(() => window.__benchResult);
    if (out.error) throw new Error(`bench page failed: ${out.error}`);
    if (Math.abs(out.meta.checksum - checksum(data)) > 0) {
      throw new Error('the page generated different data than Node (checksum mismatch)');
    }
    out.meta.chromium = version;
    return out;
  } finally {
    await close();
    await new Promise((resolve) => server.close(resolve));
  }
}
