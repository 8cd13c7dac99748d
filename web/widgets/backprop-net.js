// <gradlab-backprop-net>: a small neural network (the engine's MLP) learning to separate two
// classes of points in the plane, with backpropagation made visible.
//
// The network: 2 inputs → `depth` hidden layers of `width` neurons (activation sigmoid, tanh or
// relu) → 1 output neuron whose sigmoid is the probability of class 1; loss = binary
// cross-entropy, averaged over the examples. Weights start from the engine's seeded Xavier
// initialisation (He for relu). The engine's Trainer runs plain gradient descent ("sgd") or
// Adam on the whole data set; a few steps per animation frame while Run is on, paused when the
// widget is off-screen, stopped when the loss diverges or the step budget is used up.
//
// What it shows (every number from the engine unless said otherwise):
//   - the decision boundary: the probability of class 1 over a 60 × 60 grid of the plane (one
//     predict() call per frame, together with the data points), the data on top;
//   - the loss after each step (log scale), accuracy, steps, trainer status;
//   - the size of the gradient of each layer's weight matrix, ‖∂L/∂W_l‖ (bars, log scale, and
//     as numbers): with sigmoid and several layers the first layers get far smaller gradients
//     than the last ("vanishing gradients");
//   - "the chain for one weight": the learner picks a first-layer weight (input x_k → neuron j)
//     and one training example; the widget writes the backward pass for that example out with
//     numbers (computed here, in plain JavaScript, from the engine's parameters), and puts the
//     result next to the engine's own gradient for that example and a central difference
//     (L(w + h) − L(w − h)) / 2h from two engine evaluations.
//
// Attributes (see schema.js):
//   dataset          "xor" | "circle" | "spirals", default "circle"   the engine's 2-D data set
//   activation       "sigmoid" | "tanh" | "relu", default "tanh"     hidden-layer activation
//   depth            1 … 4, default 2                                 hidden layers
//   width            2 … 16, default 6                                neurons per hidden layer
//   learning-rate    0.0005 … 1, default 0.03                         step size
//   optimizer        "sgd" | "adam", default "adam"
//   points           50 … 400, default 200                            examples generated
//   noise            0 … 1, default 0.2                               jitter of the data
//   seed             0 … 1000000, default 1                           data and initial weights
//   max-steps        100 … 20000, default 3000                        Run stops here
//   steps-per-frame  1 … 50, default 5                                training speed while running
//
// Events:
//   gradlab-change  detail {steps, loss, accuracy, status, layerNorms: number[]} after every
//                   step, frame of Run, new setting and reset
//   gradlab-ready, gradlab-loop (from the base class)
//
// Properties: parameters (get: Float64Array copy; set: start a fresh run from these values),
//   layout (the engine's blocks), loss, accuracy, steps, status, history (array of losses),
//   layerNorms (array, ‖∂L/∂W_l‖ for l = 1 … depth + 1), chain ({input, neuron, example,
//   x: [x₁, x₂], y, byChain, engine, finiteDifference, h, deltas: [[δ per neuron] per layer]}),
//   settings ({dataset, activation, depth, width, learningRate, optimizer}), data ({x, y, rows}).
// Methods: step(n = 1), run(), pause(), reset(), chooseWeight(input, neuron) (0-based),
//   chooseExample(index) (0-based).

import { GradlabWidget, h, setAttr, setText } from './base.js';
import { LineChart, COLORS } from '../charts/index.js';
import { BarChart, BoundaryChart } from './backprop-charts.js';
import { fmt } from './exam-math.js';
import { parseAttribute } from './schema.js';

const EXTENT = { min: -7, max: 7 };
const GRID = 60;
const FD_STEP = 1e-5;
const num = (v) => fmt(v, 5);
const SUB = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
const sub = (n) => String(n).split('').map((d) => SUB[Number(d)]).join('');

/** Activation value and slope, as the engine defines them (relu slope 0 at z = 0). */
const ACT = {
  sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), d: (z, a) => a * (1 - a) },
  tanh: { f: (z) => Math.tanh(z), d: (z, a) => 1 - a * a },
  relu: { f: (z) => (z > 0 ? z : 0), d: (z) => (z > 0 ? 1 : 0) },
};

