// <gradlab-optim-race>: optimizers racing on the same two-parameter landscape.
//
// Up to six racers — SGD, Momentum, Nesterov, Adagrad, RMSprop, Adam — each with its OWN engine
// function model and its own engine trainer (a trainer steps its model's parameters, so sharing
// one model would make the racers push each other around). All start at the same point. Every
// step is taken by the engine (PyTorch's formulas); this file only schedules, records and draws.
//
// What it shows: the landscape as a heat map (darker = lower) with every racer's path in its own
// colour, dash pattern and end-marker shape; the loss after each step for each racer (log scale;
// linear on the saddle, whose loss is negative); a results table with each racer's status
// (running / converged / diverged / out of steps / escaped), steps taken, loss, end point and the
// number of steps it needed to reach a loss below the chosen threshold.
//
// Landscapes (engine functions): 'bowl' ½ pᵀAp with eigenvalues 1 and κ (condition slider) turned
// by an angle; 'rosenbrock' (1 − x)² + 100 (y − x²)²; 'saddle' x² − y² (no minimum: a racer
// "escapes" when its loss falls below −4, i.e. it has rolled off the view).
//
// Attributes (see schema.js):
//   landscape   'bowl' | 'rosenbrock' | 'saddle', default 'bowl'
//   condition   number 1 … 100, default 25        κ of the bowl (largest / smallest curvature)
//   angle       number −90 … 90 (degrees), default 0   rotation of the bowl's long axis
//   start       0 or 2 numbers, default ""       start point (empty: the landscape's own start)
//   optimizers  comma list of sgd, momentum, nesterov, adagrad, rmsprop, adam;
//               default "sgd,momentum,rmsprop,adam"  racers switched on at first
//   threshold   number 1e-12 … 1, default 0.0001  "reached" = loss below this (saddle: −1)
//   max-steps   whole number 10 … 20000, default 3000   step budget of each racer
//
// Controls: landscape select; condition and angle sliders (bowl); click / drag on the map (or
// focus it and use the arrow keys) to move the start; per racer: an on/off checkbox and its
// settings (learning rate, momentum μ, RMSprop α, Adam β₁ β₂) with "Suggested settings" for the
// current landscape; threshold select; Step (one step each), Run / Pause, Reset (everything back
// to the attributes). Any change of landscape, start or settings restarts the race at step 0.
//
// Events:
//   gradlab-change  detail {landscape, step, racers: [{id, enabled, status, steps, loss, point,
//                   reachedAt}]} after every step, run frame and restart
//   gradlab-finish  same detail, once when every racer that is on has stopped
//   gradlab-ready   (from the base class)
//
// Properties (read-only): racers (array of {id, label, enabled, status, steps, loss, point,
// reachedAt, settings}), landscape, start ([x, y]), threshold, running (boolean), step (the
// race's step count). Methods: stepOnce(), run(), pause(), reset().

import { GradlabWidget, h, setAttr, setText } from './base.js';
import { HeatmapChart, LineChart, sameParts } from '../charts/index.js';
import { fmt } from './exam-math.js';

const num = (v) => fmt(v, 4);
const GRID = 96;
const SADDLE_ESCAPE = -4; // saddle: below this loss the racer has rolled out of the view
const SADDLE_REACHED = -1; // saddle: "reached" = loss below −1 (clearly off the saddle)
const TRAINER_OPTIONS = { batchSize: 0, tolerance: 1e-6, divergenceFactor: 1e8 };

/** The racers, in order of increasing complexity. Colours: Okabe–Ito (colour-blind safe). */
export const RACERS = [
  { id: 'sgd', label: 'SGD', color: '#0072B2', dash: [], marker: 'circle' },
  { id: 'momentum', label: 'Momentum', color: '#E69F00', dash: [10, 5], marker: 'triangle' },
  { id: 'nesterov', label: 'Nesterov', color: '#CC79A7', dash: [12, 4, 2, 4], marker: 'square' },
  { id: 'adagrad', label: 'Adagrad', color: '#009E73', dash: [2, 4], marker: 'diamond' },
  { id: 'rmsprop', label: 'RMSprop', color: '#D55E00', dash: [7, 3, 2, 3, 2, 3], marker: 'cross' },
  { id: 'adam', label: 'Adam', color: '#1b1f24', dash: [16, 5], marker: 'star' },
];
export const RACER_IDS = RACERS.map((r) => r.id);

/** Extra settings of each optimizer: slider ranges and the engine option they set. */
const EXTRA = {
  momentum: [{ key: 'momentum', label: 'μ (share of the velocity kept)', min: 0.05, max: 0.99, step: 0.01 }],
  nesterov: [{ key: 'momentum', label: 'μ (share of the velocity kept)', min: 0.05, max: 0.99, step: 0.01 }],
  rmsprop: [{ key: 'alpha', label: 'α (smoothing of the squared gradients)', min: 0.5, max: 0.999, step: 0.001 }],
  adam: [
    { key: 'beta1', label: 'β₁ (gradient average)', min: 0, max: 0.99, step: 0.01 },
    { key: 'beta2', label: 'β₂ (squared-gradient average)', min: 0.9, max: 0.9999, step: 0.0001 },
  ],
};

