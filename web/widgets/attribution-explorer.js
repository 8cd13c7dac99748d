// <gradlab-attribution-explorer>: explaining one prediction of a trained classifier with
// gradients.
//
// The data: made-up students, generated here deterministically from `seed` (no engine data set
// has named features). For student i, with u₁ … u₄ the next four numbers of the mulberry32
// generator seeded with `seed`:
//   hours studied   h = 10·u₁                  (0 to 10)
//   hours slept     s = 4 + 6·u₂               (4 to 10)
//   practice tests  t = ⌊7·u₃⌋                 (0 to 6)
//   chance to pass  q = σ(0.8·(h − 5) + 1.6·min(s − 6.5, 1) + 0.6·(t − 2))   (σ = sigmoid)
//   passed          1 if u₄ < q, else 0
// Sleep helps up to 7.5 hours and not beyond; the model has to discover that from the examples.
//
// The model, trained by the engine when the widget loads (one Trainer.run call, Adam, learning
// rate 0.01, `train-steps` steps): "mlp" = 3 inputs → 8 tanh neurons → 1 sigmoid output, or
// "logistic" = logistic regression. Both give p = probability of passing.
//
// For the student set with the sliders it shows, per feature x_j (all from the engine):
//   ∂p/∂x_j            the engine's input gradient (Model.inputGradient, a backward pass to
//                      the inputs), next to a central difference (p(x + h e_j) − p(x − h e_j)) / 2h
//                      from one predict() call;
//   gradient × change  ∂p/∂x_j · (x_j − baseline_j);
//   integrated grads   (x_j − baseline_j) × the mean of ∂p/∂x_j at 64 evenly spaced points
//                      (midpoints) on the straight path from the baseline to x; these add up to
//                      p(x) − p(baseline) (up to the small error of the average).
// as a table of numbers and two bar charts, on value axes fixed for the whole slider box (see
// _axisLimits), so bars can be compared from one student to the next.
//
// Attributes (see schema.js):
//   model        "mlp" | "logistic", default "mlp"
//   hours        0 … 12, default 6        sleep  3 … 11, default 7      tests  0 … 10, default 2
//   baseline     3 numbers, default "0 5 0"   the student contributions are measured from
//   students     50 … 1000, default 300   seed  0 … 1000000, default 1
//   nudge        0.0001 … 1, default 0.01   h of the central difference
//   train-steps  50 … 3000, default 600
//
// Events:
//   gradlab-change  detail {input: number[3], probability, gradient: number[3],
//                   finiteDifference: number[3], gradientTimesChange: number[3],
//                   integratedGradients: number[3]} after every change of the student
//   gradlab-ready   (from the base class)
//
// Properties (read-only): features (names), input, probability, baselineProbability, gradient,
//   finiteDifference, gradientTimesChange, integratedGradients (arrays of 3), baseline,
//   training ({steps, loss, accuracy}), parameters (Float64Array), modelType.
// Methods: predict(rows) -> probabilities for an array of [hours, sleep, tests] rows (the
//   model's prediction function, for checks); setInput([hours, sleep, tests]); reset().

import { GradlabWidget, h, setText } from './base.js';
import { COLORS, niceLimits } from '../charts/index.js';
import { BarChart } from './backprop-charts.js';
import { fmt } from './exam-math.js';

const FEATURES = [
  { key: 'hours', name: 'Hours studied', short: 'study', unit: 'hours', min: 0, max: 12, step: 0.25 },
  { key: 'sleep', name: 'Hours slept', short: 'sleep', unit: 'hours', min: 3, max: 11, step: 0.25 },
  { key: 'tests', name: 'Practice tests', short: 'tests', unit: 'tests', min: 0, max: 10, step: 0.5 },
];
const PATH_POINTS = 64;
const num = (v) => fmt(v, 4);

/** mulberry32: a tiny seeded generator of uniform numbers in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The made-up class (see the header): {x: rows × 3, y: rows, rows}. */
export function makeStudents(n, seed) {
  const r = mulberry32(seed);
  const x = new Float64Array(n * 3);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const hours = 10 * r();
    const sleep = 4 + 6 * r();
    const tests = Math.floor(7 * r());
    const z = 0.8 * (hours - 5) + 1.6 * Math.min(sleep - 6.5, 1) + 0.6 * (tests - 2);
    const q = 1 / (1 + Math.exp(-z));
    x[3 * i] = hours;
    x[3 * i + 1] = sleep;
    x[3 * i + 2] = tests;
    y[i] = r() < q ? 1 : 0;
  }
  return { x, y, rows: n };
}

export class AttributionExplorer extends GradlabWidget {
  static tag = 'gradlab-attribution-explorer';

