// <gradlab-linreg-code>: linear regression by gradient descent, the run behind the lesson's code.
//
// Data: the engine's 'seed002' set, X = [[1,1],[1,2],[2,2],[2,3]], y = [1,2,2,3]. Model: the
// engine's linear model with two inputs and no bias, ŷ = w₁x₁ + w₂x₂, mean squared error. Run
// trains it with the engine's Trainer (plain gradient descent, full batch) for the chosen number
// of iterations from w = (0, 0) or from a seeded random start, drawing the loss after every step
// (log scale) and the path of (w₁, w₂) on a heat map of the loss. From (0, 0) with learning rate
// 0.01, 1000 iterations end at w ≈ (0.0650, 0.9520) with loss ≈ 0.000651.
//
// The check: the exact least-squares answer w* solves the normal equations XᵀX w = Xᵀy; the
// widget builds the 2 × 2 system from the data and solves it (here w* = (0, 1)), then shows the
// distance |w − w*| of the trained weights.
//
// Attributes (see schema.js):
//   learning-rate  number, default 0.01, 0.0001 … 0.2   step size (above about 0.145 it diverges)
//   iterations     number, default 1000, 1 … 20000 (whole)   steps taken by Run
//   start          "zeros" | "random", default "zeros"  where the weights begin
//   seed           number, default 1, 0 … 2147483647 (whole)   seed of the random start
//
// Controls: learning-rate slider (log scale), iterations slider (log scale), start select,
// "New random start" (next seed), Run / Pause, "Step once", Reset (back to the attributes).
//
// Events:
//   gradlab-change  detail {weights: [w₁, w₂], loss, step, status, distance} after every step
//                   batch, start change and reset
//   gradlab-ready   (from the base class)
//
// Properties (read-only): weights (array of 2), loss, steps, status ('ready' | 'running' |
// 'finished' | 'converged' | 'diverged'), exact (w*, array of 2), distance (|w − w*|),
// normalEquations ({xtx: [[a, b], [b, c]], xty: [d, e], det}), history (losses, [0] = start),
// startWeights (array of 2), learningRate, iterations.

import { GradlabWidget, h, setText } from './base.js';
import { HeatmapChart, LineChart, sampleIndices } from '../charts/index.js';
import { fmt } from './exam-math.js';
import { formatShort } from './format.js';
import { clampToAttribute, stateNumber } from './share.js';

const num = (v) => fmt(v, 4);
const VIEW = { xMin: -1.5, xMax: 1.5, yMin: -0.5, yMax: 2.5 };
const GRID = 90;
const MAX_PATH_POINTS = 600;
const FRAMES_PER_RUN = 90;

/** A small seeded generator (mulberry32): the same seed gives the same start. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Normal equations XᵀX w = Xᵀy for two inputs, solved by Cramer's rule. */
export function solveNormalEquations(x, y, rows) {
  let a = 0, b = 0, c = 0, d = 0, e = 0;
  for (let i = 0; i < rows; i += 1) {
    const x1 = x[2 * i];
    const x2 = x[2 * i + 1];
    a += x1 * x1;
    b += x1 * x2;
    c += x2 * x2;
    d += x1 * y[i];
    e += x2 * y[i];
  }
  const det = a * c - b * b;
  const w = det !== 0 ? [(d * c - b * e) / det, (a * e - b * d) / det] : [NaN, NaN];
  return { xtx: [[a, b], [b, c]], xty: [d, e], det, w };
}

/** HeatmapChart plus the exact answer (w*) as a cross. */
class PathMap extends HeatmapChart {
  constructor(host, options) {
    super(host, options);
    this.chart.data.datasets[2].pointRadius = 5.5;
    this.chart.data.datasets.push({ label: 'exact answer', data: [], backgroundColor: '#ffffff',
      borderColor: '#ffffff', borderWidth: 3, pointRadius: 11, pointStyle: 'crossRot', order: 0 });
  }

