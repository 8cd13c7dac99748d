// <gradlab-partials-gradient>: partial derivatives and the gradient of a loss of three weights.
//
// The model is the engine's linear model with three inputs and no bias, holding one example:
//   prediction ŷ = w₁x₁ + w₂x₂ + w₃x₃,   loss L = (ŷ − y)²   (mean squared error of one row)
// With inputs (1, 2, 3), target 10 and weights (1, 1, 1): ŷ = 6, L = 16, ∇L = (−8, −16, −24).
//
// What it shows, every number from the engine:
//   - one slider per weight with its partial derivative ∂L/∂wⱼ, and "Try wⱼ − h" / "Try wⱼ + h"
//     buttons: the loss with that one weight nudged and the other two held, the change, and
//     change ÷ h next to the engine's ∂L/∂wⱼ (nothing moves: it is a "what if");
//   - the gradient length |∇L| and the loss after a step of size η against and along ∇L;
//   - a heat map of L over two chosen weights (the third held at its slider value) with a grid
//     of small gradient arrows (engine gradients; they point uphill, across the contours), the
//     current point, the gradient there (orange, uphill) and the step −η∇L (white, downhill).
//     Click or drag on the map (or focus it and use the arrow keys) to move the two weights.
//   - "Step against the gradient" moves all three weights by −η∇L; Reset.
//
// Attributes (see schema.js):
//   weights        3 numbers, default "1 1 1", each −2 … 5     starting weights w₁ w₂ w₃
//   inputs         3 numbers, default "1 2 3", each −5 … 5     the example's inputs x₁ x₂ x₃
//   target         number, default 10, −50 … 50               the example's target y
//   nudge          number, default 0.01, 0.0001 … 1           h used by the "Try" buttons
//   learning-rate  number, default 0.01, 0.0001 … 0.2         η of the gradient step
//   map            "w1-w2" | "w1-w3" | "w2-w3", default "w2-w3"   weights on the heat map axes
//
// Events:
//   gradlab-change  detail {weights: [w₁, w₂, w₃], loss, gradient: [∂₁, ∂₂, ∂₃], prediction}
//   gradlab-ready   (from the base class)
//
// Properties (read-only): weights (array of 3), loss, gradient (array of 3), prediction,
// gradientNorm, nudgeResult(j, sign) -> {loss, change, ratio} for weight j (0-based), sign ±1.

import { GradlabWidget, h, setText } from './base.js';
import { HeatmapChart, COLORS } from '../charts/index.js';
import { fmt } from './exam-math.js';

const SPAN = { min: -2, max: 5 }; // each weight's slider and map axis
const GRID = 81; // heat-map resolution (engine landscape)
const ARROWS = 8; // gradient arrows per side
const PAIRS = { 'w1-w2': [0, 1], 'w1-w3': [0, 2], 'w2-w3': [1, 2] };
const SUB = ['₁', '₂', '₃'];
const wName = (j) => `w${SUB[j]}`;
const num = (v) => fmt(v, 6);

/**
 * An arrow from (x0, y0) to (x1, y1) in pixels: the shaft, then the head as one bent stroke
 * (barb, tip, barb) of `head` px. Two pieces, not three: each piece's ends are caps the
 * rasteriser draws separately, which is most of the cost of a field of small arrows.
 */
function strokeArrow(ctx, x0, y0, x1, y1, head) {
  const len = Math.hypot(x1 - x0, y1 - y0);
  if (!(len > 0.5) || !Number.isFinite(len)) return;
  const size = Math.min(head, len * 0.5);
  const angle = Math.atan2(y1 - y0, x1 - x0);
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.moveTo(x1 - size * Math.cos(angle - 0.45), y1 - size * Math.sin(angle - 0.45));
  ctx.lineTo(x1, y1);
  ctx.lineTo(x1 - size * Math.cos(angle + 0.45), y1 - size * Math.sin(angle + 0.45));
}