/**
 * Forward and backward pass for ONE example, in plain JavaScript, from the engine's flat
 * parameters. Returns z, a per layer, δ_l = ∂L/∂z_l per layer and p = σ(z_out).
 */
export function backpropOne(params, sizes, activation, x, y) {
  const L = sizes.length - 1;
  const zs = [];
  const as = [Array.from(x)];
  let offset = 0;
  const W = [];
  const b = [];
  for (let l = 1; l <= L; l += 1) {
    const rows = sizes[l - 1];
    const cols = sizes[l];
    W.push({ offset, rows, cols });
    offset += rows * cols;
    b.push(offset);
    offset += cols;
    const prev = as[l - 1];
    const z = new Array(cols).fill(0);
    for (let j = 0; j < cols; j += 1) {
      let s = params[b[l - 1] + j];
      for (let k = 0; k < rows; k += 1) s += prev[k] * params[W[l - 1].offset + k * cols + j];
      z[j] = s;
    }
    zs.push(z);
    as.push(l === L ? z.map(ACT.sigmoid.f) : z.map(ACT[activation].f));
  }
  const p = as[L][0];
  const deltas = new Array(L);
  deltas[L - 1] = [p - y];
  for (let l = L - 1; l >= 1; l -= 1) {
    const { cols } = W[l]; // W_{l+1}: sizes[l] × sizes[l+1]
    const next = deltas[l];
    deltas[l - 1] = zs[l - 1].map((z, j) => {
      let s = 0;
      for (let m = 0; m < cols; m += 1) s += params[W[l].offset + j * cols + m] * next[m];
      return ACT[activation].d(z, as[l][j]) * s;
    });
  }
  return { zs, as, deltas, p, W };
}

const norm = (v) => Math.hypot(...v);

export class BackpropNet extends GradlabWidget {
  static tag = 'gradlab-backprop-net';

  static styles = `
    .bn-buttons { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
    .bn-status { margin: 0; font-weight: 600; }
    .bn-side { display: grid; gap: .5rem; align-content: start; }
    .bn-side .gl-chart-box { height: 200px; }
    .bn-key { margin: 0; font-size: .9rem; color: #2b323b; }
    .bn-norms { margin: 0; font-size: .92rem; font-variant-numeric: tabular-nums; color: #2b323b;
      overflow-wrap: anywhere; }
    .bn-chain { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .6rem .8rem;
      display: grid; gap: .5rem; }
    .bn-chain ol { margin: 0; padding-left: 1.4rem; display: grid; gap: .3rem;
      font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .bn-chain .bn-result { font-weight: 650; }
    .gl-button[aria-pressed=true] { background: #1f5fbf; color: #fff; }
  `;