const round2 = (v) => Number(v.toPrecision(2));

/**
 * Suggested settings per landscape (checked by running the engine: every racer on by default
 * converges on the bowl for κ up to 100 within the default budget).
 */
export function suggestedSettings(landscape, condition = 25) {
  if (landscape === 'rosenbrock') {
    return {
      sgd: { lr: 0.002 }, momentum: { lr: 0.001, momentum: 0.9 }, nesterov: { lr: 0.001, momentum: 0.9 },
      adagrad: { lr: 0.5 }, rmsprop: { lr: 0.001, alpha: 0.99 }, adam: { lr: 0.05, beta1: 0.9, beta2: 0.999 },
    };
  }
  if (landscape === 'saddle') {
    return {
      sgd: { lr: 0.05 }, momentum: { lr: 0.05, momentum: 0.9 }, nesterov: { lr: 0.05, momentum: 0.9 },
      adagrad: { lr: 0.1 }, rmsprop: { lr: 0.01, alpha: 0.99 }, adam: { lr: 0.05, beta1: 0.9, beta2: 0.999 },
    };
  }
  // Bowl: plain gradient descent is stable for lr < 2/κ; SGD gets 90 % of that limit.
  return {
    sgd: { lr: round2(1.8 / condition) },
    momentum: { lr: round2(1 / condition), momentum: 0.9 },
    nesterov: { lr: round2(1 / condition), momentum: 0.9 },
    adagrad: { lr: 1 },
    rmsprop: { lr: 0.05, alpha: 0.99 },
    adam: { lr: 0.1, beta1: 0.9, beta2: 0.999 },
  };
}

/** Engine optimizer spec of one racer. */
function optimizerSpec(id, s) {
  switch (id) {
    case 'sgd': return { type: 'sgd', lr: s.lr };
    case 'momentum': return { type: 'momentum', lr: s.lr, momentum: s.momentum };
    case 'nesterov': return { type: 'nesterov', lr: s.lr, momentum: s.momentum };
    case 'adagrad': return { type: 'adagrad', lr: s.lr };
    case 'rmsprop': return { type: 'rmsprop', lr: s.lr, alpha: s.alpha };
    default: return { type: 'adam', lr: s.lr, beta1: s.beta1, beta2: s.beta2 };
  }
}

/** What a racer's trainer is, its learning rate aside (a rate alone changes without a new one). */
const optimizerKind = (spec) => JSON.stringify({ ...spec, lr: null });

/** The race without any DOM: one engine model + trainer per racer. */
export class Race {
  constructor(gl) {
    this.gl = gl;
    this.racers = RACERS.map((r) => ({ ...r, enabled: false, settings: {}, model: null, trainer: null,
      pending: false, budget: false, escaped: false, error: '' }));
    this.landscape = 'bowl';
    this.params = {};
    this.start = [0, 0];
    this.maxSteps = 3000;
    this.info = null;
    this.starter = null; // stands in for racers not built yet (see restart)
  }

  /** New landscape (engine function name + parameters): rebuild every model. */
  setLandscape(landscape, params) {
    this.landscape = landscape;
    this.params = params;
    for (const r of this.racers) this._free(r);
    this._freeStarter();
    this.probe?.delete();
    this.probe = this.gl.model({ type: 'function', name: landscape, ...params });
    this.info = this.probe.info();
  }

  /**
   * Restart every racer at the start point with its current settings. A racer whose optimizer
   * differs only in its learning rate (a rate slider moved) keeps its engine model and trainer:
   * the trainer takes the new rate and goes back to the start, with its optimizer's state
   * (velocity, averages, step count) cleared as in a new one. Building and freeing four models
   * and trainers took 0.52 of the 0.72 ms such a move's handler ran (CPU profile; 0.21 now).
   * Anything else builds them anew (a new landscape has already freed them).
   *
   * `defer`: racers to be built anew are not built yet. At step 0 every racer is at the start,
   * with the same loss, history, path and status whatever its optimizer, so one trainer on the
   * probe model (the starter) answers for all of them until one must step (advance) or build()
   * is called. A drag of the landscape's sliders builds one trainer per move instead of six
   * models and six trainers: the condition slider's handler took 0.90 ms per move instead of
   * 1.10 (CPU profiles of 60 moves; restart() itself 0.10 instead of 0.30).
   */
  restart({ defer = false } = {}) {
    this._freeStarter();
    for (const r of this.racers) {
      r.budget = false;
      r.escaped = false;
      r.error = '';
      if (!r.enabled) {
        this._free(r);
        continue;
      }
      const spec = optimizerSpec(r.id, r.settings);
      if (r.trainer && r.kind === optimizerKind(spec)) {
        try {
          r.trainer.setLearningRate(spec.lr);
          r.trainer.reset(this.start);
          continue;
        } catch {
          // (built anew below, which reports what is wrong)
        }
      }
      this._free(r);
      if (defer) r.pending = true;
      else this._build(r, spec);
    }
    if (this.racers.some((r) => r.pending)) {
      try {
        this.probe.setParameters(this.start);
        this.starter = this.gl.trainer(this.probe, { type: 'sgd', lr: 0.01 }, TRAINER_OPTIONS);
      } catch {
        this.build(); // (each racer then reports what is wrong)
      }
    }
  }

