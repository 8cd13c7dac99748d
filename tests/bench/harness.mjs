// Runs every (engine, workload) cell and keeps the numbers: timing policy, medians, scoring of
// final results against the float64 reference. Environment-agnostic (Node and the bench page).
//
// Timing policy, per cell:
//   1. A probe: the workload with 1/20 of its steps (W2, which has no steps, runs in full),
//      repeated until warmMs of work has run (up to 5,000 probes: W1's takes ~0.1 ms). It warms up JITs (and lets V8 tier WebAssembly up
//      from its baseline compiler, which a busy machine delays) and estimates the full run's time.
//   2. If the estimate is under capMs (or `full` is set): full runs, as many as fit in budgetMs
//      (1..maxReps; up to 3 x maxReps for cells under 200 ms, 20 x for cells under 20 ms, whose
//      medians a single descheduling would otherwise move); the median is reported (the
//      minimum is kept in the JSON) and the last run's result is scored.
//   3. Otherwise the cell is extrapolated: a few runs of a shortened workload (about
//      extrapolateRunMs each), scaled to the full step count. Marked "~" in the table and not
//      scored (its final loss belongs to a shorter run). Per-step cost is flat in these
//      workloads (fixed batch sizes, preallocated buffers), so the scaling is linear.

import { score, tolerance, referenceGrid } from './workloads.mjs';

const now = () => performance.now();

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timed(engine, spec, data) {
  const t0 = now();
  const result = await engine.run(spec, data);
  return { ms: now() - t0, result };
}

/**
 * @param {object} o
 * @param {Array} o.engines    adapters {id, label, precision, init(), run(spec, data), supports?}
 * @param {object} o.data      makeBenchData()
 * @param {Array} o.workloads  specs from workloads.mjs
 * @returns {Promise<object>}  results[workloadId][engineId] = cell
 */
export async function runCells({
  engines, data, workloads, capMs = 20000, budgetMs = 12000, maxReps = 5,
  extrapolateRunMs = 2500, warmMs = 400, full = false, log = () => {},
}) {
  const results = {};
  for (const spec of workloads) {
    results[spec.id] = {};
    for (const engine of engines) {
      if (engine.supports && !engine.supports(spec)) continue;
      const cell = { engine: engine.id, precision: engine.precision, times: [], reps: 0 };
      results[spec.id][engine.id] = cell;
      try {
        let estimate;
        let warm = null;
        // Warm-up: repeat the probe until warmMs of work has run, so JIT compilers (and V8's
        // background tier-up of WebAssembly from Liftoff to TurboFan) are done before timing.
        const probeSpec = spec.steps ? { ...spec, steps: Math.max(1, Math.round(spec.steps / 20)) } : spec;
        let probe = await timed(engine, probeSpec, data);
        const first = probe;
        for (let spent = probe.ms, k = 1; spent < warmMs && k < 5000 && probe.ms < 1000; k++) {
          probe = await timed(engine, probeSpec, data);
          spent += probe.ms;
        }
        if (spec.steps) {
          estimate = (probe.ms * spec.steps) / probeSpec.steps;
        } else {
          warm = probe === first ? first : null;
          estimate = probe.ms;
        }
        if (spec.steps && estimate > capMs && !full) {
          const steps = Math.max(1, Math.round((spec.steps * extrapolateRunMs) / estimate));
          const reps = Math.max(1, Math.min(3, Math.floor(budgetMs / extrapolateRunMs)));
          for (let r = 0; r < reps; r++) {
            const run = await timed(engine, { ...spec, steps }, data);
            cell.times.push((run.ms * spec.steps) / steps);
          }
          cell.extrapolated = { steps, of: spec.steps };
        } else {
          // A slow W2 first run counts as a sample; a fast one was only a warm-up.
          if (warm && warm.ms > 1000) cell.times.push(warm.ms);
          // Fast cells get more runs: the median of many is robust to a busy machine.
          const cap = estimate < 20 ? 20 * maxReps : estimate < 200 ? 3 * maxReps : maxReps;
          const reps = Math.max(1, Math.min(cap, Math.floor(budgetMs / Math.max(estimate, 1e-3))));
          let last = warm;
          while (cell.times.length < reps) {
            last = await timed(engine, spec, data);
            cell.times.push(last.ms);
          }
          cell.result = last.result;
        }
        cell.reps = cell.times.length;
        cell.ms = median(cell.times);
        cell.msMin = Math.min(...cell.times);
      } catch (error) {
        cell.error = String(error?.message ?? error);
      }
      log(formatCellLog(spec, engine, cell));
    }
  }
  return results;
}

function formatCellLog(spec, engine, cell) {
  if (cell.error) return `  ${spec.id} ${engine.id}: ERROR ${cell.error}`;
  const ex = cell.extrapolated ? ` (~ from ${cell.extrapolated.steps}/${cell.extrapolated.of} steps)` : '';
  return `  ${spec.id} ${engine.id}: ${cell.ms.toFixed(1)} ms median of ${cell.reps}${ex}`;
}

/**
 * Turns raw results into scores: final loss (float64 from final parameters) of every cell, and
 * whether it agrees with the reference (plain JS's, or the next float64 engine's when plain JS
 * was extrapolated) within the workload's tolerance.
 * Idempotent: cells already scored (no `result` left) keep their loss; agreement is recomputed
 * for every cell, so cells merged in later (native) can be checked against this run's plain JS.
 */
export function scoreCells(results, data, workloads) {
  const refGrid = referenceGridFor(workloads, data);
  for (const spec of workloads) {
    const row = results[spec.id] || {};
    for (const cell of Object.values(row)) {
      if (cell.error || !cell.result) continue;
      const s = score(spec, cell.result, data, refGrid);
      cell.loss = s.loss;
      if (s.gridMaxRel !== undefined) cell.gridMaxRel = s.gridMaxRel;
      if (cell.result.note) cell.note = cell.result.note;
    }
    // Reference: the first float64 engine with a full (not extrapolated) run, plain JS first.
    const refId = ['plainjs', 'playground', 'gradlab-native', 'gradlab-wasm']
      .find((id) => row[id] && Number.isFinite(row[id].loss));
    const ref = refId ? row[refId].loss : undefined;
    for (const cell of Object.values(row)) {
      if (cell.loss === undefined) continue;
      const tol = tolerance(spec, cell.precision);
      cell.tolerance = tol;
      if (spec.kind === 'landscape') cell.agrees = cell.gridMaxRel <= tol.rel;
      else if (ref !== undefined) cell.agrees = Math.abs(cell.loss - ref) <= tol.rel * Math.abs(ref) + tol.abs;
    }
    // Keep the reports small: results (parameters, grids) are not needed once scored.
    for (const cell of Object.values(row)) delete cell.result;
  }
  return results;
}

let cachedGrid = null;
function referenceGridFor(workloads, data) {
  const spec = workloads.find((w) => w.kind === 'landscape');
  if (!spec) return null;
  cachedGrid ??= referenceGrid(spec, data.exam.x, data.exam.y);
  return cachedGrid;
}
