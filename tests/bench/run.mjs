#!/usr/bin/env node
// `npm run bench`: the same workloads on Gradlab (WebAssembly in Node and in headless Chromium,
// and native C++) and on its peers (plain JS, a Playground-style object graph, TensorFlow.js cpu
// and wasm), in one run. Prints Markdown tables of median times, speed-up ratios and target
// verdicts, and saves everything as JSON (and the tables as Markdown) under test-output/bench/.
//
//   node tests/bench/run.mjs [--only W1,W3a] [--engines plainjs,gradlab-wasm] [--quick] [--full]
//                            [--no-node] [--no-browser] [--no-native] [--strict]
//                            [--budget-ms 12000] [--cap-ms 20000]
//
// --quick    small time budget per cell (1-2 runs), for trying the suite out
// --full     never extrapolate slow cells: run every workload in full (can take much longer)
// --strict   exit 1 when a target fails or final losses disagree (default: report only)
// Environment: GRADLAB_ENGINE = path of the engine module (default build/wasm/gradlab-engine.mjs),
//              GRADLAB_NATIVE_BENCH = native runner (default build/bench/tests/bench/gradlab_native_bench).

import { spawnSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { makeBenchData } from './data.mjs';
import { WORKLOADS, leastSquares } from './workloads.mjs';
import { runCells, scoreCells } from './harness.mjs';
import { markdown, targets } from './report.mjs';
import { createPlainJs } from './peers/plainjs.mjs';
import { createPlayground } from './peers/playground.mjs';
import { createGradlab } from './peers/gradlab.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT_DIR = path.join(ROOT, 'test-output/bench');
const BUILD_DIR = path.join(ROOT, 'build/bench');

export function parseArgs(argv) {
  const opts = { node: true, browser: true, native: true, quick: false, full: false, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--only') opts.only = next().split(',');
    else if (a === '--engines') opts.engines = next().split(',');
    else if (a === '--quick') opts.quick = true;
    else if (a === '--full') opts.full = true;
    else if (a === '--strict') opts.strict = true;
    else if (a === '--no-node') opts.node = false;
    else if (a === '--no-browser') opts.browser = false;
    else if (a === '--no-native') opts.native = false;
    else if (a === '--budget-ms') opts.budgetMs = Number(next());
    else if (a === '--cap-ms') opts.capMs = Number(next());
    else throw new Error(`unknown option ${a}`);
  }
  opts.budgetMs ??= opts.quick ? 1500 : 12000;
  opts.capMs ??= opts.quick ? 5000 : 20000;
  opts.maxReps = opts.quick ? 2 : 5;
  return opts;
}

export function enginePath() {
  return process.env.GRADLAB_ENGINE || path.join(ROOT, 'build/wasm/gradlab-engine.mjs');
}

function machine() {
  const cpus = os.cpus();
  let commit = '';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a git checkout
  }
  return {
    date: new Date().toISOString(),
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadavg: os.loadavg().map((v) => v.toFixed(2)).join(' '),
    commit,
  };
}

/** TF.js is bundled for Node (its Node build lacks the gradient registry; see peers/tfjs.mjs). */
async function loadTfjsPeer() {
  const esbuild = await import('esbuild');
  const outfile = path.join(BUILD_DIR, 'tfjs-peer.mjs');
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'tests/bench/peers/tfjs.mjs')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    // The wasm backend's Emscripten glue expects CommonJS globals.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; " +
        "import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); " +
        'const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);',
    },
  });
  return import(pathToFileURL(outfile).href);
}

/** Data the native runner reads: workloads, datasets, initial parameters (plain arrays). */
function writeNativeInput(data) {
  const plain = (d) => ({ x: Array.from(d.x), y: Array.from(d.y), rows: d.rows });
  const input = {
    seed: data.seed,
    workloads: WORKLOADS,
    exam: plain(data.exam),
    circle: plain(data.circle),
    wave: plain(data.wave),
    w3: { sizes: data.w3.sizes, init: Array.from(data.w3.init) },
    w4: { sizes: data.w4.sizes, init: Array.from(data.w4.init) },
  };
  const file = path.join(BUILD_DIR, 'input.json');
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(input));
  return file;
}