  /** Build the racers that restart({ defer: true }) left waiting. */
  build() {
    for (const r of this.racers) if (r.pending) this._build(r);
    this._freeStarter();
  }

  _build(r, spec = optimizerSpec(r.id, r.settings)) {
    this._free(r);
    try {
      r.model = this.gl.model({ type: 'function', name: this.landscape, ...this.params });
      r.model.setParameters(this.start);
      r.trainer = this.gl.trainer(r.model, spec, TRAINER_OPTIONS);
      r.kind = optimizerKind(spec);
    } catch (error) {
      this._free(r);
      r.error = error?.message ?? String(error);
    }
  }

  _free(r) {
    r.trainer?.delete();
    r.model?.delete();
    r.trainer = null;
    r.model = null;
    r.kind = null;
    r.pending = false;
  }

  _freeStarter() {
    this.starter?.delete();
    this.starter = null;
  }

  /** The trainer that answers for racer r: its own, the starter while it waits, or null. */
  _trainer(r) {
    return r.trainer ?? (r.pending ? this.starter : null);
  }

  /** Is racer r on and in the race (built, or waiting to be built)? */
  has(r) {
    return r.enabled && this._trainer(r) !== null;
  }

  /** Widget-level status: the trainer's, or 'max-steps' (budget), 'escaped' (saddle), 'off'. */
  status(r) {
    if (!r.enabled) return 'off';
    const t = this._trainer(r);
    if (!t) return 'error';
    if (r.escaped) return 'escaped';
    const st = t.status;
    if (st === 'running' && r.budget) return 'max-steps';
    return st;
  }

  active(r) {
    return this.has(r) && this.status(r) === 'running';
  }

  get finished() {
    return !this.racers.some((r) => this.active(r));
  }

  /** Up to n steps for each racer still running. */
  advance(n = 1) {
    if (this.starter) this.build();
    for (const r of this.racers) {
      if (!this.active(r)) continue;
      const left = this.maxSteps - r.trainer.steps;
      r.trainer.run(Math.max(0, Math.min(n, left)));
      if (this.landscape === 'saddle' && r.trainer.loss < SADDLE_ESCAPE) r.escaped = true;
      if (r.trainer.steps >= this.maxSteps && r.trainer.status === 'running') r.budget = true;
    }
  }

  /** The race's step count: the most steps any racer has taken. */
  get step() {
    return Math.max(0, ...this.racers.map((r) => this._trainer(r)?.steps ?? 0));
  }

  /** First step whose loss is below the threshold, or null. */
  reachedAt(r, threshold) {
    const t = this._trainer(r);
    if (!t) return null;
    const limit = this.landscape === 'saddle' ? SADDLE_REACHED : threshold;
    const hist = t.history();
    for (let k = 0; k < hist.length; k += 1) if (hist[k] < limit) return k;
    return null;
  }

  snapshot(r, threshold) {
    const t = this._trainer(r);
    return {
      id: r.id, label: r.label, enabled: r.enabled, status: this.status(r),
      steps: t ? t.steps : 0, loss: t ? t.loss : NaN, point: t ? Array.from(t.parameters()) : [],
      reachedAt: this.reachedAt(r, threshold), settings: { ...r.settings },
    };
  }

  /** Points visited by a racer, flat [x0, y0, x1, y1, …]. */
  trajectory(r) {
    return this._trainer(r)?.trajectory() ?? new Float64Array(0);
  }

  history(r) {
    return this._trainer(r)?.history() ?? new Float64Array(0);
  }

  landscapeGrid(view, n) {
    return this.probe.landscape({ i: 0, j: 1, iMin: view.xMin, iMax: view.xMax, jMin: view.yMin,
      jMax: view.yMax, nx: n, ny: n });
  }

  delete() {
    for (const r of this.racers) this._free(r);
    this._freeStarter();
    this.probe?.delete();
    this.probe = null;
  }
}

// ---------------------------------------------------------------------------------------------
// Drawing

/** A marker shape of `size` px centred at (x, y). */
function markerPath(ctx, shape, x, y, size) {
  const s = size;
  ctx.beginPath();
  switch (shape) {
    case 'triangle':
      ctx.moveTo(x, y - s); ctx.lineTo(x + s * 0.95, y + s * 0.7); ctx.lineTo(x - s * 0.95, y + s * 0.7);
      ctx.closePath();
      break;
    case 'square':
      ctx.rect(x - s * 0.8, y - s * 0.8, s * 1.6, s * 1.6);
      break;
    case 'diamond':
      ctx.moveTo(x, y - s); ctx.lineTo(x + s, y); ctx.lineTo(x, y + s); ctx.lineTo(x - s, y);
      ctx.closePath();
      break;
    case 'cross': {
      const a = s * 0.38;
      ctx.moveTo(x - s, y - a); ctx.lineTo(x - a, y - a); ctx.lineTo(x - a, y - s); ctx.lineTo(x + a, y - s);
      ctx.lineTo(x + a, y - a); ctx.lineTo(x + s, y - a); ctx.lineTo(x + s, y + a); ctx.lineTo(x + a, y + a);
      ctx.lineTo(x + a, y + s); ctx.lineTo(x - a, y + s); ctx.lineTo(x - a, y + a); ctx.lineTo(x - s, y + a);
      ctx.closePath();
      break;
    }
    case 'star':
      for (let k = 0; k < 10; k += 1) {
        const r = k % 2 ? s * 0.45 : s * 1.1;
        const t = -Math.PI / 2 + (k * Math.PI) / 5;
        if (k === 0) ctx.moveTo(x + r * Math.cos(t), y + r * Math.sin(t));
        else ctx.lineTo(x + r * Math.cos(t), y + r * Math.sin(t));
      }
      ctx.closePath();
      break;
    default:
      ctx.arc(x, y, s * 0.85, 0, 2 * Math.PI);
  }
}

