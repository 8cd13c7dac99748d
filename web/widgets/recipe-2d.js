// <gradlab-recipe-2d>: gulab jamun with two knobs, sugar (g) and soaking time (min). The engine's
// 'recipe2' function gives the taste error E(s, t); the widget shows it as a heat map seen from
// above, the gradient (∂E/∂s, ∂E/∂t) as two numbers, an arrow for the next step
// −η·∇E, and the path of gradient descent. Click or drag on the map to choose a recipe.

import { GradlabWidget, h, setText } from './base.js';
import { HeatmapChart } from '../charts/index.js';
import { RecipeLab, SteppingWidget, stepLine } from './recipe-lab.js';
import { fmt } from './exam-math.js';
import { checkWalkState, walkState } from './share.js';

const VIEW = { xMin: 0, xMax: 400, yMin: 0, yMax: 240 }; // sugar (g) × soaking time (min)
const GRID = 80;
const STEP_INTERVAL_MS = 250;
const RUN_LIMIT = 300;
const SANE = { xMin: -4000, xMax: 4400, yMin: -2400, yMax: 2640 };
const DIVERGED_TEXT =
  'Diverged — the steps grew instead of shrinking. Lower the learning rate and press Reset.';

/**
 * The arrow from p to p + d as line points in data coordinates, with a head whose size is a
 * fraction of the view (so it looks the same on both axes). NaN points break the line.
 */
export function arrowPoints([x, y], [dx, dy], view = VIEW) {
  const sx = view.xMax - view.xMin, sy = view.yMax - view.yMin;
  const ux = dx / sx, uy = dy / sy; // in view fractions
  const len = Math.hypot(ux, uy);
  if (!(len > 1e-9) || !Number.isFinite(len)) return [];
  const head = Math.min(0.035, len * 0.5);
  const bx = -ux / len, by = -uy / len; // unit vector pointing back along the shaft
  const tip = { x: x + dx, y: y + dy };
  const wing = (angle) => {
    const c = Math.cos(angle), s = Math.sin(angle);
    return { x: tip.x + (bx * c - by * s) * head * sx, y: tip.y + (bx * s + by * c) * head * sy };
  };
  return [{ x, y }, tip, { x: NaN, y: NaN }, wing(0.45), tip, wing(-0.45)];
}

export class Recipe2d extends SteppingWidget(GradlabWidget) {
  // Step / Run / Pause: SteppingWidget (recipe-lab.js) around this widget's _step().
  static stepInterval = STEP_INTERVAL_MS;

  static tag = 'gradlab-recipe-2d';

  static styles = `
    .r2-panel { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .6rem .8rem; min-width: 0; }
    .r2-panel h4 { margin: 0 0 .35rem; font-size: .95rem; }
    .r2-panel p { margin: .15rem 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .r2-buttons { display: flex; flex-wrap: wrap; gap: .5rem; }
    .r2-side { display: grid; gap: .75rem; align-content: start; min-width: 0; }
    .r2-diverged { margin: 0; padding: .6rem .8rem; border-radius: 6px; border-left: 4px solid #b00020;
      background: #fdecee; color: #5c0010; font-weight: 600; }
    .r2-diverged:empty { display: none; }
    .r2-status { margin: 0; font-weight: 600; }
    .r2-key { font-size: .9rem; color: #3d4652; }
  `;

