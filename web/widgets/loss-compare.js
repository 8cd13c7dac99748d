// <gradlab-loss-compare>: mean squared error (and MAE / Huber) of a few predictions, term by term.
//
// Every loss number comes from the engine's loss kernels (gl.loss): the loss of all rows, its
// gradient with respect to each prediction, and each row's own term (the same kernel on one row).
// With predictions (2.5, 3.1, 4.8) against actual values (3, 3, 5):
//   MSE = (0.25 + 0.01 + 0.04) / 3 = 0.1,  ∂MSE/∂ŷᵢ = (2/3)(ŷᵢ − yᵢ) = (−0.3333, 0.06667, −0.1333)
//   MAE = (0.5 + 0.1 + 0.2) / 3 = 0.2667,  Huber (δ = 1) = (0.125 + 0.005 + 0.02) / 3 = 0.05.
// A chart draws each kind's term as a function of the error ŷ − y (squared, absolute, Huber) with
// the rows' errors marked on the chosen curve; "Add an outlier" appends a fourth row (predicted 3,
// actual 13) to show how squaring lets one big miss dominate.
//
// Attributes (see schema.js):
//   predictions  1–6 numbers, default "2.5 3.1 4.8", each −5 … 15   starting predictions ŷ
//   targets      1–6 numbers, default "3 3 5", each −5 … 15         actual values y (same count)
//   kind         "mse" | "mae" | "huber", default "mse"             the loss shown in the table
//   delta        number, default 1, 0.1 … 5                         Huber's threshold δ
//   outlier      boolean, default false                             start with the outlier row
//
// Controls: one slider (+ number box) per prediction, a "Loss" select (MSE / MAE / Huber), the
// outlier checkbox, Reset (back to the attributes).
//
// Events:
//   gradlab-change  detail {kind, predictions, targets, loss, gradient, terms, losses:{mse,mae,huber}}
//   gradlab-ready   (from the base class)
//
// Properties (read-only): kind, predictions, targets, loss (of the chosen kind), gradient
// (∂loss/∂ŷᵢ, array), terms (each row's term, array), losses ({mse, mae, huber}).

import { GradlabWidget, fillRows, h, setText } from './base.js';
import { BaseChart, axis, COLORS } from '../charts/index.js';
import { fmt } from './exam-math.js';

const num = (v) => fmt(v, 5);
const SPAN = { min: -5, max: 15 };
// The error ranges the chart shows, ± each (about 1.5× apart).
const RANGES = [2, 3, 5, 8, 12, 18, 27, 40];
const OUTLIER = { prediction: 3, target: 13 };
const KINDS = {
  mse: { name: 'MSE', long: 'Mean squared error', term: 'squared error (ŷ − y)²', color: COLORS.blue },
  mae: { name: 'MAE', long: 'Mean absolute error', term: 'absolute error |ŷ − y|', color: COLORS.green },
  huber: { name: 'Huber', long: 'Huber loss', term: 'Huber term', color: COLORS.purple },
};
const KIND_KEYS = Object.keys(KINDS);
const CURVE_STEP = 0.05; // the grid of error values the term curves are sampled on
const CURVE_POINTS = 80; // at most this many points each side of zero per curve

/** The three term curves against the error, with the rows' errors marked on the chosen one. */
class TermChart extends BaseChart {
  constructor(host) {
    super(host, { label: 'Loss term against the error ŷ − y' });
    this.kind = 'mse';
    this.points = [];
    this._create({
      type: 'scatter',
      datasets: [
        ...KIND_KEYS.map((k) => ({ label: KINDS[k].name, type: 'line', data: [], borderColor: KINDS[k].color,
          backgroundColor: KINDS[k].color, borderWidth: 2, pointRadius: 0, order: 2 })),
        { label: 'examples', data: [], backgroundColor: COLORS.red, borderColor: '#fff', borderWidth: 2,
          pointRadius: 6, order: 1 },
      ],
      scales: { x: axis({ title: 'error ŷ − y' }), y: axis({ title: 'loss term', min: 0 }) },
      legend: true,
    });
    this.chart.options.plugins.legend.labels.filter = (item) => item.text !== 'examples';
  }