/** WCAG relative luminance of an sRGB colour [r, g, b] (0 … 255). */
function luminance([r, g, b]) {
  const lin = (v) => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

const INK = '#1b1f24';
const INK_LUMINANCE = luminance([0x1b, 0x1f, 0x24]);
/** White or ink, whichever contrasts more with a background of luminance `l`. */
const arrowColor = (l) => ((1.05 / (l + 0.05)) >= ((l + 0.05) / (INK_LUMINANCE + 0.05)) ? '#ffffff' : INK);

/**
 * HeatmapChart plus a field of gradient arrows, the gradient at the point and one step.
 * Arrows are drawn on the canvas, not as Chart.js lines (with parsing off those assume data
 * sorted by x, which arrows are not). The field belongs to the picture under the point: it
 * changes with the landscape only, so it is painted with the colour image and contours and
 * kept with them (HeatmapChart's off-screen copy), and a drag that only moves the point does
 * not stroke its 64 arrows again. The two arrows at the point are drawn on every redraw.
 */
class GradientMap extends HeatmapChart {
  constructor(host, options) {
    super(host, options);
    this.field = []; // [{x, y, dx, dy}] in data units
    this.gradientArrow = null;
    this.stepArrow = null;
    this.info = null;
    this.chart.data.datasets.push({ label: 'after the step', data: [], backgroundColor: '#ffffff',
      borderColor: '#1b1f24', borderWidth: 1.5, pointRadius: 4.5, order: 1.5 });
    this.chart.config.plugins.push({ id: 'glGradientArrows', beforeDatasetsDraw: (chart) => this._drawArrows(chart) });
  }

  /**
   * Calls draw(layer) with the canvas clipped to the plot area; layer strokes arrows. `cap`: the
   * ends of the strokes, round for the few big arrows, flat ('butt', with pointed joins) for the
   * field of 64 thin ones, whose round ends were most of their raster cost and too small to see.
   */
  _arrowLayers(ctx, area, { x: sx, y: sy }, draw, cap = 'round') {
    const px = (a) => [sx.getPixelForValue(a.x), sy.getPixelForValue(a.y),
      sx.getPixelForValue(a.x + a.dx), sy.getPixelForValue(a.y + a.dy)];
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.width, area.height);
    ctx.clip();
    ctx.lineCap = cap;
    ctx.lineJoin = cap === 'round' ? 'round' : 'miter';
    draw((arrows, color, width, head) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      for (const a of arrows) strokeArrow(ctx, ...px(a), head);
      ctx.stroke();
    });
    ctx.restore();
  }

  _paintBackground(ctx, area, scales) {
    super._paintBackground(ctx, area, scales);
    // Each small arrow in white or ink, whichever stands out more from the colour under its middle
    // (at least 4:1 anywhere on the colour scale). One thin stroke per arrow: a white halo under
    // a dark line cost twice the drawing, on every frame of a drag that reshapes the landscape.
    const arrows = this.fieldColors;
    this._arrowLayers(ctx, area, scales, (layer) => {
      for (const color of ['#ffffff', INK]) layer(arrows.filter((a) => a.color === color), color, 1.6, 6);
    }, 'butt');
  }

  /** The small arrows with the colour under the middle of each and the colour it is drawn in. */
  get fieldColors() {
    return this.field.map((a) => {
      const under = this.colorAt(a.x + a.dx / 2, a.y + a.dy / 2);
      return { ...a, under, color: under ? arrowColor(luminance(under)) : '#ffffff' };
    });
  }

  _drawArrows(chart) {
    this._arrowLayers(chart.ctx, chart.chartArea, chart.scales, (layer) => {
      layer([this.gradientArrow, this.stepArrow].filter(Boolean), 'rgba(0,0,0,0.65)', 5.5, 11);
      if (this.gradientArrow) layer([this.gradientArrow], COLORS.orange, 3, 11);
      if (this.stepArrow) layer([this.stepArrow], '#ffffff', 2.5, 11);
    });
  }

  setField(arrows) {
    this.field = arrows;
    this._version += 1; // a new picture under the point
  }

  setGradient(arrow) {
    this.gradientArrow = arrow;
  }

  setStep(arrow, landing) {
    this.stepArrow = arrow;
    this.chart.data.datasets[3].data = landing ? [landing] : [];
  }

  summary() {
    let text = super.summary().slice(0, -1);
    if (this.info) {
      text += `; small dark arrows show the gradient on a grid, pointing uphill across the contour ` +
        `lines; at the current point the gradient in this plane is (${num(this.info.gx)}, ` +
        `${num(this.info.gy)}) (orange arrow, uphill) and one step against it lands at ` +
        `(${num(this.info.lx)}, ${num(this.info.ly)}) (white arrow, downhill)`;
    }
    return `${text}.`;
  }
}

export class PartialsGradient extends GradlabWidget {
  static tag = 'gradlab-partials-gradient';