function runNative(data, workloads, opts) {
  const exe = process.env.GRADLAB_NATIVE_BENCH || path.join(BUILD_DIR, 'tests/bench/gradlab_native_bench');
  const cells = {};
  const fail = (error) => {
    for (const w of workloads) cells[w.id] = { engine: 'gradlab-native', precision: 'float64', error };
    return { cells, meta: {} };
  };
  if (!fs.existsSync(exe)) return fail(`native runner not built (${path.relative(ROOT, exe)}); scripts/bench.sh builds it`);
  const input = writeNativeInput(data);
  const args = [input, '--budget-ms', String(opts.budgetMs), '--max-reps', String(opts.maxReps),
    '--only', workloads.map((w) => w.id).join(',')];
  const run = spawnSync(exe, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) return fail(`native runner exited with ${run.status}`);
  const out = JSON.parse(run.stdout);
  for (const w of workloads) {
    const r = out.results[w.id];
    if (!r) continue;
    if (r.error) {
      cells[w.id] = { engine: 'gradlab-native', precision: 'float64', error: r.error };
      continue;
    }
    cells[w.id] = {
      engine: 'gradlab-native',
      precision: 'float64',
      times: r.ms,
      reps: r.ms.length,
      ms: r.ms_median,
      msMin: Math.min(...r.ms),
      nativeLoss: r.final_loss,
      result: r.grid ? { grid: Float64Array.from(r.grid) } : { params: Float64Array.from(r.params), note: r.note },
    };
  }
  return { cells, meta: out.meta };
}

async function nodeEngines(opts, log) {
  const engines = [createPlainJs(), createPlayground()];
  const wasmDist = path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/';
  try {
    const { createTfjs } = await loadTfjsPeer();
    engines.push(createTfjs('cpu'), createTfjs('wasm', { wasmPath: wasmDist }));
  } catch (error) {
    log(`TF.js unavailable: ${error.message}`);
  }
  const enginePathUrl = pathToFileURL(enginePath()).href;
  engines.push(createGradlab(async () => {
    const { loadEngine } = await import(pathToFileURL(path.join(ROOT, 'web/engine/gradlab.js')).href);
    return loadEngine({ moduleUrl: enginePathUrl });
  }));
  const ready = [];
  const failed = {};
  for (const e of engines) {
    if (opts.engines && !opts.engines.includes(e.id)) continue;
    try {
      await e.init();
      ready.push(e);
    } catch (error) {
      failed[e.id] = String(error?.message ?? error);
      log(`  ${e.id}: cannot start: ${failed[e.id]}`);
    }
  }
  return { engines: ready, failed };
}

function addFailures(results, failed, workloads, precisionOf = () => 'float64') {
  for (const [id, error] of Object.entries(failed)) {
    for (const w of workloads) results[w.id][id] = { engine: id, precision: precisionOf(id), error };
  }
}