  setExact(w) {
    this.exact = w;
    this.chart.data.datasets[3].data = w.every(Number.isFinite) ? [{ x: w[0], y: w[1] }] : [];
  }

  summary() {
    let text = super.summary().slice(0, -1);
    if (this.exact) text += `; the exact answer (a cross) at w₁ = ${num(this.exact[0])}, w₂ = ${num(this.exact[1])}`;
    return `${text}.`;
  }
}

export class LinregCode extends GradlabWidget {
  static tag = 'gradlab-linreg-code';

  static styles = `
    .lr-buttons { display: flex; flex-wrap: wrap; gap: .5rem .75rem; align-items: end; }
    .lr-panel { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .6rem .8rem; min-width: 0;
      display: grid; gap: .4rem; }
    .lr-panel h4 { margin: 0; font-size: .98rem; }
    .lr-panel p { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .lr-status { margin: 0; font-weight: 600; }
    .lr-diverged { margin: 0; padding: .6rem .8rem; border-radius: 6px; border-left: 4px solid #b00020;
      background: #fdecee; color: #5c0010; font-weight: 600; }
    .lr-diverged:empty { display: none; }
    .lr-code { margin: 0; font: .9rem/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      background: #f3f5f8; border-radius: 6px; padding: .5rem .7rem; white-space: pre-wrap; overflow-wrap: anywhere; }
  `;

  setup(gl) {
    const a = this.attrs;
    this.data = gl.dataset('seed002');
    this.model = this.own(gl.model({ type: 'linear', inputs: 2, bias: false, loss: 'mse' }));
    this.model.setData(this.data);
    this.normal = solveNormalEquations(this.data.x, this.data.y, this.data.rows);
    this.exactLoss = this.model.evaluate(this.normal.w).loss;
    this.state = { lr: a['learning-rate'], iterations: a.iterations, start: a.start, seed: a.seed };
    this.model.setParameters(this._startWeights());
    this.trainer = this.own(gl.trainer(this.model, { type: 'sgd', lr: this.state.lr }, { batchSize: 0 }));

    this.lrSlider = this.slider({ label: 'Learning rate (log scale)', min: 0.0001, max: 0.2, scale: 'log',
      value: this.state.lr, onInput: (v) => this._setLearningRate(v) });
    this.itSlider = this.slider({ label: 'Iterations (log scale)', min: 1, max: 20000, scale: 'log',
      value: this.state.iterations, onInput: (v) => this._setIterations(v) });
    this.startSelect = this.select({ label: 'Start', value: this.state.start,
      options: [{ value: 'zeros', label: 'w = (0, 0)' }, { value: 'random', label: 'Random (seeded)' }],
      onChange: (v) => { this.state.start = v; this._restart(); } });
    this.runButton = this.button({ label: 'Run', kind: 'primary', onClick: () => (this.looping ? this.pause() : this.run()) });
    this.out = {
      step: this.readout({ label: 'Iterations done', format: (v) => String(v) }),
      w1: this.readout({ label: 'w₁', format: num }),
      w2: this.readout({ label: 'w₂', format: num }),
      loss: this.readout({ label: 'Loss (MSE, engine)', format: (v) => fmt(v, 3), nonFinite: 'diverged' }),
      dist: this.readout({ label: 'Distance |w − w*|', format: num, nonFinite: 'diverged' }),
    };
    this.statusLine = h('p', { class: 'lr-status', role: 'status' });
    this.diverged = h('p', { class: 'lr-diverged', role: 'alert' });
    this.normalText = [h('p', {}), h('p', {}), h('p', {})];
    this.code = h('pre', { class: 'lr-code' });
    const mapHost = h('div', {});
    const lossHost = h('div', {});
    this.body.append(
      this.title('Gradient descent on four examples, and the exact answer'),
      this.diverged,
      h('div', { class: 'gl-grid-2' },
        h('div', {}, h('h4', { class: 'gl-label' }, 'Loss after each iteration (log scale)'), lossHost),
        h('div', {}, h('h4', { class: 'gl-label' }, 'Path of (w₁, w₂) on the loss — darker is lower'), mapHost)),
      h('div', { class: 'gl-readouts' }, ...Object.values(this.out).map((r) => r.element)),
      this.statusLine,
      this.row(this.lrSlider.element, this.itSlider.element),
      h('div', { class: 'lr-buttons' },
        this.startSelect.element,
        this.button({ label: 'New random start', onClick: () => this.newRandomStart() }),
        this.runButton,
        this.button({ label: 'Step once', onClick: () => this.stepOnce() }),
        this.button({ label: 'Reset', onClick: () => this.reset() })),
      h('div', { class: 'gl-grid-2' },
        h('section', { class: 'lr-panel', 'aria-label': 'Exact answer' },
          h('h4', {}, 'The check: solving the normal equations XᵀX w = Xᵀy'), ...this.normalText),
        h('section', { class: 'lr-panel', 'aria-label': 'The settings as code' },
          h('h4', {}, 'This run, as settings of the code'), this.code)),
    );
    this.lossChart = this.own(new LineChart(lossHost, { label: 'Loss over gradient-descent iterations',
      xLabel: 'iteration', yLabel: 'loss', log: true }));
    // Label powers of ten only, in short form (1e-3 rather than 0.0010).
    this.lossChart.chart.options.scales.y.ticks.callback = (v) => {
      const e = Math.log10(v);
      return Math.abs(e - Math.round(e)) < 1e-9 ? formatShort(v) : '';
    };
    this.map = this.own(new PathMap(mapHost, { label: 'Loss over the two weights', xLabel: 'w₁', yLabel: 'w₂',
      valueLabel: 'loss', ...VIEW, contours: 12, colorScale: 'log' }));
    this.map.setGrid(this.model.landscape({ i: 0, j: 1, iMin: VIEW.xMin, iMax: VIEW.xMax, jMin: VIEW.yMin,
      jMax: VIEW.yMax, nx: GRID, ny: GRID }), GRID, GRID);
    this.map.setExact(this.normal.w);
    this._restart();
  }