  static styles = `
    .pg-weights { display: grid; gap: .6rem; }
    .pg-weight { display: grid; gap: .4rem .9rem; align-items: end; background: #fff;
      border: 1px solid #dde3ea; border-radius: 8px; padding: .5rem .7rem;
      grid-template-columns: minmax(12rem, 2fr) minmax(8rem, 1fr) auto; }
    @media (max-width: 640px) { .pg-weight { grid-template-columns: 1fr; } }
    .pg-weight .gl-readout { padding-left: .6rem; }
    .pg-try { display: flex; gap: .4rem; flex-wrap: wrap; }
    .pg-nudge { grid-column: 1 / -1; margin: 0; font-variant-numeric: tabular-nums; color: #2b323b;
      overflow-wrap: anywhere; }
    .pg-nudge:empty { display: none; }
    .pg-key { margin: 0; font-size: .92rem; color: #2b323b; }
    .pg-swatch { display: inline-block; width: 1.6em; height: .35em; vertical-align: middle;
      border: 1px solid #1b1f24; margin-right: .3em; }
    .pg-orange { background: ${COLORS.orange}; }
    .pg-white { background: #fff; }
    .pg-dark { background: #1b1f24; }
    .pg-buttons { display: flex; flex-wrap: wrap; gap: .5rem; }
    .pg-map { display: grid; gap: .5rem; max-width: 460px; }
  `;

  setup(gl) {
    const a = this.attrs;
    this.model = this.own(gl.model({ type: 'linear', inputs: 3, bias: false, loss: 'mse' }));
    this.model.setData({ x: a.inputs, y: [a.target], rows: 1 });
    this.state = { w: [...a.weights], lr: a['learning-rate'], pair: a.map, tried: [0, 0, 0] };
    this._fieldKey = '';

    this.weightRows = [0, 1, 2].map((j) => this._weightRow(j));
    this.out = {
      pred: this.readout({ label: 'Prediction ŷ', format: num }),
      loss: this.readout({ label: 'Loss L = (ŷ − y)²', format: num }),
      norm: this.readout({ label: 'Gradient length |∇L|', format: num }),
      against: this.readout({ label: 'Loss after a step against ∇L', format: num }),
      along: this.readout({ label: 'Loss after a step along ∇L', format: num }),
    };
    this.lr = this.slider({ label: 'Step size η (learning rate)', min: 0.0001, max: 0.2, scale: 'log',
      value: this.state.lr, onInput: (v) => { this.state.lr = v; this._compute(); } });
    this.pairSelect = this.select({
      label: 'Heat map over',
      options: Object.keys(PAIRS).map((key) => {
        const [i, j] = PAIRS[key];
        const held = [0, 1, 2].find((k) => k !== i && k !== j);
        return { value: key, label: `${wName(i)} and ${wName(j)} (${wName(held)} held)` };
      }),
      value: this.state.pair,
      onChange: (v) => { this.state.pair = v; this._rebuildMap(); this._compute(); },
    });
    this.mapHeading = h('h4', { class: 'gl-label' });
    this.mapHost = h('div', {});
    this.key = h('p', { class: 'pg-key' },
      h('span', { class: 'pg-swatch pg-orange' }), 'gradient at the point (uphill)  ',
      h('span', { class: 'pg-swatch pg-white' }), 'one step −η∇L (downhill)  ',
      h('span', { class: 'pg-swatch pg-dark' }), 'gradient on a grid; darker colour = lower loss');

    this.body.append(
      this.title('Three weights, one loss: change one, hold the others'),
      h('div', { class: 'pg-weights' }, ...this.weightRows.map((r) => r.element)),
      h('div', { class: 'gl-readouts' }, ...Object.values(this.out).map((r) => r.element)),
      this.row(this.lr.element),
      h('div', { class: 'pg-buttons' },
        this.button({ label: 'Step against the gradient', kind: 'primary', onClick: () => this.step() }),
        this.button({ label: 'Reset', onClick: () => this.reset() })),
      h('div', { class: 'pg-map' }, this.pairSelect.element, this.mapHeading, this.mapHost, this.key),
    );
    this._rebuildMap();
    this._compute();
  }