  setup(gl) {
    this._dataKey = null; // new charts and engine objects (setup runs again after a reconnect)
    this._drawn = null;
    const a = this.attrs;
    this.gl = gl;
    this.state = {
      dataset: a.dataset, activation: a.activation, depth: a.depth, width: a.width,
      lr: a['learning-rate'], optimizer: a.optimizer, input: 0, neuron: 0, example: 0,
    };

    this.controls = {
      dataset: this.select({ label: 'Data set', value: a.dataset,
        options: [{ value: 'xor', label: 'XOR (four corners)' }, { value: 'circle', label: 'Circle (ring around a disc)' },
          { value: 'spirals', label: 'Two spirals' }],
        onChange: (v) => this._setting('dataset', v) }),
      activation: this.select({ label: 'Activation of hidden layers', value: a.activation,
        options: [{ value: 'sigmoid', label: 'sigmoid' }, { value: 'tanh', label: 'tanh' }, { value: 'relu', label: 'ReLU' }],
        onChange: (v) => this._setting('activation', v) }),
      optimizer: this.select({ label: 'Optimizer', value: a.optimizer,
        options: [{ value: 'sgd', label: 'gradient descent (sgd)' }, { value: 'adam', label: 'Adam' }],
        onChange: (v) => this._setting('optimizer', v) }),
      depth: this.slider({ label: 'Hidden layers', min: 1, max: 4, step: 1, value: a.depth,
        onInput: (v) => this._setting('depth', Math.round(v)) }),
      width: this.slider({ label: 'Neurons per hidden layer', min: 2, max: 16, step: 1, value: a.width,
        onInput: (v) => this._setting('width', Math.round(v)) }),
      lr: this.slider({ label: 'Learning rate (log scale)', min: 0.0005, max: 1, scale: 'log',
        value: a['learning-rate'], onInput: (v) => this._setLearningRate(v) }),
    };
    this.runButton = this.button({ label: 'Run', kind: 'primary', onClick: () => (this.looping ? this.pause() : this.run()) });
    this.out = {
      steps: this.readout({ label: 'Steps', format: (v) => String(v) }),
      loss: this.readout({ label: 'Loss (cross-entropy)', format: num, nonFinite: 'diverged' }),
      accuracy: this.readout({ label: 'Points on the correct side', format: (v) => `${(v * 100).toFixed(1)}%` }),
      status: this.readout({ label: 'Trainer status' }),
    };
    this.statusLine = h('p', { class: 'bn-status', role: 'status' });
    this.boundaryHost = h('div', {});
    this.lossHost = h('div', {});
    this.normsHost = h('div', {});
    this.normsText = h('p', { class: 'bn-norms', 'aria-live': 'off' });

    // The chain for one weight.
    this.chainControls = {
      input: this.select({ label: 'Weight from input', value: '0',
        options: [{ value: '0', label: 'x₁' }, { value: '1', label: 'x₂' }],
        onChange: (v) => this.chooseWeight(Number(v), this.state.neuron) }),
      neuron: this.select({ label: 'to neuron of hidden layer 1', value: '0', options: [], // _syncNeuronOptions
        onChange: (v) => this.chooseWeight(this.state.input, Number(v)) }),
      example: this.slider({ label: 'Training example number', min: 1, max: a.points, step: 1, value: 1,
        onInput: (v) => this.chooseExample(Math.round(v) - 1) }),
    };
    this.chainHeading = h('h4', { class: 'gl-label' });
    this.chainList = h('ol', {});
    this.chainOut = {
      byChain: this.readout({ label: '∂L/∂w by the chain above', format: (v) => fmt(v, 7) }),
      engine: this.readout({ label: '∂L/∂w from the engine (backprop)', format: (v) => fmt(v, 7) }),
      fd: this.readout({ label: `Central difference, h = ${FD_STEP}`, format: (v) => fmt(v, 7) }),
    };

    this.body.append(
      this.title('A network learning to separate two classes'),
      this.row(this.controls.dataset.element, this.controls.activation.element, this.controls.optimizer.element),
      this.row(this.controls.depth.element, this.controls.width.element, this.controls.lr.element),
      h('div', { class: 'bn-buttons' },
        this.button({ label: 'Step', onClick: () => { this.pause(); this.step(1); } }),
        this.runButton,
        this.button({ label: 'Reset', onClick: () => this.reset() })),
      h('div', { class: 'gl-readouts' }, ...Object.values(this.out).map((r) => r.element)),
      this.statusLine,
      h('div', { class: 'gl-grid-2' },
        h('div', {}, h('h4', { class: 'gl-label' }, 'What the network predicts (click a point to follow it below)'),
          this.boundaryHost,
          h('p', { class: 'bn-key' }, 'Orange circles: class 0. Blue triangles: class 1. Background: the network\'s ' +
            'probability of class 1 (blue) or class 0 (orange); dark line: probability 0.5.')),
        h('div', { class: 'bn-side' },
          h('h4', { class: 'gl-label' }, 'Loss after each step'), this.lossHost,
          h('h4', { class: 'gl-label' }, 'Gradient size of each layer\'s weights'), this.normsHost, this.normsText)),
      this.chainSection = h('section', { class: 'bn-chain', 'aria-label': 'The chain of derivatives for one weight' },
        h('h4', { class: 'gl-title' }, 'The chain for one weight of the first layer'),
        this.row(this.chainControls.input.element, this.chainControls.neuron.element, this.chainControls.example.element),
        this.chainHeading, this.chainList,
        h('div', { class: 'gl-readouts' }, ...Object.values(this.chainOut).map((r) => r.element))),
    );

    this._syncNeuronOptions();
    this._watchChain();
    this.boundary = this.own(new BoundaryChart(this.boundaryHost, {
      label: 'Decision boundary of the network', ...EXTENT,
      onPick: (x, y) => this._pickNearest(x, y),
    }));
    this.lossChart = this.own(new LineChart(this.lossHost, { label: 'Training loss over steps', log: true,
      series: [{ label: 'loss', color: COLORS.blue }] }));
    this.normsChart = this.own(new BarChart(this.normsHost, { label: 'Size of the gradient of each weight matrix',
      xLabel: 'weights of layer (last: output)', yLabel: '‖∂L/∂W‖ (log)', log: true, slots: 5, // up to 4 hidden + output
      series: [{ label: '‖∂L/∂W‖', color: COLORS.purple }] }));
    this._build();
  }