/** HeatmapChart with every racer's path drawn on the canvas (paths are not sorted by x). */
class RaceMap extends HeatmapChart {
  constructor(host, options) {
    super(host, options);
    this.paths = []; // [{racer, xy: Float64Array}]
    this.chart.config.plugins.push({ id: 'glRacePaths', afterDatasetsDraw: (chart) => this._drawPaths(chart) });
  }

  setPaths(paths) {
    this.paths = paths;
  }

  _drawPaths(chart) {
    const { ctx, chartArea: area, scales: { x: sx, y: sy } } = chart;
    const { xMin, xMax, yMin, yMax } = this.extent;
    const wx = xMax - xMin;
    const wy = yMax - yMin;
    // Far outside the view the path is cut (pixel coordinates stay small).
    const inside = (x, y) => x > xMin - 5 * wx && x < xMax + 5 * wx && y > yMin - 5 * wy && y < yMax + 5 * wy;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.width, area.height);
    ctx.clip();
    ctx.lineJoin = 'round';
    ctx.lineCap = 'butt';
    for (const { racer, xy } of this.paths) {
      const n = xy.length / 2;
      if (n < 1) continue;
      let last = -1;
      const trace = () => {
        ctx.beginPath();
        for (let k = 0; k < n; k += 1) {
          const x = xy[2 * k];
          const y = xy[2 * k + 1];
          if (!Number.isFinite(x) || !Number.isFinite(y) || !inside(x, y)) break;
          const px = sx.getPixelForValue(x);
          const py = sy.getPixelForValue(y);
          if (k === 0) ctx.moveTo(px, py);
          else ctx.lineTo(px, py);
          last = k;
        }
      };
      trace();
      ctx.setLineDash([]);
      ctx.strokeStyle = 'rgba(255,255,255,0.85)';
      ctx.lineWidth = 5;
      ctx.stroke();
      ctx.setLineDash(racer.dash);
      ctx.strokeStyle = racer.color;
      ctx.lineWidth = 2.5;
      ctx.stroke();
      if (last >= 0) {
        ctx.setLineDash([]);
        const px = sx.getPixelForValue(xy[2 * last]);
        const py = sy.getPixelForValue(xy[2 * last + 1]);
        markerPath(ctx, racer.marker, px, py, 7);
        ctx.fillStyle = racer.color;
        ctx.fill();
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = 1.8;
        ctx.stroke();
      }
    }
    ctx.restore();
  }

  summary() {
    let text = super.summary().slice(0, -1);
    const parts = this.paths.map(({ racer, xy }) => {
      const n = xy.length / 2;
      return n ? `${racer.label} (${racer.marker} marker) now at (${num(xy[2 * n - 2])}, ${num(xy[2 * n - 1])}) after ${n - 1} steps` : '';
    }).filter(Boolean);
    if (parts.length) text += `; paths: ${parts.join('; ')}`;
    return `${text}.`;
  }

  table() {
    const rows = [];
    for (const { racer, xy } of this.paths) {
      const n = xy.length / 2;
      if (n) rows.push([racer.label, n - 1, xy[2 * n - 2], xy[2 * n - 1]]);
    }
    return { columns: ['optimizer', 'steps', 'x', 'y'], rows };
  }
}

/** A small inline SVG sample of a racer's line and marker (for legends and table rows). */
function swatch(racer) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('width', '44');
  svg.setAttribute('height', '14');
  svg.setAttribute('viewBox', '0 0 44 14');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'or-swatch');
  const line = document.createElementNS(NS, 'line');
  for (const [k, v] of Object.entries({ x1: 1, y1: 7, x2: 30, y2: 7, stroke: racer.color, 'stroke-width': 2.5 })) {
    line.setAttribute(k, String(v));
  }
  if (racer.dash.length) line.setAttribute('stroke-dasharray', racer.dash.map((d) => d * 0.6).join(' '));
  const shape = document.createElementNS(NS, 'path');
  const d = {
    circle: 'M42 7 A4 4 0 1 1 34 7 A4 4 0 1 1 42 7 Z',
    triangle: 'M38 2 L42.5 11 L33.5 11 Z',
    square: 'M34.5 3.5 H41.5 V10.5 H34.5 Z',
    diamond: 'M38 2 L43 7 L38 12 L33 7 Z',
    cross: 'M33 5.5 H36.5 V2 H39.5 V5.5 H43 V8.5 H39.5 V12 H36.5 V8.5 H33 Z',
    star: 'M38 1.5 L39.5 5.5 L43.5 5.7 L40.3 8.2 L41.4 12.2 L38 9.9 L34.6 12.2 L35.7 8.2 L32.5 5.7 L36.5 5.5 Z',
  }[racer.marker];
  shape.setAttribute('d', d);
  shape.setAttribute('fill', racer.color);
  svg.append(line, shape);
  return svg;
}

