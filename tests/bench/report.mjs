// Markdown tables and target verdicts from scored results (Node and browser runs alike).

export const COLUMNS = [
  ['plainjs', 'plain JS'],
  ['playground', 'Playground-style'],
  ['tfjs-cpu', 'TF.js cpu'],
  ['tfjs-wasm', 'TF.js wasm'],
  ['gradlab-wasm', 'Gradlab wasm'],
  ['gradlab-native', 'Gradlab native'],
];

const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtX = (x) => (Number.isFinite(x) ? `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×` : 'n/a');

function timeCell(cell) {
  if (!cell) return '—';
  if (cell.error) return 'error';
  const mark = cell.extrapolated ? '~' : '';
  return `${mark}${fmtMs(cell.ms)} (${cell.reps})`;
}

const ms = (cell) => (cell && !cell.error && Number.isFinite(cell.ms) ? cell.ms : NaN);

/** Speed-ups of Gradlab wasm for one workload row. */
export function ratios(row) {
  const gl = ms(row['gradlab-wasm']);
  const tfBest = Math.min(...['tfjs-cpu', 'tfjs-wasm'].map((k) => ms(row[k])).filter(Number.isFinite));
  return {
    vsPlain: ms(row.plainjs) / gl,
    vsPlayground: ms(row.playground) / gl,
    vsTfBest: Number.isFinite(tfBest) ? tfBest / gl : NaN,
    vsNative: gl / ms(row['gradlab-native']),
  };
}

/** PASS/FAIL lines: W1 Gradlab <= plain JS; others >= 2x plain JS, >= 5x TF.js best, <= 2x native. */
export function targets(results, workloads) {
  const lines = [];
  for (const spec of workloads) {
    const row = results[spec.id] || {};
    const r = ratios(row);
    const check = (name, value, ok) => {
      const verdict = !Number.isFinite(value) ? 'N/A ' : ok(value) ? 'PASS' : 'FAIL';
      lines.push({ workload: spec.id, name, value, verdict });
    };
    if (spec.id === 'W1') {
      check('Gradlab wasm ≤ plain JS time', r.vsPlain, (v) => v >= 1);
    } else {
      check('≥ 2× faster than plain JS', r.vsPlain, (v) => v >= 2);
      check('≥ 5× faster than TF.js best', r.vsTfBest, (v) => v >= 5);
      check('within 2× of native', r.vsNative, (v) => v <= 2);
    }
  }
  return lines;
}

export function markdown(results, workloads, { title, meta, lsLoss } = {}) {
  const out = [];
  if (title) out.push(`### ${title}`, '');
  if (meta) out.push(...meta.map((m) => `- ${m}`), '');
  out.push(`Median wall time in ms (number of timed runs); ~ = extrapolated from a shortened run.`, '');
  out.push(`| workload | ${COLUMNS.map((c) => c[1]).join(' | ')} | GL vs plain JS | GL vs Playground | GL vs TF.js best | GL wasm / native |`);
  out.push(`|---|${COLUMNS.map(() => '---:').join('|')}|---:|---:|---:|---:|`);
  for (const spec of workloads) {
    const row = results[spec.id] || {};
    const r = ratios(row);
    out.push(`| ${spec.id} | ${COLUMNS.map(([k]) => timeCell(row[k])).join(' | ')} | ${fmtX(r.vsPlain)} | ${fmtX(r.vsPlayground)} | ${fmtX(r.vsTfBest)} | ${fmtX(r.vsNative)} |`);
  }
  out.push('', 'Fastest run in ms (less sensitive to a busy machine than the median; ~ = extrapolated):', '');
  out.push(`| workload | ${COLUMNS.map((c) => c[1]).join(' | ')} |`);
  out.push(`|---|${COLUMNS.map(() => '---:').join('|')}|`);
  for (const spec of workloads) {
    const row = results[spec.id] || {};
    const cells = COLUMNS.map(([k]) => {
      const c = row[k];
      if (!c) return '—';
      if (c.error || !Number.isFinite(c.msMin)) return c.error ? 'error' : 'n/a';
      return `${c.extrapolated ? '~' : ''}${fmtMs(c.msMin)}`;
    });
    out.push(`| ${spec.id} | ${cells.join(' | ')} |`);
  }
  out.push('', 'Final loss, recomputed in float64 from each engine\'s final parameters (W2: grid minimum, ✓ = every cell within tolerance of the float64 reference):', '');
  out.push(`| workload | ${COLUMNS.map((c) => c[1]).join(' | ')} |`);
  out.push(`|---|${COLUMNS.map(() => '---:').join('|')}|`);
  for (const spec of workloads) {
    const row = results[spec.id] || {};
    const cells = COLUMNS.map(([k]) => {
      const c = row[k];
      if (!c) return '—';
      if (c.error) return 'error';
      if (c.loss === undefined) return c.extrapolated ? 'n/a (~)' : 'n/a';
      const mark = c.agrees === undefined ? '' : c.agrees ? ' ✓' : ' ✗';
      return `${Number(c.loss).toPrecision(8)}${mark}`;
    });
    out.push(`| ${spec.id} | ${cells.join(' | ')} |`);
  }
  if (lsLoss !== undefined) out.push('', `W1 closed-form least-squares loss: ${lsLoss.toPrecision(10)}`);
  const errors = [];
  for (const spec of workloads) {
    for (const [k, c] of Object.entries(results[spec.id] || {})) {
      if (c.error) errors.push(`- ${spec.id} ${k}: ${c.error}`);
      if (c.note) errors.push(`- ${spec.id} ${k}: note: ${c.note}`);
      if (c.agrees === false) errors.push(`- ${spec.id} ${k}: final loss disagrees with the float64 reference beyond tolerance (relative ${c.tolerance.rel}, absolute ${c.tolerance.abs})`);
    }
  }
  if (errors.length) out.push('', 'Notes:', ...errors);
  out.push('', 'Targets (Gradlab wasm):', '');
  for (const t of targets(results, workloads)) {
    out.push(`- ${t.verdict} ${t.workload}: ${t.name} (${fmtX(t.value)})`);
  }
  return out.join('\n');
}
