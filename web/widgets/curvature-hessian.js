// <gradlab-curvature-hessian>: second derivatives of a two-parameter loss — the Hessian at a
// point, its eigenvalues (curvatures along the principal directions), the condition number, the
// largest stable gradient-descent step 2/λmax, and a Newton step beside a gradient step.
//
// The engine gives the loss, the gradient and the Hessian H (m.hessian(point)) of its functions
// 'bowl' (½ pᵀAp, A = R diag(1, κ) Rᵀ, R the rotation by the angle), 'saddle' (x² − y²) and
// 'rosenbrock' ((1 − x)² + 100 (y − x²)²); gradient-descent runs use the engine's trainer.
// The 2 × 2 algebra is done here, in closed form:
//   eigenvalues   λ = (a + d)/2 ± √(((a − d)/2)² + b²)   for H = [[a, b], [b, d]]
//   Newton step   Δ = −H⁻¹ ∇f = −(1/det H) [[d, −b], [−b, a]] ∇f,  det H = ad − b²
//   gradient step Δ = −η ∇f
//
// Drawn on the heat map: the point (drag it, or focus the map and use the arrow keys), the two
// principal directions through it (solid: largest curvature, dashed: smallest), the gradient step
// (white arrow), the Newton step (orange arrow) and, after "Run gradient descent", the path.
//
// Attributes (see schema.js):
//   landscape      'bowl' | 'saddle' | 'rosenbrock', default 'bowl'
//   condition      number 1 … 100, default 10          κ of the bowl
//   angle          number −90 … 90 (degrees), default 30   rotation of the bowl's long axis
//   point          0 or 2 numbers, default ""          the point (empty: the landscape's start)
//   learning-rate  number 0.0001 … 2, default 0.15     η of the gradient step and of the run
//
// Events:
//   gradlab-change  detail {point, loss, gradient, hessian: [a, b, b, d], eigenvalues: [λ₁, λ₂],
//                   newtonPoint, gradientPoint, learningRate} after every change
//   gradlab-ready   (from the base class)
//
// Properties (read-only): point, loss, gradient, hessian (row-major array of 4), eigenvalues
// ([largest, smallest]), eigenvectors ([[x, y], [x, y]], unit), conditionNumber (λmax/λmin, or
// null unless both are positive), maxStableLearningRate (2/λmax, or null unless λmax > 0),
// newtonPoint (or null when H is singular), gradientPoint, learningRate, run ({status, steps,
// loss} of the last gradient-descent run, or null).

import { GradlabWidget, h, setText } from './base.js';
import { HeatmapChart, COLORS } from '../charts/index.js';
import { fmt } from './exam-math.js';

// Round-off of a step that lands exactly on a point (1e-16) is shown as 0.
const num = (v) => fmt(Math.abs(v) < 1e-12 ? 0 : v, 4);
const GRID = 90;
const RUN_STEPS = 200;

/** Eigen-decomposition of the symmetric 2 × 2 matrix [[a, b], [b, d]] (closed form). */
export function eigen2(a, b, d) {
  const mid = (a + d) / 2;
  const rad = Math.hypot((a - d) / 2, b);
  const l1 = mid + rad;
  const l2 = mid - rad;
  let v1;
  if (Math.abs(b) > 1e-12 * (Math.abs(a) + Math.abs(d) + 1)) {
    const x = l1 - d;
    const n = Math.hypot(x, b);
    v1 = [x / n, b / n];
  } else {
    v1 = a >= d ? [1, 0] : [0, 1];
  }
  const v2 = [-v1[1], v1[0]];
  return { values: [l1, l2], vectors: [v1, v2] };
}

/** −H⁻¹ g for H = [[a, b], [b, d]], or null when H is (nearly) singular. */
export function newtonStep(a, b, d, g) {
  const det = a * d - b * b;
  const scale = Math.max(Math.abs(a), Math.abs(d), Math.abs(b), 1e-300);
  if (!(Math.abs(det) > 1e-12 * scale * scale)) return null;
  return [-(d * g[0] - b * g[1]) / det, -(-b * g[0] + a * g[1]) / det];
}

function strokeArrow(ctx, x0, y0, x1, y1, head) {
  const len = Math.hypot(x1 - x0, y1 - y0);
  if (!(len > 0.5) || !Number.isFinite(len)) return;
  const size = Math.min(head, len * 0.5);
  const angle = Math.atan2(y1 - y0, x1 - x0);
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  for (const side of [-0.45, 0.45]) {
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - size * Math.cos(angle + side), y1 - size * Math.sin(angle + side));
  }
}