const STATUS_TEXT = {
  off: 'off',
  running: 'running',
  converged: 'converged',
  diverged: 'diverged',
  'max-steps': 'out of steps',
  escaped: 'escaped (rolled off the saddle)',
  error: 'invalid settings',
};

// ---------------------------------------------------------------------------------------------

export class OptimRace extends GradlabWidget {
  static tag = 'gradlab-optim-race';

  static styles = `
    .or-top { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 24rem), 1fr)); }
    .or-top .gl-chart-box.gl-chart-square { max-height: 460px; }
    .or-legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; margin: .25rem 0 0; padding: 0;
      list-style: none; font-size: .92rem; }
    .or-legend li { display: flex; align-items: center; gap: .35rem; }
    .or-legend li.or-off { color: #4a5360; text-decoration: line-through; }
    .or-legend li.or-off svg { opacity: .4; }
    .or-swatch { flex: none; background: #fff; border-radius: 3px; }
    .or-racers { display: grid; gap: .6rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 17rem), 1fr)); }
    .or-racer { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .5rem .7rem;
      display: grid; gap: .4rem; min-width: 0; }
    .or-racer h4 { margin: 0; font-size: .98rem; display: flex; align-items: center; gap: .4rem; }
    .or-racer .gl-slider { flex-basis: 100%; }
    .or-buttons { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
    .or-status { margin: 0; font-weight: 600; }
    .gl-button[aria-pressed=true] { background: #1f5fbf; color: #fff; }
    .or-table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; width: 100%; background: #fff; }
    caption { text-align: left; font-weight: 600; padding: .25rem 0; }
    table { font-size: .92rem; }
    th, td { padding: .25rem .45rem; text-align: left; border-bottom: 1px solid #dde3ea; vertical-align: middle; }
    th .or-swatch { vertical-align: middle; margin-right: .25rem; }
    td { white-space: nowrap; }
    td.or-point { white-space: normal; min-width: 9rem; }
    td.or-diverged { color: #b00020; font-weight: 600; }
    td.or-converged { color: #1d6b35; font-weight: 600; }
    .or-note { margin: 0; font-size: .92rem; color: #2b323b; }
    .or-note:empty { display: none; }
  `;

  setup(gl) {
    this._rowsKey = null; // the table and legend below are new (setup runs again after a reconnect)
    this._legendKey = null;
    this._lossDrawn = null; // the histories last put into the loss chart (see draw())
    this.race = this.own(new Race(gl));
    this.state = { announced: false };

    this.landscapeSelect = this.select({
      label: 'Landscape',
      options: [
        { value: 'bowl', label: 'Stretched bowl (condition κ)' },
        { value: 'rosenbrock', label: 'Rosenbrock’s curved valley' },
        { value: 'saddle', label: 'Saddle x² − y²' },
      ],
      value: this.attrs.landscape,
      onChange: (v) => this.setLandscape(v),
    });
    this.conditionSlider = this.slider({ label: 'Condition number κ of the bowl', min: 1, max: 100, step: 1,
      value: this.attrs.condition, onInput: () => this._rebuildLandscape({ keepSettings: true }) });
    this.angleSlider = this.slider({ label: 'Angle of the bowl’s long axis (degrees)', min: -90, max: 90, step: 1,
      value: this.attrs.angle, onInput: () => this._rebuildLandscape({ keepSettings: true }) });
    this.thresholdSelect = this.select({
      label: 'Target loss (results table)',
      options: ['0.01', '0.0001', '0.000001', '1e-8', '1e-10'].map((v) => ({ value: v, label: `below ${fmt(Number(v))}` })),
      value: this._thresholdOption(this.attrs.threshold),
      onChange: (v) => { this.state.threshold = Number(v); this.requestDraw(); },
    });
    this.state.threshold = this.attrs.threshold;

    this.racerCards = this.race.racers.map((r) => this._racerCard(r));
    this.runButton = this.button({ label: 'Run', kind: 'primary', onClick: () => (this.looping ? this.pause() : this.run()) });
    this.statusLine = h('p', { class: 'or-status', role: 'status' });
    this.note = h('p', { class: 'or-note' });
    this.legend = h('ul', { class: 'or-legend', 'aria-label': 'Key to the paths and loss curves' });
    this.mapHost = h('div', {});
    this.lossHost = h('div', {});
    this.tableBody = h('tbody', {});
    this.tableCaption = h('caption', {});
    this.startReadout = this.readout({ label: 'Start point (x, y)' });

    this.body.append(
      this.title('Optimizer race'),
      this.row(this.landscapeSelect.element, this.conditionSlider.element, this.angleSlider.element),
      h('div', { class: 'or-top' },
        h('div', {}, h('h4', { class: 'gl-label' }, 'Paths on the landscape — click or drag to move the start'),
          this.mapHost),
        h('div', {}, h('h4', { class: 'gl-label' }, 'Loss after each step'), this.lossHost)),
      this.legend,
      h('div', { class: 'or-buttons' },
        this.button({ label: 'Step', onClick: () => this.stepOnce() }),
        this.runButton,
        this.button({ label: 'Reset', onClick: () => this.reset() }),
        this.button({ label: 'Suggested settings', onClick: () => this.suggest(),
          title: 'Learning rates and other settings that work on this landscape' }),
        this.startReadout.element),
      this.statusLine,
      this.note,
      h('div', { class: 'or-table-wrap' }, h('table', {}, this.tableCaption,
        h('thead', {}, h('tr', {}, ...['Optimizer', 'Status', 'Steps', 'Loss', 'Point (x, y)', 'Steps to target']
          .map((t) => h('th', { scope: 'col' }, t)))),
        this.tableBody)),
      this.row(this.thresholdSelect.element),
      h('h4', { class: 'gl-label' }, 'Racers and their settings'),
      h('div', { class: 'or-racers' }, ...this.racerCards.map((c) => c.element)),
    );
    this.lossChart = this.own(new LineChart(this.lossHost, {
      label: 'Loss after each step, one line per optimizer', xLabel: 'step', yLabel: 'loss', log: true,
      series: RACERS.map((r) => ({ label: r.label, color: r.color })),
    }));
    this.lossChart.chart.data.datasets.forEach((d, i) => { d.borderDash = RACERS[i].dash; d.borderWidth = 2.25; });
    this.lossChart.chart.options.plugins.legend.display = false; // the HTML key below serves both charts
    // Chart.js sizes the axis from a sample of labels; leave room for the widest (10⁻¹²).
    this.lossChart.chart.options.scales.y.afterFit = (scale) => { scale.width = Math.max(scale.width, 64); };
    this.reset();
  }