  /**
   * Whether the chain section is on screen (or within 100 px of it). While a slider moves and the
   * section is out of sight, draw() leaves its text as it was: a move of the layers or neurons
   * slider, whose controls sit far above it, then lays out and paints about a dozen fewer lines,
   * and the chain is not even computed (nor its one-example probe network made) unless the
   * `chain` property asks for it. It is written when the slider comes to rest (or as soon as the
   * section comes into view), so the page never keeps numbers that are out of date once the hand
   * is off the slider.
   */
  _watchChain() {
    this._chainOnScreen = true;
    this._chainStale = false;
    if (typeof IntersectionObserver !== 'function') return;
    const observer = new IntersectionObserver((entries) => {
      this._chainOnScreen = entries[entries.length - 1].isIntersecting;
      if (this._chainOnScreen && this._chainStale) this.requestDraw();
    }, { rootMargin: '100px' });
    observer.observe(this.chainSection);
    this.own(() => observer.disconnect());
  }

  // --- model --------------------------------------------------------------------------------

  get sizes() {
    const s = this.state;
    return [2, ...Array(s.depth).fill(s.width), 1];
  }

  /**
   * The neuron list follows the width: options are added or taken off at the end (a move of the
   * neurons slider changes one or two; rebuilding all of them restyled and relaid the list at
   * every move), and the chosen neuron stays when it still exists.
   */
  _syncNeuronOptions() {
    const sel = this.chainControls.neuron.select;
    const w = this.state.width;
    while (sel.options.length > w) sel.lastElementChild.remove();
    for (let j = sel.options.length; j < w; j += 1) sel.append(h('option', { value: String(j) }, `neuron ${j + 1}`));
    this.state.neuron = Math.min(this.state.neuron, w - 1);
    if (sel.value !== String(this.state.neuron)) sel.value = String(this.state.neuron);
  }

  /** (Re)creates data, model, probe and trainer from the current settings: a fresh start. */
  _build() {
    const a = this.attrs;
    const s = this.state;
    this.pause();
    for (const r of [this.trainer, this.model, this.probe]) if (r) this.release(r);
    this.probe = null;
    // The data (and the predict() query built on it) depend only on these four settings: a move
    // of the layers or neurons slider rebuilds the network, not the data.
    const dataKey = [s.dataset, a.points, a.seed, a.noise].join();
    const newData = dataKey !== this._dataKey;
    this._dataKey = dataKey;
    if (newData) this.data = this.gl.dataset(s.dataset, { n: a.points, seed: a.seed, noise: a.noise });
    const spec = { type: 'mlp', sizes: this.sizes, activations: [...Array(s.depth).fill(s.activation), 'sigmoid'],
      loss: 'bce', seed: a.seed, init: s.activation === 'relu' ? 'he' : 'xavier' };
    this.model = this.own(this.gl.model(spec));
    this.model.setData(this.data);
    this._spec = spec; // the probe for the chain (one example) is made when the chain is computed
    this._makeTrainer();
    s.input = Math.min(s.input, 1);
    s.neuron = Math.min(s.neuron, s.width - 1);
    s.example = Math.min(s.example, this.data.rows - 1);
    if (newData) this._newData();
    this._changed();
  }

  /** New data: the points on the map, and predict() queries to be made again. */
  _newData() {
    this.queries = {};
    this.boundary.setPoints(this.data.x, this.data.y);
  }

