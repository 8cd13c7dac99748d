// The bench page's script (bundled by tests/bench/browser.mjs into build/bench-web/page.js):
// the same data, workloads, harness and engine adapters as the Node run, in the browser. The
// configuration arrives in location.hash as JSON; progress goes to console.log (the runner
// echoes it); the scored results end up in window.__benchResult.

import { makeBenchData } from './data.mjs';
import { WORKLOADS } from './workloads.mjs';
import { runCells, scoreCells } from './harness.mjs';
import { createPlainJs } from './peers/plainjs.mjs';
import { createPlayground } from './peers/playground.mjs';
import { createTfjs } from './peers/tfjs.mjs';
import { createGradlab } from './peers/gradlab.mjs';
import { loadEngine } from '../../web/engine/gradlab.js';
import { checksum } from './checksum.mjs';

async function main() {
  const cfg = JSON.parse(decodeURIComponent(location.hash.slice(1) || '{}'));
  const log = (line) => console.log(line);
  const workloads = cfg.only ? WORKLOADS.filter((w) => cfg.only.includes(w.id)) : WORKLOADS;
  const data = makeBenchData();
  const all = [
    createPlainJs(),
    createPlayground(),
    createTfjs('cpu'),
    createTfjs('wasm', { wasmPath: cfg.tfjsWasmUrl }),
    createGradlab(() => loadEngine({ moduleUrl: new URL(cfg.engineUrl, location.href).href })),
  ].filter((e) => !cfg.engines || cfg.engines.includes(e.id));
  const engines = [];
  const failed = {};
  for (const e of all) {
    try {
      await e.init();
      engines.push(e);
    } catch (error) {
      failed[e.id] = { engine: e.id, precision: e.precision, error: String(error?.message ?? error) };
      log(`  ${e.id}: cannot start: ${failed[e.id].error}`);
    }
  }
  const results = await runCells({ engines, data, workloads, capMs: cfg.capMs, budgetMs: cfg.budgetMs,
    maxReps: cfg.maxReps, full: cfg.full, log });
  for (const w of workloads) for (const [id, cell] of Object.entries(failed)) results[w.id][id] = { ...cell };
  scoreCells(results, data, workloads);
  const tf = engines.find((e) => e.id === 'tfjs-wasm');
  return {
    results,
    meta: {
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      tfjsDetail: tf?.detail ? `tfjs-wasm: ${tf.detail}` : '',
      checksum: checksum(data),
    },
  };
}

main().then(
  (r) => { window.__benchResult = r; },
  (error) => { window.__benchResult = { error: String(error?.stack ?? error) }; },
);