  _thresholdOption(v) {
    const options = [0.01, 1e-4, 1e-6, 1e-8, 1e-10];
    const best = options.reduce((a, b) => (Math.abs(Math.log10(b / v)) < Math.abs(Math.log10(a / v)) ? b : a));
    return ['0.01', '0.0001', '0.000001', '1e-8', '1e-10'][options.indexOf(best)];
  }

  _racerCard(r) {
    const toggle = this.checkbox({ label: `Race ${r.label}`, checked: false,
      onChange: (on) => { r.enabled = on; this.restart(); } });
    const sliders = {};
    sliders.lr = this.slider({ label: `${r.label}: learning rate η`, min: 0.0001, max: 2, scale: 'log', value: 0.01,
      onInput: (v) => { r.settings.lr = v; this.restart(); } });
    for (const e of EXTRA[r.id] ?? []) {
      sliders[e.key] = this.slider({ label: `${r.label}: ${e.label}`, min: e.min, max: e.max, step: e.step, value: e.min,
        onInput: (v) => { r.settings[e.key] = v; this.restart(); } });
    }
    const element = h('div', { class: 'or-racer', role: 'group', 'aria-label': `${r.label} settings` },
      h('h4', {}, swatch(r), r.label), toggle.element, ...Object.values(sliders).map((s) => s.element));
    return { element, toggle, sliders, racer: r };
  }

  // --- state changes ------------------------------------------------------------------------

  _landscapeParams() {
    if (this.state.landscape !== 'bowl') return {};
    return { condition: this.conditionSlider.value, angle: (this.angleSlider.value * Math.PI) / 180 };
  }

  /**
   * Rebuild the engine models for the current landscape; optionally re-suggest settings. While a
   * slider moves (the condition or angle slider drags through landscapes) the racers' models wait
   * until the hand rests or the race steps (Race.restart's `defer`).
   */
  _rebuildLandscape({ keepSettings = false, keepStart = true } = {}) {
    this.pause();
    const bowl = this.state.landscape === 'bowl';
    this.conditionSlider.disabled = !bowl;
    this.angleSlider.disabled = !bowl;
    this.race.setLandscape(this.state.landscape, this._landscapeParams());
    const info = this.race.info;
    this.view = { ...info.view };
    if (!keepStart || !this.state.start) this.state.start = Array.from(info.start);
    if (!keepSettings) this._applySettings(suggestedSettings(this.state.landscape, this.conditionSlider.value));
    this._buildMap();
    this.lossChart.setLogScale(this.state.landscape !== 'saddle');
    this.lossChart.chart.options.scales.y.title.text = 'loss';
    this.restart({ defer: this.moving });
  }