  _weightRow(j) {
    const slider = this.slider({ label: `Weight ${wName(j)}`, min: SPAN.min, max: SPAN.max, step: 0.05,
      value: this.state.w[j], onInput: (v) => this._setWeight(j, v) });
    const partial = this.readout({ label: `∂L/∂${wName(j)} (engine)`, format: num });
    const nudge = h('p', { class: 'pg-nudge', 'aria-live': 'polite' });
    const h0 = this.attrs.nudge;
    const tryButton = (sign) => this.button({
      label: `Try ${wName(j)} ${sign > 0 ? '+' : '−'} h`,
      title: `Loss with ${wName(j)} ${sign > 0 ? 'raised' : 'lowered'} by ${h0}, the other weights held`,
      onClick: () => { this.state.tried[j] = sign; this._compute(); },
    });
    const element = h('div', { class: 'pg-weight' }, slider.element, partial.element,
      h('div', { class: 'pg-try' }, tryButton(-1), tryButton(1)), nudge);
    return { element, slider, partial, nudge };
  }

  _setWeight(j, v) {
    this.state.w[j] = v;
    this._compute();
  }

  /** Loss with weight j moved by sign·h, the others held (engine). */
  nudgeResult(j, sign) {
    const hh = this.attrs.nudge;
    const w = [...this.state.w];
    w[j] += sign * hh;
    const loss = this.model.evaluate(w).loss;
    const change = loss - this.state.loss;
    return { loss, change, ratio: change / (sign * hh) };
  }

  _compute() {
    const s = this.state;
    this.model.setParameters(s.w);
    const { loss, gradient } = this.model.evaluate();
    s.loss = loss;
    s.grad = Array.from(gradient);
    s.pred = this.model.predict(this.attrs.inputs, 1)[0];
    s.norm = Math.hypot(...s.grad);
    const against = s.w.map((w, j) => w - s.lr * s.grad[j]);
    const along = s.w.map((w, j) => w + s.lr * s.grad[j]);
    s.against = this.model.evaluate(against).loss;
    s.along = this.model.evaluate(along).loss;
    s.nudges = s.tried.map((sign, j) => (sign ? { sign, ...this.nudgeResult(j, sign) } : null));
    this.model.setParameters(s.w); // evaluate(params) may have moved them
    this._updateField();
    this.requestDraw();
    this.emit('gradlab-change', { weights: [...s.w], loss: s.loss, gradient: [...s.grad], prediction: s.pred });
  }

  /** Landscape and arrow grid depend only on the held weight and the pair: redo when they change. */
  _updateField() {
    const s = this.state;
    const [i, j] = PAIRS[s.pair];
    const held = [0, 1, 2].find((k) => k !== i && k !== j);
    const key = `${s.pair}:${s.w[held]}`;
    // Coarser while a slider moves the held weight; a drag of another slider keeps a
    // full-resolution map that is still current.
    const n = key !== this._fieldKey ? this.gridSize(GRID) : GRID;
    if (key === this._fieldKey && n <= this.map.grid.nx) return;
    this._fieldKey = key;
    // landscape() holds every other parameter at the model's current values.
    const values = this.model.landscape({ i, j, iMin: SPAN.min, iMax: SPAN.max, jMin: SPAN.min,
      jMax: SPAN.max, nx: n, ny: n });
    this.map.setGrid(values, n, n);
    // The gradient at the centre of each of ARROWS × ARROWS cells: one engine call for all.
    const cell = (SPAN.max - SPAN.min) / ARROWS;
    const points = new Float64Array(ARROWS * ARROWS * 3);
    for (let k = 0; k < ARROWS * ARROWS; k += 1) {
      points.set(s.w, 3 * k);
      points[3 * k + i] = SPAN.min + ((k % ARROWS) + 0.5) * cell;
      points[3 * k + j] = SPAN.min + (Math.floor(k / ARROWS) + 0.5) * cell;
    }
    const out = this.model.evaluateMany(points); // per point: loss, ∂L/∂w₁, ∂L/∂w₂, ∂L/∂w₃
    const field = [];
    let biggest = 0;
    for (let k = 0; k < ARROWS * ARROWS; k += 1) {
      const gx = out[4 * k + 1 + i];
      const gy = out[4 * k + 1 + j];
      field.push({ x: points[3 * k + i], y: points[3 * k + j], gx, gy });
      biggest = Math.max(biggest, Math.hypot(gx, gy));
    }
    const arrows = [];
    for (const f of field) {
      const m = Math.hypot(f.gx, f.gy);
      if (!(m > biggest * 0.02)) continue; // on the valley floor: no visible arrow
      const len = 0.7 * cell * Math.sqrt(m / biggest);
      const dx = (f.gx / m) * len;
      const dy = (f.gy / m) * len;
      arrows.push({ x: f.x - dx / 2, y: f.y - dy / 2, dx, dy });
    }
    this.map.setField(arrows);
  }