/** Heat map + principal axes, two step arrows and a descent path, drawn on the canvas. */
class CurvatureMap extends HeatmapChart {
  constructor(host, options) {
    super(host, options);
    this.axes = null; // {x, y, v1, v2, half}
    this.gradStep = null; // {x, y, dx, dy}
    this.newton = null;
    this.run = null; // Float64Array [x0, y0, x1, y1, ...]
    this.info = '';
    this.chart.config.plugins.push({ id: 'glCurvature', afterDatasetsDraw: (chart) => this._drawExtras(chart) });
  }

  _drawExtras(chart) {
    const { ctx, chartArea: area, scales: { x: sx, y: sy } } = chart;
    const P = (x, y) => [sx.getPixelForValue(x), sy.getPixelForValue(y)];
    const { xMin, xMax, yMin, yMax } = this.extent;
    const far = 10 * Math.max(xMax - xMin, yMax - yMin);
    const ok = (x, y) => Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) < far && Math.abs(y) < far;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.width, area.height);
    ctx.clip();
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    if (this.run && this.run.length >= 4) {
      ctx.beginPath();
      for (let k = 0; k < this.run.length / 2; k += 1) {
        const x = this.run[2 * k];
        const y = this.run[2 * k + 1];
        if (!ok(x, y)) break;
        const [px, py] = P(x, y);
        if (k === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      }
      ctx.strokeStyle = 'rgba(0,0,0,0.6)';
      ctx.lineWidth = 4;
      ctx.stroke();
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1.6;
      ctx.stroke();
    }
    if (this.axes) {
      const { x, y, v1, v2, half } = this.axes;
      const seg = (v, dash, color) => {
        const [x0, y0] = P(x - v[0] * half, y - v[1] * half);
        const [x1, y1] = P(x + v[0] * half, y + v[1] * half);
        ctx.setLineDash(dash);
        ctx.beginPath();
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        ctx.strokeStyle = 'rgba(255,255,255,0.9)';
        ctx.lineWidth = 5;
        ctx.stroke();
        ctx.strokeStyle = color;
        ctx.lineWidth = 2.5;
        ctx.stroke();
      };
      seg(v1, [], COLORS.purple);
      seg(v2, [7, 5], COLORS.green);
      ctx.setLineDash([]);
    }
    const arrow = (a, color) => {
      if (!a || !ok(a.x + a.dx, a.y + a.dy)) return;
      const [x0, y0] = P(a.x, a.y);
      const [x1, y1] = P(a.x + a.dx, a.y + a.dy);
      ctx.beginPath();
      strokeArrow(ctx, x0, y0, x1, y1, 12);
      ctx.strokeStyle = 'rgba(0,0,0,0.7)';
      ctx.lineWidth = 6;
      ctx.stroke();
      ctx.strokeStyle = color;
      ctx.lineWidth = 3;
      ctx.stroke();
    };
    arrow(this.gradStep, '#ffffff');
    arrow(this.newton, COLORS.orange);
    ctx.restore();
  }

  summary() {
    const text = super.summary().slice(0, -1);
    return `${text}${this.info ? `; ${this.info}` : ''}.`;
  }

  table() {
    const rows = [];
    if (this.run) {
      const n = this.run.length / 2;
      const step = Math.max(1, Math.ceil(n / 20));
      for (let k = 0; k < n; k += step) rows.push([k, this.run[2 * k], this.run[2 * k + 1]]);
    }
    return { columns: ['gradient-descent step', 'x', 'y'], rows };
  }
}

export class CurvatureHessian extends GradlabWidget {
  static tag = 'gradlab-curvature-hessian';