  /** The map for the current landscape: one chart, re-pointed (a slider move must not rebuild it). */
  _buildMap() {
    const v = this.view;
    const label = `Optimizer paths on the ${this.state.landscape} landscape`;
    const colorScale = this.state.landscape === 'saddle' ? 'linear' : 'log';
    if (!this.map?.chart) { // none yet, or destroyed when the widget was disconnected
      this.map = this.own(new RaceMap(this.mapHost, {
        label, xLabel: 'x', yLabel: 'y', valueLabel: 'loss', ...v, contours: 12, colorScale,
        onPick: (x, y) => this.moveStart([Number(x.toFixed(2)), Number(y.toFixed(2))]),
      }));
    } else {
      this.map.setLabels({ label });
      this.map.setColorScale(colorScale);
      this.map.setExtent(v);
    }
    const n = this.gridSize(GRID); // coarser while the condition or angle slider moves
    this.map.setGrid(this.race.landscapeGrid(v, n), n, n);
  }

  /**
   * A slider has come to rest: the racers a drag left waiting are built (a racer that cannot be
   * built says so now), and the map drawn at full resolution if the drag drew it coarse.
   */
  settled() {
    if (this.race.starter) {
      this.race.build();
      this.requestDraw();
    }
    if (!this.map?.chart || this.map.grid?.nx === GRID) return;
    this._buildMap();
    this.requestDraw();
  }

  _applySettings(all) {
    for (const card of this.racerCards) {
      const s = all[card.racer.id];
      card.racer.settings = { ...s };
      for (const [key, slider] of Object.entries(card.sliders)) slider.set(s[key]);
    }
  }

  /** Back to step 0 for every racer (settings, start and landscape kept; `defer`: see Race). */
  restart({ defer = false } = {}) {
    this.pause();
    this.race.maxSteps = this.attrs['max-steps'];
    this.race.start = [...this.state.start];
    this.race.restart({ defer });
    this.state.announced = false;
    this._changed();
  }

  setLandscape(name) {
    this.state.landscape = name;
    this.landscapeSelect.value = name;
    this.state.start = null;
    this._rebuildLandscape({ keepSettings: false, keepStart: false });
  }

  moveStart(point) {
    if (!point.every(Number.isFinite)) return;
    this.state.start = point;
    this.restart();
  }

  suggest() {
    this._applySettings(suggestedSettings(this.state.landscape, this.conditionSlider.value));
    this.restart();
  }

  stepOnce() {
    this.pause();
    this.race.advance(1);
    this._changed();
  }

  run() {
    if (this.race.finished) return;
    setText(this.runButton, 'Pause');
    setAttr(this.runButton, 'aria-pressed', 'true');
    this.startLoop(() => {
      if (this.reducedMotion) this.race.advance(this.race.maxSteps);
      else this.race.advance(Math.min(150, 1 + Math.floor(this.race.step / 12)));
      this._changed();
      if (this.race.finished) {
        this._stopped();
        return false;
      }
      return true;
    });
  }

  pause() {
    if (this.looping) this.stopLoop();
    this._stopped();
  }

  _stopped() {
    if (!this.runButton) return;
    setText(this.runButton, 'Run');
    setAttr(this.runButton, 'aria-pressed', 'false');
    this.requestDraw();
  }

  /** Everything back to the attributes. */
  reset() {
    this.pause();
    const a = this.attrs;
    this.state.landscape = a.landscape;
    this.landscapeSelect.value = a.landscape;
    this.conditionSlider.set(a.condition);
    this.angleSlider.set(a.angle);
    this.state.threshold = a.threshold;
    this.thresholdSelect.value = this._thresholdOption(a.threshold);
    const on = new Set(a.optimizers.split(',').map((s) => s.trim()));
    for (const card of this.racerCards) {
      card.racer.enabled = on.has(card.racer.id);
      card.toggle.checked = card.racer.enabled;
    }
    this.state.start = a.start.length === 2 ? [...a.start] : null;
    this._rebuildLandscape({ keepSettings: false, keepStart: true });
  }

  attributeChanged() {
    this.reset();
  }

  _changed() {
    this.requestDraw();
    const detail = this._detail();
    this.emit('gradlab-change', detail);
    if (this.race.finished && !this.state.announced && this.race.racers.some((r) => this.race.has(r))) {
      this.state.announced = true;
      this.emit('gradlab-finish', detail);
    }
  }

  _detail() {
    return {
      landscape: this.state.landscape, step: this.race.step,
      racers: this.race.racers.map((r) => {
        const s = this.race.snapshot(r, this.state.threshold);
        return { id: s.id, enabled: s.enabled, status: s.status, steps: s.steps, loss: s.loss, point: s.point,
          reachedAt: s.reachedAt };
      }),
    };
  }

  // --- drawing ------------------------------------------------------------------------------