  /** curves: {mse: [{x,y}], ...}; points: [{x, y}] on the chosen curve. */
  set(curves, kind, points, range) {
    this.kind = kind;
    this.points = points;
    KIND_KEYS.forEach((k, i) => {
      const d = this.chart.data.datasets[i];
      d.data = curves[k];
      d.borderWidth = k === kind ? 3.5 : 1.5;
      d.borderDash = k === kind ? [] : [5, 4];
    });
    this.chart.data.datasets[3].data = points;
    // Fixed limits (the tallest curve at this range, rounded up): the layout then stays put while
    // a slider moves inside the range, and the chart redraws without a full Chart.js update.
    let top = 0;
    for (const k of KIND_KEYS) for (const p of curves[k]) if (p.y > top) top = p.y;
    const step = top > 50 ? 10 : top > 10 ? 5 : 1;
    Object.assign(this.chart.options.scales.x, { min: -range, max: range });
    this.chart.options.scales.y.max = Math.max(step, Math.ceil(top / step) * step);
  }

  summary() {
    const pts = this.points.map((p) => `error ${fmt(p.x, 3)} gives ${fmt(p.y, 3)}`).join('; ');
    return `${this.label}: squared, absolute and Huber terms for errors from ` +
      `${fmt(this.chart.options.scales.x.min, 3)} to ${fmt(this.chart.options.scales.x.max, 3)}; ` +
      `${KINDS[this.kind].name} is highlighted${pts ? `; the examples: ${pts}` : ''}.`;
  }

  table() {
    return { columns: ['example', 'error ŷ − y', `${KINDS[this.kind].name} term`],
      rows: this.points.map((p, i) => [i + 1, p.x, p.y]) };
  }
}

export class LossCompare extends GradlabWidget {
  static tag = 'gradlab-loss-compare';

  static styles = `
    .lc-rows { display: grid; gap: .5rem; }
    .lc-row { display: grid; gap: .25rem 1rem; align-items: end; background: #fff; border: 1px solid #dde3ea;
      border-radius: 8px; padding: .45rem .7rem; grid-template-columns: minmax(12rem, 2fr) 12.5rem; }
    .lc-row .gl-readout { min-width: 8rem; }
    .lc-actual { margin: 0; font-size: .92rem; color: #2b323b; }
    @media (max-width: 560px) { .lc-row { grid-template-columns: 1fr; } }
    .lc-table-wrap { overflow-x: auto; background: #fff; border: 1px solid #dde3ea; border-radius: 8px;
      padding: .5rem .7rem; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; min-width: 100%; }
    caption { text-align: left; font-weight: 600; padding-bottom: .3rem; caption-side: top; }
    th, td { padding: .2rem .6rem; text-align: right; border-bottom: 1px solid #e3e8ee; }
    th { font-weight: 600; font-size: .9rem; }
    tfoot td, tfoot th { font-weight: 700; border-bottom: 0; border-top: 2px solid #c5ced9; }
    .lc-sum { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .lc-note { margin: 0; color: #2b323b; font-size: .95rem; }
    .gl-readout.lc-chosen { border-left: 4px solid #1f5fbf; padding-left: .5rem; }
    .gl-readout.lc-chosen .gl-readout-label::after { content: " — chosen"; }
    .lc-chart { max-width: 640px; }
    .lc-buttons { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: end; }
  `;