  static styles = `
    .ch-top { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 19rem), 1fr)); }
    .ch-panel { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .6rem .8rem;
      display: grid; gap: .5rem; align-content: start; min-width: 0; }
    .ch-panel h4 { margin: 0; font-size: .95rem; }
    .ch-matrix { border-collapse: separate; border-spacing: .6rem .15rem; font-variant-numeric: tabular-nums;
      border-left: 2px solid #1b1f24; border-right: 2px solid #1b1f24; border-radius: 4px; }
    .ch-matrix td { text-align: right; min-width: 4.5rem; }
    .ch-line { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .ch-kind { margin: 0; font-weight: 600; }
    .ch-warn { margin: 0; padding: .5rem .7rem; border-radius: 6px; border-left: 4px solid #9a6400;
      background: #fff4dc; }
    .ch-warn:empty { display: none; }
    .ch-key { margin: 0; font-size: .92rem; }
    .ch-swatch { display: inline-block; width: 1.8em; height: .4em; vertical-align: middle;
      border: 1px solid #1b1f24; margin: 0 .3em 0 .6em; }
    .ch-white { background: #fff; }
    .ch-orange { background: ${COLORS.orange}; }
    .ch-purple { background: ${COLORS.purple}; }
    .ch-green { background: repeating-linear-gradient(90deg, ${COLORS.green} 0 5px, #fff 5px 8px); }
    .ch-buttons { display: flex; flex-wrap: wrap; gap: .5rem; }
    .ch-run { margin: 0; font-weight: 600; }
    .ch-run:empty { display: none; }
  `;

  setup(gl) {
    this.gl = gl;
    this.state = { run: null };
    this.landscapeSelect = this.select({
      label: 'Loss surface',
      options: [
        { value: 'bowl', label: 'Stretched bowl (condition κ, angle)' },
        { value: 'saddle', label: 'Saddle x² − y²' },
        { value: 'rosenbrock', label: 'Rosenbrock’s curved valley' },
      ],
      value: this.attrs.landscape,
      onChange: (v) => { this.state.landscape = v; this.state.point = null; this._rebuild(); },
    });
    this.conditionSlider = this.slider({ label: 'Condition number κ', min: 1, max: 100, step: 1,
      value: this.attrs.condition, onInput: () => this._rebuild() });
    this.angleSlider = this.slider({ label: 'Angle of the long axis (degrees)', min: -90, max: 90, step: 1,
      value: this.attrs.angle, onInput: () => this._rebuild() });
    this.xSlider = this.slider({ label: 'Point x', min: -3, max: 3, step: 0.01, value: 0,
      onInput: (v) => this.moveTo([v, this.state.point[1]]) });
    this.ySlider = this.slider({ label: 'Point y', min: -3, max: 3, step: 0.01, value: 0,
      onInput: (v) => this.moveTo([this.state.point[0], v]) });
    this.lrSlider = this.slider({ label: 'Learning rate η (log scale)', min: 0.0001, max: 2, scale: 'log',
      value: this.attrs['learning-rate'], onInput: (v) => { this.state.lr = v; this.state.run = null; this._compute(); } });

    this.cells = [h('td', {}), h('td', {}), h('td', {}), h('td', {})];
    this.out = {
      loss: this.readout({ label: 'Loss f(x, y)', format: num }),
      grad: this.readout({ label: 'Gradient ∇f' }),
      l1: this.readout({ label: 'Largest curvature λ₁', format: num }),
      l2: this.readout({ label: 'Smallest curvature λ₂', format: num }),
      kappa: this.readout({ label: 'Condition number λ₁/λ₂' }),
      limit: this.readout({ label: 'Largest stable η = 2/λ₁' }),
    };
    this.kind = h('p', { class: 'ch-kind', 'aria-live': 'polite' });
    this.vectors = h('p', { class: 'ch-line' });
    this.gradLine = h('p', { class: 'ch-line' });
    this.newtonLine = h('p', { class: 'ch-line' });
    this.warn = h('p', { class: 'ch-warn', role: 'note' });
    this.runLine = h('p', { class: 'ch-run', role: 'status' });
    this.mapHeading = h('h4', { class: 'gl-label' });
    this.mapHost = h('div', {});

    this.body.append(
      this.title('Curvature at a point: the Hessian, its eigenvalues and a Newton step'),
      this.row(this.landscapeSelect.element, this.conditionSlider.element, this.angleSlider.element),
      h('div', { class: 'ch-top' },
        h('div', {}, this.mapHeading, this.mapHost,
          h('p', { class: 'ch-key' },
            h('span', { class: 'ch-swatch ch-white' }), 'gradient step −η∇f',
            h('span', { class: 'ch-swatch ch-orange' }), 'Newton step −H⁻¹∇f',
            h('span', { class: 'ch-swatch ch-purple' }), 'direction of λ₁ (solid)',
            h('span', { class: 'ch-swatch ch-green' }), 'direction of λ₂ (dashed)')),
        h('div', { class: 'ch-panel' },
          h('h4', {}, 'Hessian H at the point (engine)'),
          h('table', { class: 'ch-matrix', 'aria-label': 'Hessian matrix, 2 rows by 2 columns' },
            h('tbody', {},
              h('tr', {}, this.cells[0], this.cells[1]),
              h('tr', {}, this.cells[2], this.cells[3]))),
          h('div', { class: 'gl-readouts' }, ...Object.values(this.out).map((r) => r.element)),
          this.kind, this.vectors, this.gradLine, this.newtonLine, this.warn)),
      this.row(this.xSlider.element, this.ySlider.element),
      this.row(this.lrSlider.element),
      h('div', { class: 'ch-buttons' },
        this.button({ label: 'Set η = 1/λ₁', onClick: () => this.setRate(1) }),
        this.button({ label: 'Set η = 2/λ₁ (the edge)', onClick: () => this.setRate(2) }),
        this.button({ label: 'Take the gradient step', onClick: () => this.takeGradientStep() }),
        this.button({ label: 'Take the Newton step', onClick: () => this.takeNewtonStep() }),
        this.button({ label: `Run gradient descent (${RUN_STEPS} steps)`, kind: 'primary', onClick: () => this.runDescent() }),
        this.button({ label: 'Reset', onClick: () => this.reset() })),
      this.runLine,
    );
    this.reset();
  }