  /** A slider has come to rest: the map at full resolution if a drag drew it coarse. */
  settled() {
    if (!this.map?.chart || !this.map.grid || this.map.grid.nx === GRID) return;
    this._updateField();
    this.requestDraw();
  }

  _rebuildMap() {
    const [i, j] = PAIRS[this.state.pair];
    if (this.map) this.release(this.map);
    this.map = this.own(new GradientMap(this.mapHost, {
      label: `Loss over ${wName(i)} and ${wName(j)}`, xLabel: wName(i), yLabel: wName(j), valueLabel: 'loss',
      xMin: SPAN.min, xMax: SPAN.max, yMin: SPAN.min, yMax: SPAN.max, contours: 12,
      onPick: (x, y) => {
        this.state.w[i] = Number(x.toFixed(2));
        this.state.w[j] = Number(y.toFixed(2));
        this._compute();
      },
    }));
    this._fieldKey = '';
  }

  /** Moves every weight by −η∇L (computed by the engine). */
  step() {
    const s = this.state;
    const next = s.w.map((w, j) => w - s.lr * s.grad[j]);
    if (!next.every(Number.isFinite)) return;
    s.w = next.map((w) => Math.min(SPAN.max, Math.max(SPAN.min, w)));
    this._compute();
  }

  reset() {
    const a = this.attrs;
    Object.assign(this.state, { w: [...a.weights], lr: a['learning-rate'], tried: [0, 0, 0] });
    this.lr.set(this.state.lr);
    if (this.state.pair !== a.map) {
      this.state.pair = a.map;
      this.pairSelect.value = a.map;
      this._rebuildMap();
    }
    this._compute();
  }

  attributeChanged(name) {
    if (name === 'inputs' || name === 'target') {
      this.model.setData({ x: this.attrs.inputs, y: [this.attrs.target], rows: 1 });
      this._fieldKey = '';
    }
    this.reset();
  }

  draw() {
    const s = this.state;
    const hh = this.attrs.nudge;
    this.weightRows.forEach((row, j) => {
      row.slider.set(s.w[j]);
      row.partial.set(s.grad[j]);
      const n = s.nudges[j];
      const others = [0, 1, 2].filter((k) => k !== j).map(wName).join(' and ');
      setText(row.nudge, n
        ? `${wName(j)} ${n.sign > 0 ? '+' : '−'} ${hh} (${others} held): loss ${num(n.loss)}, ` +
          `change ${num(n.change)}; change ÷ (${n.sign > 0 ? '' : '−'}${hh}) = ${num(n.ratio)}, ` +
          `close to ∂L/∂${wName(j)} = ${num(s.grad[j])}`
        : '');
    });
    this.out.pred.set(s.pred);
    this.out.loss.set(s.loss);
    this.out.norm.set(s.norm);
    this.out.against.set(s.against);
    this.out.along.set(s.along);

    const [i, j] = PAIRS[s.pair];
    const held = [0, 1, 2].find((k) => k !== i && k !== j);
    setText(this.mapHeading, `Loss over ${wName(i)} and ${wName(j)}, with ${wName(held)} = ` +
      `${num(s.w[held])} held — click or drag to move the point`);
    const x = s.w[i];
    const y = s.w[j];
    const gx = s.grad[i];
    const gy = s.grad[j];
    const span = SPAN.max - SPAN.min;
    const m = Math.hypot(gx, gy);
    this.map.setPoint(x, y);
    // The gradient's direction, drawn with a fixed length (it can be very long).
    this.map.setGradient(m > 0 ? { x, y, dx: (gx / m) * span * 0.16, dy: (gy / m) * span * 0.16 } : null);
    const lx = x - s.lr * gx;
    const ly = y - s.lr * gy;
    this.map.setStep(m > 0 ? { x, y, dx: lx - x, dy: ly - y } : null, { x: lx, y: ly });
    this.map.info = { gx, gy, lx, ly };
    this.map.update();
  }

  // --- public properties --------------------------------------------------------------------
  get weights() { return [...(this.state.w ?? [])]; }
  get loss() { return this.state.loss; }
  get gradient() { return [...(this.state.grad ?? [])]; }
  get prediction() { return this.state.pred; }
  get gradientNorm() { return this.state.norm; }
}

PartialsGradient.define();