  static styles = `
    .ae-table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: .95rem;
      background: #fff; }
    .ae-table th, .ae-table td { border: 1px solid #dde3ea; padding: .3rem .5rem; text-align: right; }
    .ae-table th:first-child, .ae-table td:first-child { text-align: left; }
    .ae-table caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
    .ae-wrap { overflow-x: auto; }
    .ae-train, .ae-sum { margin: 0; color: #2b323b; font-size: .95rem; }
    .ae-verdict { margin: 0; font-weight: 650; }
    .ae-buttons { display: flex; flex-wrap: wrap; gap: .5rem; }
  `;

  setup(gl) {
    const a = this.attrs;
    this.data = makeStudents(a.students, a.seed);
    const spec = a.model === 'mlp'
      ? { type: 'mlp', sizes: [3, 8, 1], activations: ['tanh', 'sigmoid'], loss: 'bce', seed: a.seed, init: 'xavier' }
      : { type: 'logistic', inputs: 3 };
    this.model = this.own(gl.model(spec));
    this.model.setData(this.data);
    const trainer = gl.trainer(this.model, { type: 'adam', lr: 0.01 }, { recordTrajectory: false });
    try {
      trainer.run(a['train-steps']);
      const p = this.model.predict(this.data.x, this.data.rows);
      let right = 0;
      for (let i = 0; i < this.data.rows; i += 1) if ((p[i] > 0.5) === (this.data.y[i] > 0.5)) right += 1;
      this.trainingInfo = { steps: trainer.steps, loss: trainer.loss, accuracy: right / this.data.rows };
    } finally {
      trainer.delete();
    }
    this.state = { x: [a.hours, a.sleep, a.tests] };

    this.sliders = FEATURES.map((f, j) => this.slider({ label: `${f.name}`, min: f.min, max: f.max, step: f.step,
      value: this.state.x[j], onInput: (v) => { this.state.x[j] = v; this._compute(); } }));
    this.out = {
      p: this.readout({ label: 'Probability of passing, p', format: num }),
      base: this.readout({ label: 'p for the baseline student', format: num }),
      diff: this.readout({ label: 'Difference p − p(baseline)', format: num }),
    };
    this.verdict = h('p', { class: 'ae-verdict', 'aria-live': 'polite' });
    const t = this.trainingInfo;
    const modelName = a.model === 'mlp' ? 'a small neural network (3 inputs, 8 tanh neurons, 1 output)' : 'logistic regression';
    this.trainText = h('p', { class: 'ae-train' },
      `Trained when the page loaded: ${modelName}, ${t.steps} Adam steps on ${this.data.rows} made-up students; ` +
      `cross-entropy ${num(t.loss)}, ${(t.accuracy * 100).toFixed(1)}% of the students classified correctly. ` +
      `Baseline student: ${a.baseline[0]} hours of study, ${a.baseline[1]} hours of sleep, ${a.baseline[2]} practice tests.`);
    // The table's cells are made once; a move rewrites the numbers in them.
    this.cells = FEATURES.map(() => Array.from({ length: 6 }, () => h('td', {})));
    this.sumCells = [h('td', {}), h('td', {})];
    this.tbody = h('tbody', {}, ...FEATURES.map((f, j) => h('tr', {}, h('th', { scope: 'row' }, f.name), ...this.cells[j])));
    this.tfoot = h('tfoot', {}, h('tr', {},
      h('th', { scope: 'row' }, 'Sum'), h('td', {}, ''), h('td', {}, ''), h('td', {}, ''), h('td', {}, ''), ...this.sumCells));
    const table = h('table', { class: 'ae-table' },
      h('caption', {}, 'Per feature, for this student'),
      h('thead', {}, h('tr', {}, ...['Feature', 'Value', 'Baseline', '∂p/∂x (engine)', `Central difference, h = ${a.nudge}`,
        'Gradient × (value − baseline)', 'Integrated gradients'].map((c) => h('th', { scope: 'col' }, c)))),
      this.tbody, this.tfoot);
    this.sum = h('p', { class: 'ae-sum', 'aria-live': 'polite' });
    this.gradHost = h('div', {});
    this.contribHost = h('div', {});

    this.body.append(
      this.title('Why did the model say that? Gradients of the prediction'),
      this.trainText,
      this.row(...this.sliders.map((s) => s.element)),
      h('div', { class: 'gl-readouts' }, ...Object.values(this.out).map((r) => r.element)),
      this.verdict,
      h('div', { class: 'ae-wrap' }, table),
      this.sum,
      h('div', { class: 'gl-grid-2' },
        h('div', {}, h('h4', { class: 'gl-label' }, 'Sensitivity: change of p per unit of each feature'), this.gradHost),
        h('div', {}, h('h4', { class: 'gl-label' }, 'Contribution to p − p(baseline)'), this.contribHost)),
      h('div', { class: 'ae-buttons' }, this.button({ label: 'Reset', onClick: () => this.reset() })),
    );
    const categories = FEATURES.map((f) => f.short);
    this.gradChart = this.own(new BarChart(this.gradHost, { label: 'Input gradient ∂p/∂x of each feature',
      categories, xLabel: 'feature', yLabel: '∂p/∂x (per unit)', series: [{ label: '∂p/∂x', color: COLORS.blue }] }));
    this.contribChart = this.own(new BarChart(this.contribHost, { label: 'Contribution of each feature',
      categories, xLabel: 'feature', yLabel: 'share of p − p(baseline)',
      series: [{ label: 'gradient × change', color: COLORS.orange }, { label: 'integrated gradients', color: COLORS.green }] }));
    this._axisLimits();
    this._compute();
  }

