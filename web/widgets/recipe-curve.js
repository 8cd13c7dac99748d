// <gradlab-recipe-curve>: gulab jamun with one knob. The engine's 'recipe' function gives the
// taste error E(s) for s grams of sugar (a bowl, lowest at the ideal amount). The widget draws
// the curve, the current amount, the tangent there (its slope printed as a number), and gradient
// steps  new sugar = old sugar − learning rate × slope,  one by one or as a run.

import { GradlabWidget, h, setText } from './base.js';
import { CurveChart } from '../charts/index.js';
import { RecipeLab, SteppingWidget, stepLine } from './recipe-lab.js';
import { fmt } from './exam-math.js';
import { checkWalkState, walkState } from './share.js';

const SHELF = { min: 0, max: 400 }; // grams of sugar shown (the engine's own view of 'recipe')
const TANGENT_HALF = 60; // g either side of the point
const STEP_INTERVAL_MS = 350; // Run: one visible step this often
const RUN_LIMIT = 200;
// Far outside the shelf the recipe is nonsense: treat it like divergence and stop.
const SANE = { min: -2000, max: 2400 };
const DIVERGED_TEXT =
  'Diverged — the steps grew instead of shrinking. Lower the learning rate and press Reset.';

export class RecipeCurve extends SteppingWidget(GradlabWidget) {
  // Step / Run / Pause: SteppingWidget (recipe-lab.js) around this widget's _step().
  static stepInterval = STEP_INTERVAL_MS;

  static tag = 'gradlab-recipe-curve';

  static styles = `
    .rc-panel { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .6rem .8rem; min-width: 0; }
    .rc-panel h4 { margin: 0 0 .35rem; font-size: .95rem; }
    .rc-panel p { margin: .15rem 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .rc-step { font-weight: 650; }
    .rc-trail { color: #3d4652; font-size: .92rem; }
    .rc-buttons { display: flex; flex-wrap: wrap; gap: .5rem; }
    .rc-diverged { margin: 0; padding: .6rem .8rem; border-radius: 6px; border-left: 4px solid #b00020;
      background: #fdecee; color: #5c0010; font-weight: 600; }
    .rc-diverged:empty { display: none; }
    .rc-status { margin: 0; font-weight: 600; }
  `;

  setup(gl) {
    this.lab = this.own(new RecipeLab(gl, 'recipe', { start: [this.attrs.sugar], lr: this.attrs['learning-rate'], tolerance: 1e-5 }));
    this.state = { lastStep: null, finished: false };
    const curve = this.lab.curve(SHELF.min, SHELF.max);

    this.controls = {
      sugar: this.slider({ label: 'Sugar (g) — nudge by hand', min: SHELF.min, max: SHELF.max, step: 1,
        value: this.attrs.sugar, onInput: (v) => this.moveTo(v) }),
      lr: this.slider({ label: 'Learning rate', min: 1, max: 5000, scale: 'log',
        value: this.attrs['learning-rate'], onInput: (v) => this.setLearningRate(v) }),
    };
    this.out = {
      sugar: this.readout({ label: 'Sugar', format: (v) => `${fmt(v)} g` }),
      error: this.readout({ label: 'Taste error E', format: fmt }),
      slope: this.readout({ label: 'Slope E′ (per gram)', format: fmt }),
      steps: this.readout({ label: 'Steps taken', format: (v) => String(v) }),
    };
    this.runButton = this.button({ label: 'Run', onClick: () => (this.looping ? this.pause() : this.run()) });
    this.stepText = h('p', { class: 'rc-step', 'aria-live': 'polite' });
    this.trail = h('p', { class: 'rc-trail' });
    this.status = h('p', { class: 'rc-status', role: 'status' });
    this.diverged = h('p', { class: 'rc-diverged', role: 'alert' });
    const chartHost = h('div', {});

    this.body.append(
      this.title('Gulab jamun: one knob, the grams of sugar'),
      this.diverged,
      chartHost,
      h('div', { class: 'gl-readouts' }, ...Object.values(this.out).map((r) => r.element)),
      this.row(this.controls.sugar.element, this.controls.lr.element),
      h('div', { class: 'rc-buttons' },
        this.button({ label: 'Take a gradient step', kind: 'primary', onClick: () => this.stepOnce() }),
        this.runButton,
        this.button({ label: 'Reset', onClick: () => this.reset() })),
      this.status,
      h('div', { class: 'rc-panel' }, h('h4', {}, 'The update rule with numbers'), this.stepText, this.trail),
    );
    // Created once its host is attached (Chart.js sizes canvases on attachment).
    this.chart = this.own(new CurveChart(chartHost, {
      label: 'Taste error against grams of sugar', xLabel: 'sugar (g)', yLabel: 'taste error',
      xMin: SHELF.min, xMax: SHELF.max, yMin: 0, yMax: Math.ceil(Math.max(...curve.ys)),
      curveLabel: 'taste error E(s)',
    }));
    this.chart.setCurveData(curve.xs, curve.ys);
    this._changed();
  }