  draw() {
    const race = this.race;
    const snaps = race.racers.map((r) => race.snapshot(r, this.state.threshold));
    const on = race.racers.filter((r) => race.has(r));

    // A chart is redrawn only when what it shows changed. Moving a racer's setting restarts the
    // race: at step 0 every path is the start point and every loss curve its first value, the
    // same pictures as before the move, so such a move redraws neither chart.
    const paths = on.map((r) => ({ racer: r, xy: race.trajectory(r) }));
    const [x0, y0] = this.state.start;
    this.map.setPoint(x0, y0);
    this.map.setPaths(paths);
    this.map.updateIf([this.map.version, x0, y0, ...paths.flatMap((p) => [p.racer.id, p.xy])]);

    const histories = race.racers.map((r) => (race.has(r) ? race.history(r) : null));
    const drawn = histories.map((hs) => hs ?? 'off');
    if (!sameParts(drawn, this._lossDrawn)) {
      this._lossDrawn = drawn;
      histories.forEach((hist, i) => {
        const dataset = this.lossChart.chart.data.datasets[i];
        dataset.hidden = !hist;
        if (!hist) {
          dataset.data = [];
          return;
        }
        // At most ~500 points per line (a long run has thousands; the shape is the same).
        const stride = Math.max(1, Math.ceil(hist.length / 500));
        if (stride === 1) {
          this.lossChart.setSeries(i, hist);
          return;
        }
        const xs = [];
        const ys = [];
        for (let k = 0; k < hist.length; k += stride) { xs.push(k); ys.push(hist[k]); }
        if (xs[xs.length - 1] !== hist.length - 1) { xs.push(hist.length - 1); ys.push(hist[hist.length - 1]); }
        this.lossChart.setSeries(i, ys, { xs });
      });
    }
    // (The log or linear axis is part of the layout, and updateIf() looks at that itself.)
    this.lossChart.updateIf(this._lossDrawn);

    this.startReadout.text(`(${num(this.state.start[0])}, ${num(this.state.start[1])})`);
    const legendKey = snaps.map((x) => `${x.enabled}:${x.status}`).join();
    if (legendKey !== this._legendKey) {
      this._legendKey = legendKey;
      this.legend.replaceChildren(...race.racers.map((r, i) => h('li', { class: r.enabled ? '' : 'or-off' },
        swatch(r), `${r.label}${r.enabled ? '' : ' (off)'}`, h('span', { class: 'gl-visually-hidden' },
          `: ${r.marker} marker, ${r.dash.length ? 'dashed' : 'solid'} line, ${STATUS_TEXT[snaps[i].status]}`))));
    }

    const saddle = this.state.landscape === 'saddle';
    setText(this.tableCaption, saddle
      ? 'Results — “steps to target” counts the steps until the loss fell below −1 (off the saddle)'
      : `Results — “steps to target” counts the steps until the loss fell below ${fmt(this.state.threshold)}`);
    // The rows are rebuilt when a racer is switched or changes status; otherwise only the
    // numbers in them are rewritten.
    const shown = snaps.filter((s) => s.enabled);
    const cells = (s) => [String(s.steps), s.status === 'error' ? '—' : num(s.loss),
      s.point.length ? `(${s.point.map(num).join(', ')})` : '—', s.reachedAt === null ? 'not yet' : String(s.reachedAt)];
    const rowsKey = shown.map((s) => `${s.id}:${s.status}`).join();
    if (rowsKey !== this._rowsKey) {
      this._rowsKey = rowsKey;
      this.tableBody.replaceChildren(...shown.map((s) => {
        const r = race.racers.find((x) => x.id === s.id);
        const [steps, loss, point, reached] = cells(s);
        return h('tr', { 'data-racer': s.id },
          h('th', { scope: 'row' }, swatch(r), s.label),
          h('td', { class: `or-${s.status}` }, STATUS_TEXT[s.status]),
          h('td', {}, steps),
          h('td', {}, loss),
          h('td', { class: 'or-point' }, point),
          h('td', {}, reached));
      }));
    } else {
      shown.forEach((s, i) => cells(s).forEach((text, k) => setText(this.tableBody.rows[i].cells[k + 2], text)));
    }

    const errors = race.racers.filter((r) => r.enabled && r.error);
    let note = errors.map((r) => `${r.label}: ${r.error}.`).join(' ');
    if (this.state.landscape === 'bowl') {
      const k = this.conditionSlider.value;
      note += `${note ? ' ' : ''}On this bowl plain gradient descent (SGD) is stable only for η < 2/κ = ${num(2 / k)}.`;
    }
    setText(this.note, note);

    const running = on.filter((r) => race.active(r)).length;
    const done = snaps.filter((s) => s.enabled && s.reachedAt !== null)
      .sort((a, b) => a.reachedAt - b.reachedAt);
    let text;
    if (!on.length) text = 'No racer is on: tick at least one “Race …” box below.';
    else if (race.step === 0) text = `Ready: ${on.length} racers at the start. Press Step or Run.`;
    else if (running && this.looping) text = `Running… step ${race.step}.`;
    else if (running) text = `Paused at step ${race.step}.`;
    else text = `Finished after ${race.step} steps.`;
    if (done.length && race.step > 0) {
      text += ` First to the target: ${done[0].label} (${done[0].reachedAt} steps).`;
    }
    setText(this.statusLine, text);
  }

  // --- public properties --------------------------------------------------------------------
  get racers() {
    return this.race ? this.race.racers.map((r) => this.race.snapshot(r, this.state.threshold)) : [];
  }
  get landscape() { return this.state.landscape; }
  get start() { return this.state.start ? [...this.state.start] : []; }
  get threshold() { return this.state.threshold; }
  get running() { return this.looping; }
  get step() { return this.race?.step ?? 0; }
}

OptimRace.define();