  /**
   * Value axes for the two bar charts that hold for every student the sliders can make: the
   * extremes of ∂p/∂x and of the integrated gradients (8 path points) over a 5 × 5 × 5 grid of
   * the sliders' ranges, from one inputGradients call, in round numbers. The bars then move
   * against a fixed scale while a slider moves, so a gradient that fades (a student far past the
   * pass mark) looks small instead of being stretched to the chart's height, and neither chart
   * is laid out again (refitted to the bars, they were relaid on two moves in three of a slider
   * sweep: a full Chart.js update each). A bar beyond them widens the axis while it lasts
   * (_fit): gradient × change, far from the baseline, can overshoot the integrated gradients
   * several times over (that it does not add up is the lesson's point), and a student between
   * grid points can have a slightly larger gradient.
   */
  _axisLimits() {
    const base = this.attrs.baseline;
    const side = 5;
    const paths = 8;
    const points = [];
    for (let a = 0; a < side; a += 1) {
      for (let b = 0; b < side; b += 1) {
        for (let c = 0; c < side; c += 1) {
          points.push([a, b, c].map((k, j) => FEATURES[j].min + (k / (side - 1)) * (FEATURES[j].max - FEATURES[j].min)));
        }
      }
    }
    const group = 1 + paths;
    const at = new Float64Array(3 * group * points.length);
    points.forEach((x, i) => {
      at.set(x, 3 * group * i);
      for (let k = 0; k < paths; k += 1) {
        const t = (k + 0.5) / paths;
        for (let j = 0; j < 3; j += 1) at[3 * (group * i + 1 + k) + j] = base[j] + t * (x[j] - base[j]);
      }
    });
    const g = this.model.inputGradients(at, group * points.length);
    const grad = [0, 0];
    const contrib = [0, 0];
    const widen = (range, v) => { range[0] = Math.min(range[0], v); range[1] = Math.max(range[1], v); };
    points.forEach((x, i) => {
      for (let j = 0; j < 3; j += 1) {
        const gj = g[3 * group * i + j];
        let mean = 0;
        for (let k = 1; k <= paths; k += 1) mean += g[3 * (group * i + k) + j] / paths;
        widen(grad, gj);
        widen(contrib, mean * (x[j] - base[j]));
      }
    });
    this.gradLimits = niceLimits(grad[0], grad[1]);
    this.contribLimits = niceLimits(contrib[0], contrib[1]);
  }

  /**
   * Sets a bar chart's value axis to `limits`, or, while a value lies outside them (a student
   * between grid points), to round limits that also hold it.
   */
  _fit(chart, limits, values) {
    const lo = Math.min(0, ...values);
    const hi = Math.max(0, ...values);
    const shown = lo < limits.min || hi > limits.max
      ? niceLimits(Math.min(lo, limits.min), Math.max(hi, limits.max)) : limits;
    const y = chart.chart.options.scales.y;
    y.min = shown.min;
    y.max = shown.max;
  }

  /** The model's probabilities for rows of [hours, sleep, tests] (one engine predict call). */
  predict(rows) {
    const flat = Float64Array.from(rows.flat());
    return Array.from(this.model.predict(flat, rows.length));
  }