  _params() {
    if (this.state.landscape !== 'bowl') return {};
    return { condition: this.conditionSlider.value, angle: (this.angleSlider.value * Math.PI) / 180 };
  }

  /** New engine function for the current surface; keeps the point when it is still in view. */
  _rebuild() {
    const bowl = this.state.landscape === 'bowl';
    this.conditionSlider.disabled = !bowl;
    this.angleSlider.disabled = !bowl;
    if (this.model) this.release(this.model);
    this.model = this.own(this.gl.model({ type: 'function', name: this.state.landscape, ...this._params() }));
    const info = this.model.info();
    const v = info.view;
    this.view = { xMin: v.xMin, xMax: v.xMax, yMin: v.yMin, yMax: v.yMax };
    const p = this.state.point;
    if (!p || p[0] < v.xMin || p[0] > v.xMax || p[1] < v.yMin || p[1] > v.yMax) this.state.point = Array.from(info.start);
    // One chart for the widget's life: a slider move re-points it instead of rebuilding it.
    const label = `Loss surface: ${info.formula}`;
    const colorScale = this.state.landscape === 'saddle' ? 'linear' : 'log';
    if (!this.map?.chart) { // none yet, or destroyed when the widget was disconnected
      this.map = this.own(new CurvatureMap(this.mapHost, {
        label, xLabel: 'x', yLabel: 'y', valueLabel: 'loss', ...this.view, contours: 14, colorScale,
        onPick: (x, y) => this.moveTo([Number(x.toFixed(2)), Number(y.toFixed(2))]),
      }));
    } else {
      this.map.setLabels({ label });
      this.map.setColorScale(colorScale);
      this.map.setExtent(this.view);
    }
    this._setMapGrid(this.gridSize(GRID)); // coarser while the condition or angle slider moves
    this.state.run = null;
    this._compute();
  }

  _setMapGrid(n) {
    const v = this.view;
    this.map.setGrid(this.model.landscape({ i: 0, j: 1, iMin: v.xMin, iMax: v.xMax, jMin: v.yMin, jMax: v.yMax,
      nx: n, ny: n }), n, n);
  }

  /** A slider has come to rest: the map at full resolution if a drag drew it coarse. */
  settled() {
    if (!this.map?.chart || !this.model || this.map.grid?.nx === GRID) return;
    this._setMapGrid(GRID);
    this.requestDraw();
  }

  _clampPoint([x, y]) {
    const v = this.view;
    return [Math.min(v.xMax, Math.max(v.xMin, x)), Math.min(v.yMax, Math.max(v.yMin, y))];
  }

  moveTo(point) {
    if (!point.every(Number.isFinite)) return;
    this.state.point = this._clampPoint(point);
    this.state.run = null;
    this._compute();
  }

  setRate(factor) {
    const l1 = this.state.eig.values[0];
    if (!(l1 > 0)) {
      this.notify('The largest curvature is not positive here, so there is no step-size limit to use.', { key: 'rate' });
      return;
    }
    this.clearNotice('rate');
    const lr = Math.min(2, Math.max(0.0001, factor / l1));
    this.state.lr = lr;
    this.lrSlider.set(lr);
    this.state.run = null;
    this._compute();
  }

  takeGradientStep() {
    const s = this.state;
    this.moveTo([s.point[0] - s.lr * s.grad[0], s.point[1] - s.lr * s.grad[1]]);
  }