  _startWeights() {
    if (this.state.start !== 'random') return [0, 0];
    const rand = seeded(this.state.seed);
    return [Number((rand() * 2 - 1).toFixed(3)), Number((rand() * 2 - 1).toFixed(3))];
  }

  /** Back to iteration 0 at the start weights (nothing is run). */
  _restart() {
    this.pause();
    this.state.startWeights = this._startWeights();
    this.trainer.setLearningRate(this.state.lr);
    this.trainer.reset(this.state.startWeights);
    this.state.finished = false;
    this._changed();
  }

  _setLearningRate(lr) {
    if (!(lr > 0)) return;
    this.state.lr = lr;
    this._restart();
  }

  // --- shareable state (web/widgets/share.js): settings + iterations done (replayed exactly:
  // full-batch gradient descent from a seeded start is deterministic).
  getState() {
    const s = this.state;
    return { lr: s.lr, iterations: s.iterations, start: s.start, seed: s.seed, steps: this.trainer.steps };
  }

  setState(state) {
    if (!state || typeof state !== 'object') throw new Error('the state must be an object');
    if (!['zeros', 'random'].includes(state.start)) throw new RangeError('start must be "zeros" or "random"');
    this.state.lr = clampToAttribute(this, 'learning-rate', stateNumber(state.lr, 'the learning rate'));
    this.state.iterations = clampToAttribute(this, 'iterations', stateNumber(state.iterations, 'iterations'));
    this.state.seed = clampToAttribute(this, 'seed', stateNumber(state.seed, 'the seed'));
    this.state.start = state.start;
    const steps = Math.round(Math.min(this.state.iterations, Math.max(0, stateNumber(state.steps, 'steps'))));
    this.lrSlider.set(this.state.lr);
    this.itSlider.set(this.state.iterations);
    this.startSelect.value = this.state.start;
    this._restart();
    if (steps > 0) this.trainer.run(steps);
    this.state.finished = this.trainer.steps >= this.state.iterations || this.trainer.status !== 'running';
    this._changed();
  }