  /** The query for predict() on an n × n grid: the grid, then the data points (one call per frame). */
  _gridQuery(n) {
    const rows = n * n + this.data.rows;
    const q = new Float64Array(rows * 2);
    const d = (EXTENT.max - EXTENT.min) / (n - 1);
    for (let r = 0; r < n; r += 1) {
      for (let c = 0; c < n; c += 1) {
        q[2 * (r * n + c)] = EXTENT.min + c * d;
        q[2 * (r * n + c) + 1] = EXTENT.min + r * d;
      }
    }
    q.set(this.data.x, n * n * 2);
    return { x: q, rows };
  }

  _makeTrainer() {
    const s = this.state;
    if (this.trainer) this.release(this.trainer);
    this.trainer = this.own(this.gl.trainer(this.model, { type: s.optimizer, lr: s.lr },
      { batchSize: 0, tolerance: 1e-7, maxSteps: this.attrs['max-steps'], recordTrajectory: false }));
  }

  _setting(name, value) {
    if (this.state[name] === value) return;
    this.state[name] = value;
    if (name === 'width') this._syncNeuronOptions();
    this._build();
  }

  _setLearningRate(lr) {
    if (!(lr > 0)) return;
    this.state.lr = lr;
    this.trainer.setLearningRate(lr);
    // The next step changes; the network, its predictions, loss and gradients do not: nothing
    // on screen but the slider has to be recomputed or redrawn.
    this._emitChange();
  }

  // --- actions ------------------------------------------------------------------------------

  get finished() {
    return this.trainer.status !== 'running';
  }

  /** n training steps (nothing once converged, diverged or out of steps). */
  step(n = 1) {
    if (!this.finished) this.trainer.run(n);
    this._changed();
  }

  run() {
    if (this.finished) return;
    setText(this.runButton, 'Pause');
    setAttr(this.runButton, 'aria-pressed', 'true');
    this.startLoop(() => {
      const k = this.reducedMotion ? 50 : this.attrs['steps-per-frame'];
      this.trainer.run(k);
      this._changed();
      if (this.finished) {
        this._runLabel();
        return false;
      }
      return true;
    });
  }

  pause() {
    if (this.looping) this.stopLoop();
    this._runLabel();
    this.requestDraw();
  }

  _runLabel() {
    if (!this.runButton) return;
    setText(this.runButton, 'Run');
    setAttr(this.runButton, 'aria-pressed', 'false');
  }

  reset() {
    const a = this.attrs;
    Object.assign(this.state, { dataset: a.dataset, activation: a.activation, depth: a.depth, width: a.width,
      lr: a['learning-rate'], optimizer: a.optimizer });
    this.controls.dataset.value = a.dataset;
    this.controls.activation.value = a.activation;
    this.controls.optimizer.value = a.optimizer;
    this.controls.depth.set(a.depth);
    this.controls.width.set(a.width);
    this.controls.lr.set(a['learning-rate']);
    this._syncNeuronOptions();
    this._build();
  }

  attributeChanged(name) {
    if (name === 'points') {
      const r = this.chainControls.example.range;
      r.max = String(this.attrs.points);
      this.chainControls.example.number.max = String(this.attrs.points);
    }
    this.reset();
  }

  chooseWeight(input, neuron) {
    const s = this.state;
    if (!Number.isInteger(input) || !Number.isInteger(neuron)) return;
    s.input = Math.min(1, Math.max(0, input));
    s.neuron = Math.min(s.width - 1, Math.max(0, neuron));
    this.chainControls.input.value = String(s.input);
    this.chainControls.neuron.value = String(s.neuron);
    this._changed({ network: false });
  }

  chooseExample(index) {
    if (!Number.isInteger(index)) return;
    this.state.example = Math.min(this.data.rows - 1, Math.max(0, index));
    this.chainControls.example.set(this.state.example + 1);
    this._changed({ network: false });
  }

  _pickNearest(x, y) {
    const d = this.data;
    let best = 0;
    let bestD = Infinity;
    for (let i = 0; i < d.rows; i += 1) {
      const dist = Math.hypot(d.x[2 * i] - x, d.x[2 * i + 1] - y);
      if (dist < bestD) { bestD = dist; best = i; }
    }
    this.chooseExample(best);
  }

  // --- numbers ------------------------------------------------------------------------------