  takeNewtonStep() {
    const s = this.state;
    if (!s.newton) return;
    this.moveTo([s.point[0] + s.newton[0], s.point[1] + s.newton[1]]);
  }

  /** Gradient descent from the point with the engine's trainer (plain SGD, learning rate η). */
  runDescent() {
    const s = this.state;
    const model = this.gl.model({ type: 'function', name: s.landscape, ...this._params() });
    let trainer = null;
    try {
      model.setParameters(s.point);
      trainer = this.gl.trainer(model, { type: 'sgd', lr: s.lr },
        { batchSize: 0, tolerance: 1e-6, divergenceFactor: 1e6 });
      trainer.run(RUN_STEPS);
      s.run = { status: trainer.status, steps: trainer.steps, loss: trainer.loss, path: trainer.trajectory(),
        end: Array.from(trainer.parameters()) };
    } finally {
      trainer?.delete();
      model.delete();
    }
    this.requestDraw();
    this._emit();
  }

  reset() {
    const a = this.attrs;
    this.state.landscape = a.landscape;
    this.landscapeSelect.value = a.landscape;
    this.conditionSlider.set(a.condition);
    this.angleSlider.set(a.angle);
    this.state.lr = a['learning-rate'];
    this.lrSlider.set(a['learning-rate']);
    this.state.point = a.point.length === 2 ? [...a.point] : null;
    this.clearNotice('rate');
    this._rebuild();
  }

  attributeChanged() {
    this.reset();
  }

  _compute() {
    const s = this.state;
    const { loss, gradient } = this.model.evaluate(s.point);
    const H = Array.from(this.model.hessian(s.point));
    s.loss = loss;
    s.grad = Array.from(gradient);
    s.H = H;
    s.eig = eigen2(H[0], H[1], H[3]);
    s.newton = newtonStep(H[0], H[1], H[3], s.grad);
    s.newtonPoint = s.newton ? [s.point[0] + s.newton[0], s.point[1] + s.newton[1]] : null;
    s.newtonLoss = s.newtonPoint ? this.model.evaluate(s.newtonPoint).loss : NaN;
    s.gradPoint = [s.point[0] - s.lr * s.grad[0], s.point[1] - s.lr * s.grad[1]];
    s.gradLoss = this.model.evaluate(s.gradPoint).loss;
    this.requestDraw();
    this._emit();
  }

  _emit() {
    const s = this.state;
    this.emit('gradlab-change', { point: [...s.point], loss: s.loss, gradient: [...s.grad], hessian: [...s.H],
      eigenvalues: [...s.eig.values], newtonPoint: s.newtonPoint && [...s.newtonPoint],
      gradientPoint: [...s.gradPoint], learningRate: s.lr });
  }

  get conditionNumber() {
    const [l1, l2] = this.state.eig?.values ?? [NaN, NaN];
    return l1 > 0 && l2 > 0 ? l1 / l2 : null;
  }

  get maxStableLearningRate() {
    const l1 = this.state.eig?.values[0];
    return l1 > 0 ? 2 / l1 : null;
  }