  setup(gl) {
    const a = this.attrs;
    this.lab = this.own(new RecipeLab(gl, 'recipe2', { start: [a.sugar, a.soak], lr: a['learning-rate'], tolerance: 1e-5 }));
    this.state = { lastStep: null, finished: false, diverged: false };

    this.controls = {
      sugar: this.slider({ label: 'Sugar (g)', min: VIEW.xMin, max: VIEW.xMax, step: 1, value: a.sugar,
        onInput: (v) => this.moveTo(v, this.lab.snapshot().point[1]) }),
      soak: this.slider({ label: 'Soaking time (min)', min: VIEW.yMin, max: VIEW.yMax, step: 1, value: a.soak,
        onInput: (v) => this.moveTo(this.lab.snapshot().point[0], v) }),
      lr: this.slider({ label: 'Learning rate', min: 1, max: 5000, scale: 'log', value: a['learning-rate'],
        onInput: (v) => this.setLearningRate(v) }),
    };
    this.out = {
      sugar: this.readout({ label: 'Sugar', format: (v) => `${fmt(v)} g` }),
      soak: this.readout({ label: 'Soaking time', format: (v) => `${fmt(v)} min` }),
      error: this.readout({ label: 'Taste error E', format: fmt }),
      dS: this.readout({ label: '∂E/∂s (per gram)', format: fmt }),
      dT: this.readout({ label: '∂E/∂t (per minute)', format: fmt }),
      steps: this.readout({ label: 'Steps taken', format: (v) => String(v) }),
    };
    this.runButton = this.button({ label: 'Run', onClick: () => (this.looping ? this.pause() : this.run()) });
    this.stepSugar = h('p', {});
    this.stepSoak = h('p', {});
    this.stepHeading = h('h4', {}, 'The next step, with numbers');
    this.status = h('p', { class: 'r2-status', role: 'status' });
    this.diverged = h('p', { class: 'r2-diverged', role: 'alert' });
    const mapHost = h('div', {});

    this.body.append(
      this.title('Gulab jamun: two knobs, sugar and soaking time'),
      this.diverged,
      h('div', { class: 'gl-grid-2' },
        h('div', {}, mapHost,
          h('p', { class: 'r2-key' }, 'Darker is tastier. White line: the path of steps. Red dot: the current recipe. ' +
            'Orange arrow: the next step, −learning rate × gradient. Click or drag on the map to choose a recipe.')),
        h('div', { class: 'r2-side' },
          h('div', { class: 'gl-readouts' }, ...Object.values(this.out).map((r) => r.element)),
          h('div', { class: 'gl-controls' }, ...Object.values(this.controls).map((c) => c.element)),
          h('div', { class: 'r2-buttons' },
            this.button({ label: 'Step', kind: 'primary', onClick: () => this.stepOnce() }),
            this.runButton,
            this.button({ label: 'Reset', onClick: () => this.reset() })),
          this.status,
          h('div', { class: 'r2-panel', 'aria-live': 'polite' }, this.stepHeading, this.stepSugar, this.stepSoak))),
    );
    this.map = this.own(new HeatmapChart(mapHost, {
      label: 'Taste error over sugar and soaking time', xLabel: 'sugar (g)', yLabel: 'soaking time (min)',
      valueLabel: 'taste error', ...VIEW, onPick: (x, y) => this.moveTo(x, y),
    }));
    // The step arrow: one more line dataset on the heat map (drawn above the path).
    this.map.addDataset({ label: 'next step', type: 'line', data: [], borderColor: '#f28e2b',
      borderWidth: 3, pointRadius: 0, spanGaps: false, order: 0, sorted: false });
    const grid = this.lab.landscape(VIEW, GRID, GRID);
    this.map.setGrid(grid.values, GRID, GRID);
    this._changed();
  }

  // --- actions (stepOnce, run, pause: SteppingWidget) ----------------------------------------

  _step() {
    if (this.state.finished) return;
    const lines = this._nextStepLines();
    this.lab.run(1);
    this.state.lastStep = lines;
    this._checkFinished();
  }

  _nextStepLines() {
    const s = this.lab.snapshot();
    return [
      stepLine('sugar', 'g', s.point[0], this.lab.lr, s.gradient[0]).text,
      stepLine('soaking time', 'min', s.point[1], this.lab.lr, s.gradient[1]).text,
    ];
  }