export async function main(argv = process.argv.slice(2)) {
  const opts = parseArgs(argv);
  const log = (...a) => console.log(...a);
  const workloads = opts.only ? WORKLOADS.filter((w) => opts.only.includes(w.id)) : WORKLOADS;
  const data = makeBenchData();
  const meta = machine();
  const report = { meta, options: opts, ls: leastSquares(data.exam.x, data.exam.y), runs: {} };
  log(`Gradlab bench — ${meta.date} — ${meta.cpu}, ${meta.memory}, ${meta.os}, Node ${meta.node}, load ${meta.loadavg}`);
  const busy = os.loadavg()[0] > 0.5 * os.cpus().length;
  if (busy) log(`WARNING: the machine is busy (load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs): times will be noisy and inflated.`);

  let native = { cells: {}, meta: {} };
  if (opts.native && (!opts.engines || opts.engines.includes('gradlab-native'))) {
    log('\n[native] C++ engine');
    native = runNative(data, workloads, opts);
    // Score native cells once (float64 reference); both tables reuse them.
    const holder = Object.fromEntries(workloads.map((w) => [w.id, native.cells[w.id] ? { 'gradlab-native': native.cells[w.id] } : {}]));
    scoreCells(holder, data, workloads);
    meta.native = native.meta;
  }

  const tables = [];
  const lsLoss = report.ls.loss;
  if (opts.node) {
    log('\n[node] peers and Gradlab wasm');
    const { engines, failed } = await nodeEngines(opts, log);
    const results = await runCells({ engines, data, workloads, capMs: opts.capMs, budgetMs: opts.budgetMs,
      maxReps: opts.maxReps, full: opts.full, log });
    addFailures(results, failed, workloads, (id) => (id.startsWith('tfjs') ? 'float32' : 'float64'));
    for (const w of workloads) if (native.cells[w.id]) results[w.id]['gradlab-native'] = { ...native.cells[w.id] };
    scoreCells(results, data, workloads);
    const detail = engines.filter((e) => e.detail).map((e) => `${e.id}: ${e.detail}`).join('; ');
    const env = [`${meta.date}, ${meta.cpu}, ${meta.memory}, ${meta.os}, Node ${meta.node}, load average at start ${meta.loadavg}`,
      `TF.js computes in float32 (every other engine in float64)${detail ? `; ${detail}` : ''}`,
      'W2: every engine sums over all 64 points in every cell (Gradlab: landscape method \'sum\'; its widgets use the exact quadratic form, O(1) per cell)'];
    tables.push(markdown(results, workloads, { title: 'Node', meta: env, lsLoss }));
    report.runs.node = { results, targets: targets(results, workloads) };
  }
  if (opts.browser) {
    log('\n[browser] headless Chromium');
    try {
      const { runBrowser } = await import('./browser.mjs');
      const browser = await runBrowser({ opts, workloads, data, log });
      const results = browser.results;
      for (const w of workloads) if (native.cells[w.id]) results[w.id]['gradlab-native'] = { ...native.cells[w.id] };
      scoreCells(results, data, workloads); // agreement of the native cells with this run's plain JS
      const env = [`${meta.date}, ${meta.cpu}, ${browser.meta.userAgent}`,
        `TF.js computes in float32${browser.meta.tfjsDetail ? `; ${browser.meta.tfjsDetail}` : ''}`];
      tables.push(markdown(results, workloads, { title: 'Headless Chromium', meta: env, lsLoss }));
      report.runs.browser = { results, meta: browser.meta, targets: targets(results, workloads) };
    } catch (error) {
      log(`browser run failed: ${error.stack || error}`);
      report.runs.browser = { error: String(error?.message ?? error) };
    }
  }
  meta.loadavgEnd = os.loadavg().map((v) => v.toFixed(2)).join(' ');
  const warning = busy ? `**Busy machine**: load average ${meta.loadavg} at start on ${os.cpus().length} CPUs; treat these times as noisy upper bounds.\n\n` : '';
  const text = `${warning}${tables.join('\n\n')}\n\nLoad average at end: ${meta.loadavgEnd} (${os.cpus().length} CPUs; numbers are noisy when other work runs).\n`;
  log(`\n${text}`);

  fs.mkdirSync(OUT_DIR, { recursive: true });
  const stamp = meta.date.replace(/[:.]/g, '-');
  const json = JSON.stringify(report, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v), 2);
  fs.writeFileSync(path.join(OUT_DIR, `bench-${stamp}.json`), json);
  fs.writeFileSync(path.join(OUT_DIR, 'latest.json'), json);
  fs.writeFileSync(path.join(OUT_DIR, 'latest.md'), text);
  log(`saved ${path.relative(ROOT, path.join(OUT_DIR, `bench-${stamp}.json`))} and latest.md`);

  if (opts.strict) {
    const bad = Object.values(report.runs).some((run) => run.targets?.some((t) => t.verdict === 'FAIL') ||
      Object.values(run.results || {}).some((row) => Object.values(row).some((c) => c.agrees === false)));
    if (bad) process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