  setup(gl) {
    this.gl = gl;
    this._curveKey = '';
    this.rowsHost = h('div', { class: 'lc-rows' });
    this.kindSelect = this.select({
      label: 'Loss',
      options: KIND_KEYS.map((k) => ({ value: k, label: `${KINDS[k].long} (${KINDS[k].name})` })),
      value: this.attrs.kind,
      onChange: (v) => { this.state.kind = v; this._compute(); },
    });
    this.outlierBox = this.checkbox({
      label: `Add an outlier: a 4th example predicted ${OUTLIER.prediction}, actually ${OUTLIER.target}`,
      onChange: (on) => this._setOutlier(on),
    });
    this.out = {
      mse: this.readout({ label: 'MSE (engine)', format: num }),
      mae: this.readout({ label: 'MAE (engine)', format: num }),
      huber: this.readout({ label: `Huber, δ = ${num(this.attrs.delta)} (engine)`, format: num }),
    };
    this.tableCaption = h('caption', {});
    this.termHead = h('th', { scope: 'col' });
    this.tableBody = h('tbody', {});
    this.tableFoot = h('tfoot', {});
    this.sumLine = h('p', { class: 'lc-sum', 'aria-live': 'polite' });
    this.note = h('p', { class: 'lc-note' });
    const chartHost = h('div', {});
    this.body.append(
      this.title('Loss of a few predictions, term by term'),
      this.rowsHost,
      h('div', { class: 'lc-buttons' }, this.kindSelect.element, this.outlierBox.element,
        this.button({ label: 'Reset', onClick: () => this.reset() })),
      h('div', { class: 'gl-readouts' }, ...Object.values(this.out).map((r) => r.element)),
      this.sumLine,
      h('div', { class: 'lc-table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Loss table, term by term' },
        h('table', {}, this.tableCaption,
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'ŷ'),
            h('th', { scope: 'col' }, 'y'), h('th', { scope: 'col' }, 'ŷ − y'),
            this.termHead, h('th', { scope: 'col' }, '∂loss/∂ŷ'))),
          this.tableBody, this.tableFoot)),
      this.note,
      h('div', { class: 'lc-chart' }, h('h4', { class: 'gl-label' }, 'One example\'s loss term against its error'),
        chartHost),
    );
    this.chart = this.own(new TermChart(chartHost));
    this.reset();
  }

  _startRows() {
    const a = this.attrs;
    let preds = [...a.predictions];
    let targets = [...a.targets];
    if (preds.length !== targets.length) {
      this.notify(`The predictions (${preds.length}) and targets (${targets.length}) have different ` +
        'lengths; using the default example instead.', { kind: 'warning', key: 'lengths' });
      preds = [2.5, 3.1, 4.8];
      targets = [3, 3, 5];
    } else {
      this.clearNotice('lengths');
    }
    return { preds, targets };
  }

  reset() {
    const { preds, targets } = this._startRows();
    this.state = { base: { preds, targets }, preds: [...preds], targets: [...targets],
      kind: this.attrs.kind, outlier: false };
    this.kindSelect.value = this.attrs.kind;
    this._setOutlier(this.attrs.outlier);
  }

  _setOutlier(on) {
    const s = this.state;
    const n = s.base.preds.length;
    s.outlier = on;
    this.outlierBox.checked = on;
    if (on) {
      s.preds = [...s.preds.slice(0, n), OUTLIER.prediction];
      s.targets = [...s.base.targets, OUTLIER.target];
    } else {
      s.preds = s.preds.slice(0, n);
      s.targets = [...s.base.targets];
    }
    this._buildRows();
    this._compute();
  }

  _buildRows() {
    const s = this.state;
    this.rowSliders = s.preds.map((p, i) => {
      const slider = this.slider({ label: `Prediction ŷ${sub(i + 1)}`, min: SPAN.min, max: SPAN.max, step: 0.1,
        value: p, onInput: (v) => { this.state.preds[i] = v; this._compute(); } });
      const grad = this.readout({ label: `∂loss/∂ŷ${sub(i + 1)}`, format: num });
      const actual = h('p', { class: 'lc-actual' }, `Actual y${sub(i + 1)} = ${num(s.targets[i])}` +
        (s.outlier && i === s.preds.length - 1 ? ' (the outlier)' : ''));
      const element = h('div', { class: 'lc-row' }, slider.element, h('div', {}, actual, grad.element));
      return { element, slider, grad };
    });
    this.rowsHost.replaceChildren(...this.rowSliders.map((r) => r.element));
  }

  _compute() {
    const s = this.state;
    const gl = this.gl;
    const delta = this.attrs.delta;
    const all = {};
    for (const k of KIND_KEYS) all[k] = gl.loss(k, s.preds, s.targets, { delta });
    const chosen = all[s.kind];
    s.loss = chosen.loss;
    s.gradient = Array.from(chosen.gradient);
    s.losses = { mse: all.mse.loss, mae: all.mae.loss, huber: all.huber.loss };
    s.terms = s.preds.map((p, i) => gl.loss(s.kind, [p], [s.targets[i]], { delta }).loss);
    s.errors = s.preds.map((p, i) => p - s.targets[i]);
    this._curves();
    this.requestDraw();
    this.emit('gradlab-change', { kind: s.kind, predictions: [...s.preds], targets: [...s.targets],
      loss: s.loss, gradient: [...s.gradient], terms: [...s.terms], losses: { ...s.losses } });
  }

  /**
   * Term curves from the engine (one row per error value), on a fixed grid of errors every
   * CURVE_STEP: each error value is computed once and kept, so widening the range costs only
   * the new points (a full recomputation per range, 3 × 161 engine calls, cost a frame). A wide
   * range uses every k-th grid point (k dividing the range's points, at most CURVE_POINTS each
   * side): at ±18 every point made 721 per curve, and relaying out a chart of 2,200 points (the
   * range changes during a drag) took most of a frame; 161 draw the same curves at 640 px. The
   * range is one of RANGES: it grows to the next that holds the biggest error and shrinks only
   * when that falls below half of it, and not while a slider moves (it shrinks when the hand
   * rests: settled()), so a drag keeps the chart's layout (growing one unit at a time relaid the
   * chart, a full Chart.js update, at every unit the error crossed; shrinking during a drag
   * still relaid it on 15 moves in 40 of a slider sweep). Returns true when the range changed.
   */
  _curves() {
    const s = this.state;
    const biggest = Math.max(...s.errors.map(Math.abs));
    const needed = Math.max(2, Math.ceil(biggest + 0.5));
    const current = this._range ?? 0;
    const range = needed <= current && (needed >= current / 2 || this.moving) ? current
      : RANGES.find((r) => r >= needed) ?? needed;
    const key = `${range}:${this.attrs.delta}`;
    if (key === this._curveKey) return false;
    this._curveKey = key;
    this._range = range;
    this._termCache ??= Object.fromEntries(KIND_KEYS.map((k) => [k, new Map()]));
    const n = Math.round(range / CURVE_STEP);
    let every = Math.ceil(n / CURVE_POINTS);
    while (n % every) every += 1; // both ends of the range are on the curve
    this._curveData = {};
    for (const k of KIND_KEYS) {
      const cache = this._termCache[k];
      const pts = [];
      for (let i = -n; i <= n; i += every) {
        let y = cache.get(i);
        if (y === undefined) {
          y = this.gl.loss(k, [i * CURVE_STEP], [0], { delta: this.attrs.delta }).loss;
          cache.set(i, y);
        }
        pts.push({ x: i * CURVE_STEP, y });
      }
      this._curveData[k] = pts;
    }
    return true;
  }

  /** The hand rests: the range may shrink to the errors now (see _curves). */
  settled() {
    if (this._curves()) this.requestDraw();
  }

  attributeChanged() {
    this._curveKey = '';
    this._termCache = null; // delta may have changed
    this.reset();
  }

  draw() {
    const s = this.state;
    const info = KINDS[s.kind];
    const n = s.preds.length;
    for (const k of KIND_KEYS) {
      this.out[k].set(s.losses[k]);
      this.out[k].element.classList.toggle('lc-chosen', k === s.kind);
    }
    this.rowSliders.forEach((row, i) => {
      row.slider.set(s.preds[i]);
      row.grad.set(s.gradient[i]);
    });
    setText(this.tableCaption, `${info.long}, example by example (ŷ predicted, y actual): ` +
      `${info.term}${s.kind === 'huber' ? ` (δ = ${num(this.attrs.delta)})` : ''}`);
    setText(this.termHead, s.kind === 'mse' ? '(ŷ − y)²' : s.kind === 'mae' ? '|ŷ − y|' : 'Huber term');
    fillRows(this.tableBody, s.preds.map((p, i) => [String(i + 1), num(p), num(s.targets[i]),
      num(s.errors[i]), num(s.terms[i]), num(s.gradient[i])]));
    const sum = s.terms.reduce((a, b) => a + b, 0);
    fillRows(this.tableFoot, [['mean', '', '', '', num(s.loss), '']], { rowHeader: true });
    setText(this.sumLine, `${info.name} = (${s.terms.map(num).join(' + ')}) / ${n} = ${num(sum)} / ${n} = ` +
      `${num(s.loss)}`);
    const worst = s.terms.indexOf(Math.max(...s.terms));
    const share = sum > 0 ? s.terms[worst] / sum : 0;
    setText(this.note, sum > 0
      ? `Example ${worst + 1} contributes ${(share * 100).toFixed(1)}% of the total. ` +
        (s.kind === 'mae'
          ? `With MAE every slope has the same size, 1/${n} = ${num(1 / n)}, however big the miss.`
          : s.kind === 'huber'
            ? `Huber squares misses up to δ = ${num(this.attrs.delta)} and counts bigger ones in proportion, ` +
              `so no slope is larger than δ/${n} = ${num(this.attrs.delta / n)}.`
            : 'Squaring makes the slope grow with the miss: the worst prediction gets the strongest push.')
      : 'Every prediction is exact: the loss is zero and so is every slope.');
    this.chart.set(this._curveData, s.kind, s.errors.map((r, i) => ({ x: r, y: s.terms[i] })), this._range);
    this.chart.update();
  }

  // --- public properties --------------------------------------------------------------------
  get kind() { return this.state.kind; }
  get predictions() { return [...(this.state.preds ?? [])]; }
  get targets() { return [...(this.state.targets ?? [])]; }
  get loss() { return this.state.loss; }
  get gradient() { return [...(this.state.gradient ?? [])]; }
  get terms() { return [...(this.state.terms ?? [])]; }
  get losses() { return { ...this.state.losses }; }
}

function sub(i) {
  return String(i).split('').map((d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]).join('');
}

LossCompare.define();