  /**
   * Recompute what is shown and ask for a redraw. `network: false` when only the chain's choice
   * (weight, example) changed: the predictions, loss and gradient norms are still current.
   */
  _changed({ network = true } = {}) {
    if (network || !this.snapshot) this._compute();
    this._chainResult = null; // computed when drawn or asked for (not while it waits, see _watchChain)
    this.requestDraw();
    this._emitChange();
  }

  /** A slider has come to rest: the probability image at full resolution if a drag drew it coarse. */
  settled() {
    if (!this.snapshot || this.snapshot.gridSize === GRID) return;
    this._compute();
    this.requestDraw();
  }

  _emitChange() {
    const s = this.snapshot;
    this.emit('gradlab-change', { steps: s.steps, loss: s.loss, accuracy: s.accuracy, status: s.status,
      layerNorms: [...s.norms] });
  }

  /** Everything draw() shows, from the engine (one predict call for grid + data). */
  _compute() {
    const t = this.trainer;
    // While a slider moves (a new network at each step of the layers or neurons slider), the
    // probability image is computed on a coarser grid (gridSize), at GRID again in settled().
    const grid = this.gridSize(GRID);
    const query = (this.queries[grid] ??= this._gridQuery(grid));
    const preds = this.model.predict(query.x, query.rows);
    const n2 = grid * grid;
    let right = 0;
    for (let i = 0; i < this.data.rows; i += 1) {
      if ((preds[n2 + i] > 0.5) === (this.data.y[i] > 0.5)) right += 1;
    }
    // The layer gradient norms are the engine's from its last gradient, which the trainer took
    // at the current parameters (when it was made and after each step). A diverged run is set
    // back to its last good point after a gradient at the bad one: evaluated again there. (An
    // evaluate() on every call was ~0.05 ms of each neurons-slider move and of each Run frame.)
    if (t.status === 'diverged') this.model.evaluate();
    this.snapshot = {
      steps: t.steps, loss: t.loss, status: t.status, grid: preds.subarray(0, n2), gridSize: grid,
      accuracy: right / this.data.rows, norms: Array.from(this.model.layerGradientNorms()),
      history: t.history(),
    };
  }

  /** The chain for the current network and choice (computed at most once per change). */
  get chainResult() {
    if (!this._chainResult && this.model) this._chainResult = this._chain();
    return this._chainResult;
  }

  /** The backward pass for one example written out, with the engine's check and a central difference. */
  _chain() {
    const s = this.state;
    const i = s.example;
    const x = [this.data.x[2 * i], this.data.x[2 * i + 1]];
    const y = this.data.y[i];
    const params = this.model.parameters();
    const bp = backpropOne(params, this.sizes, s.activation, x, y);
    const byChain = x[s.input] * bp.deltas[0][s.neuron];
    // Engine: the same network holding only this example.
    this.probe ??= this.own(this.gl.model(this._spec));
    this.probe.setData({ x, y: [y], rows: 1 });
    const index = s.input * s.width + s.neuron; // W1 is the first block, row-major 2 × width
    const engine = this.probe.evaluate(params).gradient[index];
    const plus = Float64Array.from(params);
    const minus = Float64Array.from(params);
    plus[index] += FD_STEP;
    minus[index] -= FD_STEP;
    const fd = (this.probe.evaluate(plus).loss - this.probe.evaluate(minus).loss) / (2 * FD_STEP);
    return { input: s.input, neuron: s.neuron, example: i, x, y, byChain, engine, finiteDifference: fd,
      h: FD_STEP, index, weight: params[index], bp, deltas: bp.deltas.map((d) => [...d]) };
  }

  // --- drawing ------------------------------------------------------------------------------

