// What <gradlab-descent-curve> and <gradlab-descent-map> share: plain gradient descent, run by
// the engine's Trainer on one of its lesson functions ('wells1d', 'wells2d'), and the controls
// and readouts around it (learning-rate slider with presets, Step / Run / Reset, the loss over
// steps, the trainer's status). Subclasses add the picture of the landscape and the start point.
//
// Shared attributes (each subclass's schema entry lists them with its own defaults):
//   learning-rate  number  the step size η
//   max-steps      number  Run stops after this many steps even if the walk has not settled
// Shared events:
//   gradlab-change  detail {point: number[], loss, gradient: number[], step, status,
//                   learningRate} after every step, run frame, new start, new learning rate, reset
//   gradlab-ready   (from the base class)
// Shared properties (read-only): point (array), loss, gradient (array), steps, status
//   ('running' | 'converged' | 'diverged' | 'max-steps', the engine trainer's, or 'max-steps'
//   when the widget's own step budget ran out), learningRate, history (array of losses,
//   [0] = at the start), minimumFound ({point, value, global} of the nearest minimum, or null).

import { GradlabWidget, h, setAttr, setText } from './base.js';
import { LineChart } from '../charts/index.js';
import { fmt } from './exam-math.js';

export const num = (v) => fmt(v, 5);

/** Gradient descent on an engine function, without any DOM. */
export class DescentLab {
  /**
   * @param {any} gl  the loaded engine
   * @param {string} name  engine function name
   * @param {{start: number[], lr: number, tolerance?: number}} options
   */
  constructor(gl, name, { start, lr, tolerance = 1e-6 }) {
    this.model = gl.model({ type: 'function', name });
    this.info = this.model.info();
    this.size = this.model.size;
    this.start = Float64Array.from(start);
    this.lr = lr;
    this.model.setParameters(this.start);
    this.trainer = gl.trainer(this.model, { type: 'sgd', lr }, { batchSize: 0, tolerance });
  }

  /** Back to the start point (a new one if given): step 0, fresh history and path. */
  restart(start = this.start) {
    this.start = Float64Array.from(start);
    this.trainer.reset(this.start);
  }

  setLearningRate(lr) {
    this.lr = lr;
    this.trainer.setLearningRate(lr);
  }

  /** Up to n steps (nothing once converged or diverged). @returns the trainer status */
  run(n = 1) {
    if (this.trainer.status !== 'running') return this.trainer.status;
    return this.trainer.run(n);
  }

  snapshot() {
    const t = this.trainer;
    return { point: Array.from(t.parameters()), loss: t.loss, gradient: Array.from(t.gradient()),
      step: t.steps, status: t.status };
  }

  /** Points visited, each an array of `size` numbers (step 0 = the start). */
  path() {
    const flat = this.trainer.trajectory();
    const out = [];
    for (let k = 0; k + this.size <= flat.length; k += this.size) out.push(Array.from(flat.subarray(k, k + this.size)));
    return out;
  }

  history() {
    return Array.from(this.trainer.history());
  }

  evaluate(point) {
    const { loss, gradient } = this.model.evaluate(Float64Array.from(point));
    return { loss, gradient: Array.from(gradient) };
  }

  /** The engine's minimum nearest to `point` (within `radius`), with its value. */
  nearestMinimum(point, radius = 0.05) {
    const minima = this.info.minima ?? [];
    let best = null;
    minima.forEach((m, rank) => {
      const d = Math.hypot(...Array.from(m, (v, k) => v - point[k]));
      if (d <= radius && (!best || d < best.distance)) {
        best = { point: Array.from(m), distance: d, global: rank === 0, value: this.evaluate(m).loss };
      }
    });
    return best;
  }

  delete() {
    this.trainer?.delete();
    this.model?.delete();
    this.trainer = null;
    this.model = null;
  }
}

/**
 * Base class of the two descent widgets. A subclass sets static `presets` ([{label, lr}]),
 * `functionName`, and implements buildPicture(host), startPoint() (from its attributes),
 * drawPicture(snapshot, path, history) and describePoint(point).
 */
export class DescentWidget extends GradlabWidget {
  static styles = `
    .dw-buttons, .dw-presets { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
    .dw-presets .gl-label { margin-right: .25rem; }
    .dw-status { margin: 0; font-weight: 600; }
    .dw-diverged { margin: 0; padding: .6rem .8rem; border-radius: 6px; border-left: 4px solid #b00020;
      background: #fdecee; color: #5c0010; font-weight: 600; }
    .dw-diverged:empty { display: none; }
    .dw-trail { margin: 0; color: #2b323b; font-size: .92rem; font-variant-numeric: tabular-nums;
      overflow-wrap: anywhere; }
    .gl-button[aria-pressed=true] { background: #1f5fbf; color: #fff; }
  `;

  static presets = [];

  static functionName = '';