  // --- actions (stepOnce, run, pause: SteppingWidget) ----------------------------------------

  /** One step, remembering its arithmetic (numbers from the engine's slope). */
  _step() {
    if (this.state.finished) return;
    const before = this.lab.snapshot();
    const line = stepLine('sugar', 'g', before.point[0], this.lab.lr, before.gradient[0]);
    this.lab.run(1);
    this.state.lastStep = line.text;
    this._checkFinished();
  }

  _checkFinished() {
    const s = this.lab.snapshot();
    const x = s.point[0];
    const outOfKitchen = !(x >= SANE.min && x <= SANE.max);
    this.state.diverged = s.status === 'diverged' || outOfKitchen;
    this.state.finished = this.state.diverged || s.status === 'converged' || s.step >= RUN_LIMIT;
  }

  reset() {
    this.pause();
    this.setLearningRate(this.attrs['learning-rate']);
    this.controls.lr.set(this.attrs['learning-rate']);
    this.moveTo(this.attrs.sugar);
  }

  moveTo(sugar) {
    if (!Number.isFinite(sugar)) return;
    this.lab.moveTo([sugar]);
    Object.assign(this.state, { lastStep: null, finished: false, diverged: false });
    this._changed();
  }

  setLearningRate(lr) {
    if (!(lr > 0)) return;
    this.lab.setLearningRate(lr);
    this._checkFinished();
    this._changed();
  }

  _changed() {
    const s = this.lab.snapshot();
    this.requestDraw();
    this.emit('gradlab-change', { sugar: s.point[0], loss: s.loss, slope: s.gradient[0], step: s.step,
      status: this.state.diverged ? 'diverged' : s.status });
  }

  attributeChanged() {
    this.reset();
  }

  // --- shareable state (web/widgets/share.js): start, learning rate, steps (replayed) ----------
  getState() { return walkState(this.lab); }

  setState(state) {
    const s = checkWalkState(this, state, ['sugar'], RUN_LIMIT);
    this.pause();
    this.setLearningRate(s.lr);
    this.controls.lr.set(s.lr);
    this.moveTo(s.start[0]);
    for (let i = 0; i < s.steps && !this.state.finished; i += 1) this._step();
    this._changed();
  }

  // --- drawing ------------------------------------------------------------------------------

  draw() {
    const s = this.lab.snapshot();
    const [x] = s.point;
    const [slope] = s.gradient;
    this.out.sugar.set(x);
    this.out.error.set(s.loss);
    this.out.slope.set(slope);
    this.out.steps.set(s.step);
    this.controls.sugar.set(x);
    setText(this.diverged, this.state.diverged ? DIVERGED_TEXT : '');

    const inView = x >= SHELF.min && x <= SHELF.max;
    this.chart.setPoint(inView ? x : NaN, s.loss);
    this.chart.setTangent(inView ? x : NaN, s.loss, slope, TANGENT_HALF);
    const path = this.lab.path();
    this.chart.setPath(path.map((p) => p[0]), path.map((p) => this.lab.evaluateAt(p).loss));
    this.chart.update();

    const next = stepLine('sugar', 'g', x, this.lab.lr, slope);
    setText(this.stepText, this.state.lastStep
      ? `Last step: ${this.state.lastStep}`
      : `Next step would be: ${next.text}`);
    setText(this.trail, path.length > 1
      ? `Sugar so far: ${path.slice(-12).map((p) => fmt(p[0])).join(' → ')} g`
      : `Slope ${fmt(slope)} per gram: ${slope > 0 ? 'adding sugar makes it worse, so the step removes sugar'
        : slope < 0 ? 'adding sugar helps, so the step adds sugar' : 'flat: the best amount'}.`);
    setText(this.status, this._statusText(s));
  }

  _statusText(s) {
    if (this.state.diverged) return `Stopped after ${s.step} steps: diverged.`;
    if (s.status === 'converged') return `Converged after ${s.step} steps: the slope is almost zero.`;
    if (this.looping) return `Running… ${s.step} steps.`;
    if (s.step >= RUN_LIMIT) return `Stopped after ${s.step} steps.`;
    return s.step === 0 ? 'Ready.' : `Paused after ${s.step} steps.`;
  }

  // --- public properties --------------------------------------------------------------------
  get sugar() { return this.lab?.snapshot().point[0]; }
  get loss() { return this.lab?.snapshot().loss; }
  get slope() { return this.lab?.snapshot().gradient[0]; }
  get step() { return this.lab?.snapshot().step; }
  get learningRate() { return this.lab?.lr; }
}

RecipeCurve.define();