  draw() {
    const snap = this.snapshot;
    const s = this.state;
    this.out.steps.set(snap.steps);
    this.out.loss.set(snap.loss);
    this.out.accuracy.set(snap.accuracy);
    this.out.status.text(snap.status);
    this.out.status.element.classList.toggle('gl-readout-diverged', snap.status === 'diverged');
    const status = this._statusText(snap);
    setText(this.statusLine, status);

    // A new snapshot (a step, a new network) repaints the probability image and the two side
    // charts; choosing another example or weight only moves the ring and rewrites the chain.
    const fresh = snap !== this._drawn;
    this._drawn = snap;
    if (fresh) this.boundary.setGrid(snap.grid, snap.gridSize);
    this.boundary.accuracy = snap.accuracy;
    const i = s.example;
    this.boundary.setChosen([this.data.x[2 * i], this.data.x[2 * i + 1]]);
    this.boundary.update();
    this._chainStale = this.moving && !this._chainOnScreen;
    if (!this._chainStale) this._drawChain(this.chainResult, s);
    if (!fresh) return;

    // A fresh network has one loss and no line yet (the chart draws no points): its picture
    // changes from the first step on, not at each new network of the layers or neurons slider.
    this.lossChart.setSeries(0, snap.history);
    this.lossChart.updateIf(snap.history.length < 2 ? ['no line'] : [snap.history]);

    const L = snap.norms.length;
    const names = snap.norms.map((_, l) => `W${sub(l + 1)}`);
    this.normsChart.setCategories(names);
    this.normsChart.setValues(0, snap.norms);
    this.normsChart.update();
    const first = snap.norms[0];
    const last = snap.norms[L - 1];
    const ratio = last > 0 ? first / last : NaN;
    setText(this.normsText, `${names.map((nm, l) => `‖∂L/∂${nm}‖ = ${num(snap.norms[l])}`).join(';  ')} ` +
      `(W${sub(L)} feeds the output neuron).` +
      (Number.isFinite(ratio) && L > 1 ? ` The first layer's gradient is ${num(ratio)} × the output layer's.` : ''));
  }

  _drawChain(c, s) {
    const act = s.activation;
    const actName = act === 'relu' ? 'ReLU' : act;
    const w = `W${sub(1)}[x${sub(c.input + 1)}→${c.neuron + 1}]`;
    const L = this.sizes.length - 1;
    const { bp } = c;
    setText(this.chainHeading, `Weight w = ${w} = ${num(c.weight)}, on example ${c.example + 1}: ` +
      `x = (${num(c.x[0])}, ${num(c.x[1])}), class ${c.y}.`);
    const items = [];
    const logit = bp.zs[L - 1][0];
    const exampleLoss = Math.max(logit, 0) + Math.log1p(Math.exp(-Math.abs(logit))) - c.y * logit;
    items.push(`Forward pass: the network gives p = ${num(bp.p)} for class 1, so the loss of this example is ` +
      `L = ${num(exampleLoss)}.`);
    items.push(`Output neuron: ∂L/∂z = p − y = ${num(bp.p)} − ${c.y} = ${num(bp.deltas[L - 1][0])}.`);
    for (let l = L - 1; l >= 2; l -= 1) {
      const d = bp.deltas[l - 1];
      const above = bp.deltas[l];
      const r = norm(above) > 0 ? norm(d) / norm(above) : NaN;
      items.push(`Hidden layer ${l} (${d.length} neurons): each δ = ${actName}′(z) × Σ (outgoing weight × δ of layer ${l + 1}). ` +
        `Size of the δs: ${num(norm(d))}` + (Number.isFinite(r) ? ` (× ${num(r)} of layer ${l + 1}'s).` : '.'));
    }
    const j = c.neuron;
    const next = bp.deltas[1];
    let incoming = 0;
    const W2 = bp.W[1];
    const params = this.model.parameters();
    for (let m = 0; m < W2.cols; m += 1) incoming += params[W2.offset + j * W2.cols + m] * next[m];
    const z = bp.zs[0][j];
    const slope = ACT[act].d(z, bp.as[1][j]);
    const delta = bp.deltas[0][j];
    if (L === 2) {
      items.push(`Neuron ${j + 1} of layer 1 sends its output to the output neuron through weight ` +
        `${num(params[W2.offset + j])}, so the error signal reaching it is ${num(params[W2.offset + j])} × ` +
        `${num(next[0])} = ${num(incoming)}.`);
    } else {
      items.push(`Neuron ${j + 1} of layer 1 feeds all ${W2.cols} neurons of layer 2; the signals coming back add up: ` +
        `Σ (weight × δ) = ${num(incoming)}.`);
    }
    items.push(`Its slope: z = ${num(z)}, ${actName}′(z) = ${num(slope)}; so δ = ${num(slope)} × ${num(incoming)} = ${num(delta)}.`);
    items.push(`The weight multiplies input x${sub(c.input + 1)} = ${num(c.x[c.input])}, so ∂L/∂w = ` +
      `${num(c.x[c.input])} × ${num(delta)} = ${num(c.byChain)}.`);
    // The list keeps its items while their number stays (only the numbers in them change).
    const list = this.chainList;
    if (list.children.length !== items.length) {
      list.replaceChildren(...items.map((t, k) => h('li', { class: k === items.length - 1 ? 'bn-result' : '' }, t)));
    } else {
      items.forEach((t, k) => setText(list.children[k], t));
    }
    this.chainOut.byChain.set(c.byChain);
    this.chainOut.engine.set(c.engine);
    this.chainOut.fd.set(c.finiteDifference);
  }