  setup(gl) {
    const a = this.attrs;
    this.lab = this.own(new DescentLab(gl, this.constructor.functionName,
      { start: this.startPoint(), lr: a['learning-rate'] }));
    this.state = { budgetSpent: false };
    this.lrSlider = this.slider({ label: 'Learning rate η (log scale)', min: 0.001, max: this.maxLearningRate,
      scale: 'log', value: a['learning-rate'], onInput: (v) => this.setLearningRate(v) });
    this.presetButtons = this.constructor.presets.map((p) => {
      const b = this.button({ label: `${p.label} (${p.lr})`, onClick: () => this.setLearningRate(p.lr, { run: true }) });
      b.dataset.lr = String(p.lr);
      return b;
    });
    this.runButton = this.button({ label: 'Run', kind: 'primary', onClick: () => (this.looping ? this.pause() : this.run()) });
    this.out = {
      step: this.readout({ label: 'Steps', format: (v) => String(v) }),
      point: this.readout({ label: this.pointLabel, format: num }),
      loss: this.readout({ label: 'Loss', format: num, nonFinite: 'diverged' }),
      slope: this.readout({ label: this.slopeLabel, format: num }),
      status: this.readout({ label: 'Trainer status' }),
    };
    this.statusLine = h('p', { class: 'dw-status', role: 'status' });
    this.diverged = h('p', { class: 'dw-diverged', role: 'alert' });
    this.trail = h('p', { class: 'dw-trail' });
    this.pictureHost = h('div', {});
    this.lossHost = h('div', {});
    this.body.append(
      this.title(this.heading),
      this.diverged,
      h('div', { class: 'gl-grid-2' },
        h('div', {}, h('h4', { class: 'gl-label' }, this.pictureTitle), this.pictureHost),
        h('div', {}, h('h4', { class: 'gl-label' }, 'Loss after each step'), this.lossHost)),
      h('div', { class: 'gl-readouts' }, ...Object.values(this.out).map((r) => r.element)),
      this.statusLine,
      ...this.startControls(),
      this.row(this.lrSlider.element),
      h('div', { class: 'dw-presets', role: 'group', 'aria-label': 'Learning-rate presets' },
        h('span', { class: 'gl-label' }, 'Presets:'), ...this.presetButtons),
      h('div', { class: 'dw-buttons' },
        this.button({ label: 'Step', onClick: () => this.stepOnce() }),
        this.runButton,
        this.button({ label: 'Reset', onClick: () => this.reset() })),
      this.trail,
    );
    this.buildPicture(this.pictureHost);
    this.lossChart = this.own(new LineChart(this.lossHost, { label: 'Loss over gradient-descent steps',
      xLabel: 'step', yLabel: 'loss' }));
    this._changed();
  }

  get maxLearningRate() { return 40; }

  get maxSteps() { return this.attrs['max-steps']; }

  // --- actions ------------------------------------------------------------------------------

  stepOnce() {
    this.pause();
    this._advance(1);
    this._changed();
  }

  _advance(n) {
    const s = this.lab.snapshot();
    const left = this.maxSteps - s.step;
    if (left <= 0) {
      this.state.budgetSpent = true;
      return;
    }
    this.lab.run(Math.min(n, left));
    if (this.lab.snapshot().step >= this.maxSteps && this.lab.trainer.status === 'running') this.state.budgetSpent = true;
  }

  get finished() {
    return this.state.budgetSpent || this.lab.trainer.status !== 'running';
  }

  run() {
    if (this.finished) return;
    setText(this.runButton, 'Pause');
    this.startLoop(() => {
      if (this.reducedMotion) {
        this._advance(this.maxSteps);
      } else {
        // Slow enough to watch the first steps, then faster.
        this._advance(1 + Math.floor(this.lab.trainer.steps / 30));
      }
      this._changed();
      if (this.finished) {
        setText(this.runButton, 'Run');
        return false;
      }
      return true;
    });
  }

  pause() {
    if (this.looping) this.stopLoop();
    setText(this.runButton, 'Run');
    this.requestDraw();
  }

  /** New start point: the walk begins again there. */
  moveStart(point) {
    if (!point.every(Number.isFinite)) return;
    this.pause();
    this.lab.restart(point);
    this.state.budgetSpent = false;
    this._changed();
  }

  /** New learning rate: the walk begins again from the same start (optionally running). */
  setLearningRate(lr, { run = false } = {}) {
    if (!(lr > 0)) return;
    this.pause();
    this.lab.setLearningRate(lr);
    this.lrSlider.set(lr);
    this.lab.restart();
    this.state.budgetSpent = false;
    this._changed();
    if (run) this.run();
  }

  reset() {
    this.pause();
    this.lab.setLearningRate(this.attrs['learning-rate']);
    this.lrSlider.set(this.attrs['learning-rate']);
    this.syncStartControls(this.startPoint());
    this.lab.restart(this.startPoint());
    this.state.budgetSpent = false;
    this._changed();
  }

  attributeChanged() {
    this.reset();
  }

  // --- shareable state (web/widgets/share.js): plain gradient descent is deterministic, so the
  // start point, the learning rate and the step count reproduce the walk exactly.