  _compute() {
    const s = this.state;
    const x = s.x;
    const base = this.attrs.baseline;
    const hh = this.attrs.nudge;
    // One predict call: x, baseline, then x ± h e_j for each feature.
    const rows = [x, base];
    for (let j = 0; j < 3; j += 1) {
      const up = [...x];
      const down = [...x];
      up[j] += hh;
      down[j] -= hh;
      rows.push(up, down);
    }
    const p = this.predict(rows);
    s.p = p[0];
    s.pBase = p[1];
    s.fd = [0, 1, 2].map((j) => (p[2 + 2 * j] - p[3 + 2 * j]) / (2 * hh));
    // One inputGradients call: x itself, then the PATH_POINTS midpoints of the path from the
    // baseline (one call per point was 65 crossings into the engine per slider move).
    const at = new Float64Array(3 * (PATH_POINTS + 1));
    at.set(x);
    for (let k = 0; k < PATH_POINTS; k += 1) {
      const a = (k + 0.5) / PATH_POINTS;
      for (let j = 0; j < 3; j += 1) at[3 * (k + 1) + j] = base[j] + a * (x[j] - base[j]);
    }
    const g = this.model.inputGradients(at, PATH_POINTS + 1);
    s.grad = Array.from(g.subarray(0, 3));
    s.gxi = s.grad.map((gj, j) => gj * (x[j] - base[j]));
    const mean = [0, 0, 0];
    for (let k = 1; k <= PATH_POINTS; k += 1) {
      for (let j = 0; j < 3; j += 1) mean[j] += g[3 * k + j] / PATH_POINTS;
    }
    s.ig = mean.map((m, j) => m * (x[j] - base[j]));
    this.requestDraw();
    this.emit('gradlab-change', { input: [...x], probability: s.p, gradient: [...s.grad], finiteDifference: [...s.fd],
      gradientTimesChange: [...s.gxi], integratedGradients: [...s.ig] });
  }

  setInput(values) {
    if (!Array.isArray(values) || values.length !== 3 || !values.every(Number.isFinite)) return;
    this.state.x = values.map((v, j) => Math.min(FEATURES[j].max, Math.max(FEATURES[j].min, v)));
    this.state.x.forEach((v, j) => this.sliders[j].set(v));
    this._compute();
  }

  reset() {
    const a = this.attrs;
    this.setInput([a.hours, a.sleep, a.tests]);
  }

  attributeChanged(name) {
    // Data, model and training are fixed at load; anything else is a new student.
    if (['model', 'students', 'seed', 'train-steps', 'nudge'].includes(name)) {
      this.notify('This setting takes effect when the page is reloaded.', { kind: 'info', key: 'reload' });
    }
    if (name === 'baseline') this._axisLimits();
    this.reset();
  }

  draw() {
    const s = this.state;
    const base = this.attrs.baseline;
    this.out.p.set(s.p);
    this.out.base.set(s.pBase);
    this.out.diff.set(s.p - s.pBase);
    setText(this.verdict, `The model says: ${s.p >= 0.5 ? 'pass' : 'fail'} (p = ${num(s.p)}).`);
    FEATURES.forEach((f, j) => {
      [s.x[j], base[j], s.grad[j], s.fd[j], s.gxi[j], s.ig[j]].forEach((v, k) => setText(this.cells[j][k], num(v)));
    });
    const sum = (v) => v.reduce((a, b) => a + b, 0);
    setText(this.sumCells[0], num(sum(s.gxi)));
    setText(this.sumCells[1], num(sum(s.ig)));
    setText(this.sum, `Integrated gradients add up to ${num(sum(s.ig))}; p − p(baseline) = ${num(s.p - s.pBase)}. ` +
      `Gradient × change adds up to ${num(sum(s.gxi))}` +
      (Math.abs(sum(s.gxi) - (s.p - s.pBase)) > 0.05 ? ', which is not the difference: the gradient only describes small changes.' : '.'));
    this.gradChart.setValues(0, s.grad);
    this._fit(this.gradChart, this.gradLimits, s.grad.filter(Number.isFinite));
    this.gradChart.update();
    this.contribChart.setValues(0, s.gxi);
    this.contribChart.setValues(1, s.ig);
    this._fit(this.contribChart, this.contribLimits, [...s.gxi, ...s.ig].filter(Number.isFinite));
    this.contribChart.update();
  }

  // --- public properties --------------------------------------------------------------------
  get features() { return FEATURES.map((f) => f.name); }
  get input() { return [...(this.state.x ?? [])]; }
  get probability() { return this.state.p; }
  get baselineProbability() { return this.state.pBase; }
  get gradient() { return [...(this.state.grad ?? [])]; }
  get finiteDifference() { return [...(this.state.fd ?? [])]; }
  get gradientTimesChange() { return [...(this.state.gxi ?? [])]; }
  get integratedGradients() { return [...(this.state.ig ?? [])]; }
  get baseline() { return [...this.attrs.baseline]; }
  get training() { return this.trainingInfo ? { ...this.trainingInfo } : null; }
  get parameters() { return this.model ? this.model.parameters() : new Float64Array(0); }
  get modelType() { return this.attrs.model; }
}

AttributionExplorer.define();