  draw() {
    const s = this.state;
    const [l1, l2] = s.eig.values;
    const [v1, v2] = s.eig.vectors;
    const pt = `(${num(s.point[0])}, ${num(s.point[1])})`;
    setText(this.mapHeading, `Loss around the point ${pt} — click or drag to move it`);
    this.xSlider.set(s.point[0]);
    this.ySlider.set(s.point[1]);
    this.cells.forEach((c, i) => setText(c, num(s.H[i])));
    this.out.loss.set(s.loss);
    this.out.grad.text(`(${num(s.grad[0])}, ${num(s.grad[1])})`);
    this.out.l1.set(l1);
    this.out.l2.set(l2);
    const kappa = this.conditionNumber;
    this.out.kappa.text(kappa === null ? 'none (a curvature ≤ 0)' : num(kappa));
    const limit = this.maxStableLearningRate;
    if (limit === null) this.out.limit.text('none (no upward curve)');
    else if (l2 < 0) this.out.limit.text(`${num(limit)} along λ₁ only (along λ₂ steps always move away)`);
    else this.out.limit.text(num(limit));

    let kind;
    if (l1 > 0 && l2 > 0) kind = 'Both curvatures are positive: the surface bends up in every direction here (bowl-shaped).';
    else if (l1 < 0 && l2 < 0) kind = 'Both curvatures are negative: the surface bends down in every direction here (dome-shaped).';
    else if (l1 > 0 && l2 < 0) kind = 'One curvature is positive and one negative: the surface is saddle-shaped here — up along one direction, down along the other.';
    else kind = 'One curvature is zero: the surface is flat along one direction here.';
    setText(this.kind, kind);
    setText(this.vectors, `Principal directions: λ₁ = ${num(l1)} along (${num(v1[0])}, ${num(v1[1])}); ` +
      `λ₂ = ${num(l2)} along (${num(v2[0])}, ${num(v2[1])}).`);
    setText(this.gradLine, `Gradient step with η = ${num(s.lr)}: to (${num(s.gradPoint[0])}, ${num(s.gradPoint[1])}), ` +
      `loss ${num(s.gradLoss)}.`);
    setText(this.newtonLine, s.newtonPoint
      ? `Newton step −H⁻¹∇f = (${num(s.newton[0])}, ${num(s.newton[1])}): to (${num(s.newtonPoint[0])}, ` +
        `${num(s.newtonPoint[1])}), loss ${num(s.newtonLoss)}.`
      : 'Newton step: none — H cannot be inverted here (a zero curvature).');
    setText(this.warn, l2 < 0 && s.newtonPoint
      ? (s.newtonLoss > s.loss
        ? 'Careful: H has a negative eigenvalue, and the Newton step goes uphill. Newton’s method looks for a ' +
          'point where the gradient is zero — here the saddle point — not for a minimum.'
        : 'H has a negative eigenvalue: Newton’s method heads for the nearest point where the gradient is zero, ' +
          'which need not be a minimum (on the saddle it is the saddle point itself).')
      : '');
    if (s.run) {
      const r = s.run;
      const what = { converged: `converged after ${r.steps} steps`, diverged: `diverged after ${r.steps} steps (the loss blew up)`,
        running: `still going after ${r.steps} steps`, 'max-steps': `still going after ${r.steps} steps` }[r.status] ?? r.status;
      const rel = limit === null ? '' : (s.lr < limit ? ` (η = ${num(s.lr)} is below 2/λ₁ = ${num(limit)})`
        : ` (η = ${num(s.lr)} is at or above 2/λ₁ = ${num(limit)})`);
      setText(this.runLine, `Gradient descent from ${pt}: ${what}, loss ${num(r.loss)}${rel}.`);
    } else {
      setText(this.runLine, '');
    }

    const span = Math.min(this.view.xMax - this.view.xMin, this.view.yMax - this.view.yMin);
    this.map.setPoint(s.point[0], s.point[1]);
    this.map.axes = { x: s.point[0], y: s.point[1], v1, v2, half: span * 0.14 };
    this.map.gradStep = { x: s.point[0], y: s.point[1], dx: s.gradPoint[0] - s.point[0], dy: s.gradPoint[1] - s.point[1] };
    this.map.newton = s.newton ? { x: s.point[0], y: s.point[1], dx: s.newton[0], dy: s.newton[1] } : null;
    this.map.run = s.run ? s.run.path : null;
    this.map.info = `Hessian [[${num(s.H[0])}, ${num(s.H[1])}], [${num(s.H[2])}, ${num(s.H[3])}]], eigenvalues ` +
      `${num(l1)} and ${num(l2)}; the white arrow is the gradient step to (${num(s.gradPoint[0])}, ${num(s.gradPoint[1])})` +
      (s.newtonPoint ? `; the orange arrow is the Newton step to (${num(s.newtonPoint[0])}, ${num(s.newtonPoint[1])})` : '');
    this.map.update();
  }

  // --- public properties --------------------------------------------------------------------
  get point() { return this.state.point ? [...this.state.point] : []; }
  get loss() { return this.state.loss; }
  get gradient() { return [...(this.state.grad ?? [])]; }
  get hessian() { return [...(this.state.H ?? [])]; }
  get eigenvalues() { return this.state.eig ? [...this.state.eig.values] : []; }
  get eigenvectors() { return this.state.eig ? this.state.eig.vectors.map((v) => [...v]) : []; }
  get newtonPoint() { return this.state.newtonPoint ? [...this.state.newtonPoint] : null; }
  get gradientPoint() { return this.state.gradPoint ? [...this.state.gradPoint] : []; }
  get learningRate() { return this.state.lr; }
  get run() {
    const r = this.state.run;
    return r ? { status: r.status, steps: r.steps, loss: r.loss, end: [...r.end] } : null;
  }
}

CurvatureHessian.define();