  _checkFinished() {
    const s = this.lab.snapshot();
    const [x, y] = s.point;
    const outOfKitchen = !(x >= SANE.xMin && x <= SANE.xMax && y >= SANE.yMin && y <= SANE.yMax);
    this.state.diverged = s.status === 'diverged' || outOfKitchen;
    this.state.finished = this.state.diverged || s.status === 'converged' || s.step >= RUN_LIMIT;
  }

  reset() {
    this.pause();
    const a = this.attrs;
    this.setLearningRate(a['learning-rate']);
    this.controls.lr.set(a['learning-rate']);
    this.moveTo(a.sugar, a.soak);
  }

  moveTo(sugar, soak) {
    if (!Number.isFinite(sugar) || !Number.isFinite(soak)) return;
    this.lab.moveTo([sugar, soak]);
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
    this.emit('gradlab-change', { sugar: s.point[0], soak: s.point[1], loss: s.loss, gradient: s.gradient,
      step: s.step, status: this.state.diverged ? 'diverged' : s.status });
  }

  attributeChanged() {
    this.reset();
  }

  // --- shareable state (web/widgets/share.js): start, learning rate, steps (replayed) ----------
  getState() { return walkState(this.lab); }

  setState(state) {
    const s = checkWalkState(this, state, ['sugar', 'soak'], RUN_LIMIT);
    this.pause();
    this.setLearningRate(s.lr);
    this.controls.lr.set(s.lr);
    this.moveTo(s.start[0], s.start[1]);
    for (let i = 0; i < s.steps && !this.state.finished; i += 1) this._step();
    this._changed();
  }

  // --- drawing ------------------------------------------------------------------------------

  draw() {
    const s = this.lab.snapshot();
    const [x, y] = s.point;
    const [gs, gt] = s.gradient;
    this.out.sugar.set(x);
    this.out.soak.set(y);
    this.out.error.set(s.loss);
    this.out.dS.set(gs);
    this.out.dT.set(gt);
    this.out.steps.set(s.step);
    this.controls.sugar.set(x);
    this.controls.soak.set(y);
    setText(this.diverged, this.state.diverged ? DIVERGED_TEXT : '');

    const path = this.lab.path();
    this.map.setPath(path.map((p) => p[0]), path.map((p) => p[1]));
    this.map.setPoint(x, y);
    const arrow = this.state.finished ? [] : arrowPoints([x, y], [-this.lab.lr * gs, -this.lab.lr * gt]);
    this.map.chart.data.datasets[3].data = arrow;
    this.map.update();

    const [sugarLine, soakLine] = this.state.lastStep ?? this._nextStepLines();
    setText(this.stepHeading, this.state.lastStep ? `Step ${s.step}, with numbers` : 'The next step, with numbers');
    setText(this.stepSugar, sugarLine);
    setText(this.stepSoak, soakLine);
    setText(this.status, this._statusText(s));
  }

  _statusText(s) {
    const here = `now ${fmt(s.point[0])} g of sugar, ${fmt(s.point[1])} min of soaking`;
    if (this.state.diverged) return `Stopped after ${s.step} steps: diverged.`;
    if (s.status === 'converged') return `Converged after ${s.step} steps, ${here}.`;
    if (this.looping) return `Running… ${s.step} steps, ${here}.`;
    if (s.step >= RUN_LIMIT) return `Stopped after ${s.step} steps, ${here}.`;
    return s.step === 0 ? `Ready: ${here}.` : `Paused after ${s.step} steps, ${here}.`;
  }

  // --- public properties --------------------------------------------------------------------
  get sugar() { return this.lab?.snapshot().point[0]; }
  get soak() { return this.lab?.snapshot().point[1]; }
  get loss() { return this.lab?.snapshot().loss; }
  get gradient() { return this.lab?.snapshot().gradient; }
  get step() { return this.lab?.snapshot().step; }
  get learningRate() { return this.lab?.lr; }
}

Recipe2d.define();