  _statusText(snap) {
    switch (snap.status) {
      case 'diverged': return `Stopped after ${snap.steps} steps: the loss blew up. Lower the learning rate and press Reset.`;
      case 'converged': return `Converged after ${snap.steps} steps: the gradient is practically zero.`;
      case 'max-steps': return `Stopped after the step budget of ${snap.steps} steps. Press Reset to start again.`;
      default:
        if (this.looping) return `Training… ${snap.steps} steps.`;
        return snap.steps === 0 ? 'Fresh random weights: press Run or Step.' : `Paused after ${snap.steps} steps.`;
    }
  }

  // --- shareable state (web/widgets/share.js) ----------------------------------------------

  /** The settings and the trained parameters. */
  getState() {
    return { settings: this.settings, parameters: Array.from(this.parameters), steps: this.steps };
  }

  /**
   * Restore getState()'s object: settings are checked against the schema (invalid -> error),
   * then the network is rebuilt and the parameters loaded (the step count restarts at 0).
   */
  setState(state) {
    if (!state || typeof state !== 'object' || !state.settings) throw new Error('the state must have settings');
    const spec = this.constructor.schema.attributes;
    const st = state.settings;
    const pick = (key, attr, value) => {
      const r = parseAttribute(spec[attr], String(value));
      if (!r.ok) throw new RangeError(`setting ${key}: ${r.message}`);
      return r.value;
    };
    const next = {
      dataset: pick('dataset', 'dataset', st.dataset),
      activation: pick('activation', 'activation', st.activation),
      depth: pick('depth', 'depth', st.depth),
      width: pick('width', 'width', st.width),
      lr: pick('learningRate', 'learning-rate', st.learningRate),
      optimizer: pick('optimizer', 'optimizer', st.optimizer),
    };
    Object.assign(this.state, next);
    this.controls.dataset.value = next.dataset;
    this.controls.activation.value = next.activation;
    this.controls.optimizer.value = next.optimizer;
    this.controls.depth.set(next.depth);
    this.controls.width.set(next.width);
    this.controls.lr.set(next.lr);
    this._syncNeuronOptions();
    this._build();
    const p = state.parameters;
    if (p !== undefined) {
      if (!Array.isArray(p) || p.length !== this.model.size
          || !p.every((v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1e6)) {
        throw new RangeError(`the parameters must be ${this.model.size} finite numbers for this network`);
      }
      this.parameters = p;
    }
  }

  // --- public properties --------------------------------------------------------------------
  get parameters() { return this.model ? this.model.parameters() : new Float64Array(0); }

  set parameters(values) {
    if (!this.model) return;
    this.pause();
    this.trainer.reset(Float64Array.from(values));
    this._changed();
  }

  get layout() { return this.model ? this.model.layout() : []; }
  get loss() { return this.snapshot?.loss; }
  get accuracy() { return this.snapshot?.accuracy; }
  get steps() { return this.snapshot?.steps ?? 0; }
  get status() { return this.snapshot?.status; }
  get history() { return this.snapshot ? Array.from(this.snapshot.history) : []; }
  get layerNorms() { return this.snapshot ? [...this.snapshot.norms] : []; }
  get chain() {
    const c = this.chainResult;
    if (!c) return null;
    const { bp, ...rest } = c; // eslint-disable-line no-unused-vars
    return { ...rest, x: [...c.x] };
  }
  get settings() {
    const s = this.state;
    return { dataset: s.dataset, activation: s.activation, depth: s.depth, width: s.width,
      learningRate: s.lr, optimizer: s.optimizer };
  }
}

BackpropNet.define();