  _setIterations(n) {
    const k = Math.max(1, Math.min(20000, Math.round(n)));
    this.state.iterations = k;
    this.pause();
    this.requestDraw();
  }

  newRandomStart() {
    this.state.seed = (this.state.seed + 1) % 2147483647;
    this.state.start = 'random';
    this.startSelect.value = 'random';
    this._restart();
  }

  /** Train from the start for `iterations` steps (animated unless reduced motion is asked for). */
  run() {
    const t = this.trainer;
    if (t.steps >= this.state.iterations || t.status !== 'running') this._restart();
    const total = this.state.iterations;
    const chunk = this.reducedMotion ? total : Math.max(1, Math.ceil(total / FRAMES_PER_RUN));
    setText(this.runButton, 'Pause');
    this.startLoop(() => {
      const left = total - this.trainer.steps;
      if (left > 0 && this.trainer.status === 'running') this.trainer.run(Math.min(chunk, left));
      const done = this.trainer.steps >= total || this.trainer.status !== 'running';
      if (done) {
        this.state.finished = true;
        setText(this.runButton, 'Run');
      }
      this._changed();
      return !done;
    });
    this._changed();
  }

  pause() {
    if (this.looping) this.stopLoop();
    if (this.runButton) setText(this.runButton, 'Run');
    this.requestDraw();
  }

  stepOnce() {
    this.pause();
    if (this.trainer.status !== 'running') return;
    this.trainer.step();
    this.state.finished = this.trainer.steps >= this.state.iterations;
    this._changed();
  }

  reset() {
    const a = this.attrs;
    Object.assign(this.state, { lr: a['learning-rate'], iterations: a.iterations, start: a.start, seed: a.seed });
    this.lrSlider.set(this.state.lr);
    this.itSlider.set(this.state.iterations);
    this.startSelect.value = this.state.start;
    this._restart();
  }

  attributeChanged() {
    this.reset();
  }

  get status() {
    const t = this.trainer;
    if (!t) return 'ready';
    if (t.status === 'diverged') return 'diverged';
    if (t.status === 'converged') return 'converged';
    if (this.looping) return 'running';
    if (t.steps === 0) return 'ready';
    return t.steps >= this.state.iterations ? 'finished' : 'paused';
  }

  _snapshot() {
    const t = this.trainer;
    const w = Array.from(t.parameters());
    const ws = this.normal.w;
    return { w, loss: t.loss, step: t.steps, distance: Math.hypot(w[0] - ws[0], w[1] - ws[1]) };
  }

  _changed() {
    const s = this._snapshot();
    this.requestDraw();
    this.emit('gradlab-change', { weights: s.w, loss: s.loss, step: s.step, status: this.status, distance: s.distance });
  }