  /** @returns {{start: number[], lr: number, steps: number}} */
  getState() {
    return { start: Array.from(this.lab.start), lr: this.lab.lr, steps: this.lab.snapshot().step };
  }

  /** Restore getState()'s object (checked and clamped; bad input throws). */
  setState(state) {
    if (!state || typeof state !== 'object') throw new Error('the state must be an object');
    const start = state.start;
    if (!Array.isArray(start) || start.length !== this.lab.size
        || !start.every((v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1000)) {
      throw new RangeError(`the start point must be ${this.lab.size} finite numbers`);
    }
    if (typeof state.lr !== 'number' || !Number.isFinite(state.lr)) throw new RangeError('the learning rate must be a finite number');
    if (typeof state.steps !== 'number' || !Number.isFinite(state.steps)) throw new RangeError('the step count must be a finite number');
    const lr = Math.min(this.maxLearningRate, Math.max(0.001, state.lr));
    const steps = Math.round(Math.min(this.maxSteps, Math.max(0, state.steps)));
    this.pause();
    this.lab.setLearningRate(lr);
    this.lrSlider.set(lr);
    this.syncStartControls(start);
    this.lab.restart(start);
    this.state.budgetSpent = false;
    if (steps > 0) this._advance(steps);
    this._changed();
  }

  _changed() {
    const s = this.lab.snapshot();
    this.requestDraw();
    this.emit('gradlab-change', { point: s.point, loss: s.loss, gradient: s.gradient, step: s.step,
      status: this.status, learningRate: this.lab.lr });
  }

  // --- drawing ------------------------------------------------------------------------------

  draw() {
    const s = this.lab.snapshot();
    const path = this.lab.path();
    const history = this.lab.history();
    this.out.step.set(s.step);
    this.out.point.set(s.point.length === 1 ? s.point[0] : NaN);
    if (s.point.length > 1) this.out.point.text(`(${s.point.map(num).join(', ')})`);
    this.out.loss.set(s.loss);
    if (s.gradient.length === 1) this.out.slope.set(s.gradient[0]);
    else this.out.slope.text(`(${s.gradient.map(num).join(', ')})`);
    this.out.status.text(this.status);
    this.out.status.element.classList.toggle('gl-readout-diverged', this.status === 'diverged');
    for (const b of this.presetButtons) setAttr(b, 'aria-pressed', String(Number(b.dataset.lr) === this.lab.lr));

    this.drawPicture(s, path, history);
    this.lossChart.setSeries(0, history);
    this.lossChart.update();

    setText(this.diverged, this.status === 'diverged'
      ? `Diverged after ${s.step} steps: each step overshot by more than the last, so the loss ` +
        'blew up and the engine stopped the run. Choose a smaller learning rate (or a preset) to start again.'
      : '');
    setText(this.statusLine, this._statusText(s));
    const recent = path.slice(-8).map((p) => (p.length === 1 ? num(p[0]) : `(${p.map(num).join(', ')})`));
    setText(this.trail, path.length > 1
      ? `Last points: ${path.length > 8 ? '… → ' : ''}${recent.join(' → ')}`
      : `Start at ${recent[0]}. Each step: new point = point − η × gradient, with η = ${num(this.lab.lr)}.`);
  }

  get status() {
    const st = this.lab?.trainer?.status;
    if (st === 'running' && this.state.budgetSpent) return 'max-steps';
    return st ?? 'running';
  }

  _statusText(s) {
    switch (this.status) {
      case 'converged': {
        const m = this.lab.nearestMinimum(s.point);
        const where = m
          ? (m.global ? 'the lowest valley (the global minimum)' : 'a valley that is not the lowest (a local minimum)')
          : 'a flat spot';
        return `Converged after ${s.step} steps at ${this.describePoint(s.point)}: ${where}, loss ${num(s.loss)}.`;
      }
      case 'diverged':
        return `Stopped: diverged after ${s.step} steps.`;
      case 'max-steps':
        return `Stopped after ${s.step} steps without settling: the steps keep overshooting the valley floor.`;
      default:
        if (this.looping) return `Running… ${s.step} steps.`;
        return s.step === 0 ? 'Ready: press Step or Run.' : `Paused after ${s.step} steps.`;
    }
  }

  // --- public properties --------------------------------------------------------------------
  get point() { return this.lab ? this.lab.snapshot().point : []; }
  get loss() { return this.lab?.snapshot().loss; }
  get gradient() { return this.lab ? this.lab.snapshot().gradient : []; }
  get steps() { return this.lab?.trainer.steps ?? 0; }
  get learningRate() { return this.lab?.lr; }
  get history() { return this.lab ? this.lab.history() : []; }
  get minimumFound() {
    if (!this.lab || this.status !== 'converged') return null;
    const m = this.lab.nearestMinimum(this.lab.snapshot().point);
    return m && { point: m.point, value: m.value, global: m.global };
  }
}