  draw() {
    const s = this._snapshot();
    const st = this.state;
    this.out.step.set(s.step);
    this.out.w1.set(s.w[0]);
    this.out.w2.set(s.w[1]);
    this.out.loss.set(s.loss);
    this.out.dist.set(s.distance);
    this.itSlider.set(st.iterations);

    const history = this.trainer.history();
    this.lossChart.setSeries(0, history);
    this.lossChart.update();
    const flat = this.trainer.trajectory();
    // A diverging path leaves the view within a few steps: draw it up to the first point outside
    // (overlapping lines out to 10⁵ would paint a solid band across the map).
    let n = flat.length / 2;
    const inView = (k) => flat[2 * k] >= VIEW.xMin && flat[2 * k] <= VIEW.xMax && flat[2 * k + 1] >= VIEW.yMin &&
      flat[2 * k + 1] <= VIEW.yMax;
    for (let k = 0; k < n; k += 1) {
      if (!inView(k)) {
        n = Math.abs(flat[2 * k]) < 100 && Math.abs(flat[2 * k + 1]) < 100 ? k + 1 : k;
        break;
      }
    }
    const idx = sampleIndices(n, MAX_PATH_POINTS);
    this.map.setPath(idx.map((k) => flat[2 * k]), idx.map((k) => flat[2 * k + 1]));
    this.map.setPoint(s.w[0], s.w[1]);
    this.map.update();

    const status = this.status;
    setText(this.diverged, status === 'diverged'
      ? `Diverged after ${s.step} iterations: with learning rate ${num(st.lr)} each step overshoots the ` +
        'steep direction of the valley by more than the last, and the engine stopped the run. Try a rate below about 0.145.'
      : '');
    const where = `w = (${num(s.w[0])}, ${num(s.w[1])})`;
    const statusText = {
      ready: `Ready at ${where}: press Run for ${st.iterations} iterations.`,
      running: `Running… ${s.step} of ${st.iterations} iterations.`,
      paused: `Paused after ${s.step} of ${st.iterations} iterations at ${where}.`,
      finished: `Done: ${s.step} iterations ended at ${where}, loss ${fmt(s.loss, 3)}, ` +
        `${num(s.distance)} away from the exact answer.`,
      converged: `Converged after ${s.step} iterations at ${where}: the slope is flat, so the steps stopped.`,
      diverged: `Stopped: diverged after ${s.step} iterations.`,
    }[status];
    setText(this.statusLine, statusText);

    const ne = this.normal;
    const [[a, b], [, c]] = ne.xtx;
    setText(this.normalText[0], `From the data: XᵀX = [[${num(a)}, ${num(b)}], [${num(b)}, ${num(c)}]], ` +
      `Xᵀy = (${num(ne.xty[0])}, ${num(ne.xty[1])}).`);
    setText(this.normalText[1], `Determinant ${num(a)}·${num(c)} − ${num(b)}² = ${num(ne.det)}, so ` +
      `w* = (${num(ne.w[0])}, ${num(ne.w[1])}) exactly, with loss ${fmt(this.exactLoss, 3)}.`);
    setText(this.normalText[2], s.step === 0
      ? `Gradient descent starts ${num(s.distance)} away from w*.`
      : `After ${s.step} iterations gradient descent is ${num(s.distance)} away from w*.`);

    const start = st.startWeights.map((v) => (Number.isInteger(v) ? `${v}.0` : String(v)));
    const printed = `w = [${s.w.map((v) => (Number.isFinite(v) ? v.toFixed(4) : 'overflow')).join(', ')}]` +
      `  loss = ${Number.isFinite(s.loss) ? s.loss.toFixed(6) : 'overflow'}`;
    const done = s.step >= st.iterations || status === 'converged' || status === 'diverged';
    setText(this.code, `w = [${start.join(', ')}]   # ${st.start === 'random' ? `random start, seed ${st.seed}` : 'fixed start'}\n` +
      `lr = ${st.lr}\nsteps = ${st.iterations}\n# ...the loop above...\n` +
      (done ? `# prints: ${printed}` : `# after ${s.step} of ${st.iterations} steps:\n# ${printed}`));
  }

  // --- public properties --------------------------------------------------------------------
  get weights() { return this.trainer ? Array.from(this.trainer.parameters()) : []; }
  get loss() { return this.trainer?.loss; }
  get steps() { return this.trainer?.steps ?? 0; }
  get exact() { return this.normal ? [...this.normal.w] : []; }
  get distance() { return this.trainer ? this._snapshot().distance : NaN; }
  get normalEquations() {
    const ne = this.normal;
    return ne && { xtx: ne.xtx.map((r) => [...r]), xty: [...ne.xty], det: ne.det };
  }
  get history() { return this.trainer ? Array.from(this.trainer.history()) : []; }
  get startWeights() { return [...(this.state.startWeights ?? [])]; }
  get learningRate() { return this.state.lr; }
  get iterations() { return this.state.iterations; }
}

LinregCode.define();
