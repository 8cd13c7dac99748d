// <gradlab-chain-graph>: the chain rule on one neuron, as a computational graph.
//
// The engine's Graph holds   z = W·X,   y = σ(z),   Loss = 1 − y   (W and X are input leaves).
// Every change of W or X does setValue + forward + backward, and the widget draws the graph as
// SVG: each node shows its forward value and ∂Loss/∂(node) from the backward pass; each arrow
// shows its local derivative
//   ∂Loss/∂y = −1,   ∂y/∂z = y(1 − y),   ∂z/∂W = X,   ∂z/∂X = W,
// and a line multiplies the chain out: ∂Loss/∂W = (−1) · y(1 − y) · X, next to the engine's value.
// At W = 0.5, X = 2: z = 1, y = 0.731059, Loss = 0.268941, y(1 − y) = 0.196612, ∂Loss/∂W = −0.393224.
//
// Also: a gradient check (central difference (Loss(W + h) − Loss(W − h)) / 2h computed by moving
// W in the engine graph, its relative error against the chain rule, and the engine's own
// gradcheck of both leaves); "Take a step" W ← W − α · ∂Loss/∂W with the arithmetic and the loss
// before and after; a chart of Loss against W (X held) with the tangent at W and the steps taken.
//
// Attributes (see schema.js):
//   w              number, default 0.5, −4 … 4       the weight W
//   x              number, default 2, −4 … 4         the input X
//   learning-rate  number, default 0.1, 0.001 … 10   α of "Take a step"
//   h              number, default 0.0001, 0.000001 … 0.1   step of the finite difference
//
// Controls: W and X sliders (+ number boxes), learning-rate slider (log scale), finite-difference
// step h (log scale), "Take a step", Reset (back to the attributes).
//
// Events:
//   gradlab-change  detail {w, x, z, y, loss, gradient, gradientX, finiteDifference,
//                   relativeError} after every change
//   gradlab-ready   (from the base class)
//
// Properties (read-only): w, x, z, y, loss, gradient (∂Loss/∂W from the engine's backward pass),
// gradientX (∂Loss/∂X), local ({dLdy, dydz, dzdW, dzdX}), chainProduct (the three local factors
// multiplied), finiteDifference, relativeError, gradcheck ({maxRelError, ok} of the engine),
// steps (array of W values visited by "Take a step", starting with the first W).

import { GradlabWidget, h, morph, setText } from './base.js';
import { CurveChart } from '../charts/index.js';
import { fmt, fmtFactor } from './exam-math.js';

const num = (v) => fmt(v, 6);
const SPAN = { min: -4, max: 4 };
const SVG_NS = 'http://www.w3.org/2000/svg';
const BOX = { w: 150, h: 120 };
// Two drawings of the same graph: left to right on wide screens, top to bottom on narrow ones.
// nodes: box centres; edges: [x0, y0, x1, y1]; labels: centre of each arrow's two text lines.
const LAYOUTS = {
  wide: {
    viewBox: '0 0 850 355',
    nodes: { W: [85, 72], X: [85, 262], z: [345, 167], y: [545, 167], L: [760, 167] },
    edges: { W: [160, 92, 268, 145], X: [160, 242, 268, 189], z: [420, 167, 468, 167], y: [620, 167, 683, 167] },
    labels: { W: [212, 66], X: [212, 270], z: [445, 78], y: [652, 78] },
    key: [[425, 348, 'Arrows run forward. Orange: the backward pass (each arrow\'s local slope, ∂Loss/∂node in each box).']],
  },
  narrow: {
    viewBox: '0 0 420 760',
    nodes: { W: [95, 70], X: [325, 70], z: [210, 275], y: [210, 460], L: [210, 645] },
    edges: { W: [110, 130, 188, 213], X: [310, 130, 232, 213], z: [210, 335, 210, 398], y: [210, 520, 210, 583] },
    labels: { W: [62, 178], X: [358, 178], z: [318, 362], y: [300, 547] },
    key: [[210, 728, 'Arrows run forward.'], [210, 750, 'Orange: the backward pass.']],
  },
};
const NARROW_BELOW = 560; // px of figure width

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export class ChainGraph extends GradlabWidget {
  static tag = 'gradlab-chain-graph';

  static styles = `
    .cg-figure { margin: 0; background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .4rem; }
    .cg-figure svg { display: block; width: 100%; height: auto; }
    .cg-node rect { fill: #f7f9fc; stroke: #5b6675; stroke-width: 1.5; }
    .cg-node.cg-leaf rect { fill: #eef4fc; stroke: #1f5fbf; }
    .cg-node.cg-root rect { fill: #fff4dc; stroke: #9a6400; }
    .cg-name { font: 600 19px system-ui, sans-serif; fill: #1b1f24; }
    .cg-value { font: 17px system-ui, sans-serif; fill: #1b1f24; }
    .cg-grad { font: 600 17px system-ui, sans-serif; fill: #a34700; }
    .cg-edge { stroke: #5b6675; stroke-width: 2; fill: none; }
    .cg-arrowhead { fill: #5b6675; }
    .cg-local { font: 600 16px system-ui, sans-serif; fill: #a34700; }
    .cg-key { font: 15px system-ui, sans-serif; fill: #3d4652; }
    .cg-chain { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .cg-chain strong { color: #8a3a00; }
    .cg-panel { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .6rem .8rem; min-width: 0;
      display: grid; gap: .5rem; }
    .cg-panel h4 { margin: 0; font-size: .98rem; }
    .cg-panel p { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .cg-ok { color: #1d6b34; font-weight: 600; }
    .cg-bad { color: #b00020; font-weight: 600; }
    .cg-buttons { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
    th, td { padding: .15rem .55rem; text-align: right; border-bottom: 1px solid #e3e8ee; }
    th { font-weight: 600; font-size: .9rem; }
    th[scope=row] { text-align: left; }
    .cg-table { overflow-x: auto; }
  `;

  setup(gl) {
    const a = this.attrs;
    const g = this.own(gl.graph());
    this.graph = g;
    this.ids = {};
    this.ids.W = g.input('W', a.w);
    this.ids.X = g.input('X', a.x);
    this.ids.z = g.op('mul', [this.ids.W, this.ids.X]);
    this.ids.y = g.op('sigmoid', this.ids.z);
    this.ids.one = g.constant(1, undefined, 'one');
    this.ids.L = g.op('sub', [this.ids.one, this.ids.y]);
    this.state = { w: a.w, x: a.x, steps: [a.w], lastStep: null };

    this.wSlider = this.slider({ label: 'Weight W', min: SPAN.min, max: SPAN.max, step: 0.05, value: a.w,
      onInput: (v) => this._set({ w: v }) });
    this.xSlider = this.slider({ label: 'Input X', min: SPAN.min, max: SPAN.max, step: 0.05, value: a.x,
      onInput: (v) => this._set({ x: v }) });
    this.lrSlider = this.slider({ label: 'Learning rate α (log scale)', min: 0.001, max: 10, scale: 'log',
      value: a['learning-rate'], onInput: () => this.requestDraw() });
    this.hSlider = this.slider({ label: 'Finite-difference step h (log scale)', min: 0.000001, max: 0.1, scale: 'log',
      value: a.h, onInput: () => this._compute() });

    this.svg = this._buildSvg('wide');
    this.chainLine = h('p', { class: 'cg-chain', 'aria-live': 'polite' });
    this.out = {
      loss: this.readout({ label: 'Loss = 1 − y', format: num }),
      grad: this.readout({ label: '∂Loss/∂W (engine backward)', format: num }),
      fd: this.readout({ label: 'Central difference', format: num }),
      rel: this.readout({ label: 'Relative error', format: (v) => (v === 0 ? '0' : v.toExponential(2)) }),
    };
    this.checkText = h('p', {});
    this.engineCheck = h('p', {});
    this.stepText = h('p', { 'aria-live': 'polite' });
    this.tableBody = h('tbody', {});
    const chartHost = h('div', {});

    this.body.append(
      this.title('One neuron: z = W·X, y = σ(z), Loss = 1 − y'),
      this.figure = h('figure', { class: 'cg-figure' }, this.svg),
      this.chainLine,
      this.row(this.wSlider.element, this.xSlider.element),
      h('div', { class: 'gl-grid-2' },
        h('section', { class: 'cg-panel', 'aria-label': 'Gradient check' },
          h('h4', {}, 'Gradient check: chain rule against a finite difference'),
          h('div', { class: 'gl-readouts' }, this.out.grad.element, this.out.fd.element, this.out.rel.element),
          this.checkText, this.engineCheck, this.hSlider.element),
        h('section', { class: 'cg-panel', 'aria-label': 'Take a step' },
          h('h4', {}, 'Take a step: W ← W − α · ∂Loss/∂W'),
          h('div', { class: 'gl-readouts' }, this.out.loss.element),
          this.lrSlider.element,
          h('div', { class: 'cg-buttons' },
            this.button({ label: 'Take a step', kind: 'primary', onClick: () => this.step() }),
            this.button({ label: 'Reset', onClick: () => this.reset() })),
          this.stepText)),
      h('div', { class: 'gl-grid-2' },
        h('div', { class: 'cg-table' }, h('table', {},
          h('caption', {}, 'Forward values and backward partials (engine)'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'node'), h('th', { scope: 'col' }, 'value'),
            h('th', { scope: 'col' }, '∂Loss/∂node'))),
          this.tableBody)),
        h('div', {}, h('h4', { class: 'gl-label' }, 'Loss against W (X held), with the tangent at W'), chartHost)),
    );
    this.chart = this.own(new CurveChart(chartHost, {
      label: 'Loss = 1 − σ(W·X) against W', xLabel: 'W', yLabel: 'Loss', xMin: SPAN.min, xMax: SPAN.max,
      yMin: 0, yMax: 1, curveLabel: 'Loss',
    }));
    this._curveX = NaN;
    if (typeof ResizeObserver === 'function') {
      const observer = new ResizeObserver((entries) => this._fitLayout(entries[entries.length - 1].contentRect.width));
      observer.observe(this.figure);
      this.own(() => observer.disconnect());
    }
    this._fitLayout(this.figure.getBoundingClientRect().width);
    this._compute();
  }

  // --- the SVG ------------------------------------------------------------------------------

  _buildSvg(layout) {
    const L = LAYOUTS[layout];
    const root = svg('svg', { viewBox: L.viewBox, role: 'img', 'aria-labelledby': 'cg-svg-title' });
    this.svgTitle = svg('title', { id: 'cg-svg-title' });
    root.append(this.svgTitle);
    const defs = svg('defs');
    const marker = svg('marker', { id: 'cg-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7,
      markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'cg-arrowhead' }));
    defs.append(marker);
    root.append(defs);
    for (const [x1, y1, x2, y2] of Object.values(L.edges)) {
      root.append(svg('line', { x1, y1, x2, y2, class: 'cg-edge', 'marker-end': 'url(#cg-arrow)' }));
    }
    // Local derivatives: two lines of text per arrow.
    this.localText = {};
    for (const [key, [x, y]] of Object.entries(L.labels)) {
      const t1 = svg('text', { x, y, 'text-anchor': 'middle', class: 'cg-local' });
      const t2 = svg('text', { x, y: y + 19, 'text-anchor': 'middle', class: 'cg-local' });
      root.append(t1, t2);
      this.localText[key] = [t1, t2];
    }
    this.nodeText = {};
    const node = (key, title, kind) => {
      const [x, y] = L.nodes[key];
      const group = svg('g', { class: `cg-node ${kind}` });
      group.append(svg('rect', { x: x - BOX.w / 2, y: y - BOX.h / 2, width: BOX.w, height: BOX.h, rx: 10 }));
      group.append(svg('text', { x, y: y - 32, 'text-anchor': 'middle', class: 'cg-name' }, title));
      const value = svg('text', { x, y: y - 8, 'text-anchor': 'middle', class: 'cg-value' });
      const gradName = svg('text', { x, y: y + 22, 'text-anchor': 'middle', class: 'cg-grad' });
      const grad = svg('text', { x, y: y + 44, 'text-anchor': 'middle', class: 'cg-grad' });
      group.append(value, gradName, grad);
      root.append(group);
      this.nodeText[key] = { value, gradName, grad };
    };
    node('W', 'W (weight)', 'cg-leaf');
    node('X', 'X (input)', 'cg-leaf');
    node('z', 'z = W · X', '');
    node('y', 'y = σ(z)', '');
    node('L', 'Loss = 1 − y', 'cg-root');
    for (const [x, y, text] of L.key) root.append(svg('text', { x, y, 'text-anchor': 'middle', class: 'cg-key' }, text));
    this.layout = layout;
    return root;
  }

  /** Redraw the graph top to bottom when the figure is narrow, left to right otherwise. */
  _fitLayout(width) {
    const want = width > 0 && width < NARROW_BELOW ? 'narrow' : 'wide';
    if (want === this.layout) return;
    const next = this._buildSvg(want);
    this.svg.replaceWith(next);
    this.svg = next;
    this.requestDraw();
  }

  // --- engine -------------------------------------------------------------------------------

  /** Forward and backward at the current W and X. */
  _pass() {
    const g = this.graph;
    g.setValue(this.ids.W, this.state.w);
    g.setValue(this.ids.X, this.state.x);
    g.forward();
    g.backward(this.ids.L);
  }

  _set(values) {
    const s = this.state;
    Object.assign(s, values);
    s.w = Math.min(SPAN.max, Math.max(SPAN.min, s.w));
    s.x = Math.min(SPAN.max, Math.max(SPAN.min, s.x));
    if ('w' in values || 'x' in values) {
      s.steps = [s.w];
      s.lastStep = null;
    }
    this._compute();
  }

  _compute() {
    const s = this.state;
    const g = this.graph;
    const hh = this.hSlider.value;
    // Finite difference first (one engine call for both points), then the real pass.
    g.setValue(this.ids.X, s.x);
    const [plus, minus] = g.sweep(this.ids.W, [s.w + hh, s.w - hh], this.ids.L);
    s.fd = (plus - minus) / (2 * hh);
    this._pass();
    const one = (id) => g.value(id)[0];
    const grad = (id) => g.grad(id)[0];
    s.z = one(this.ids.z);
    s.y = one(this.ids.y);
    s.loss = one(this.ids.L);
    s.grads = { W: grad(this.ids.W), X: grad(this.ids.X), z: grad(this.ids.z), y: grad(this.ids.y), L: grad(this.ids.L) };
    s.local = { dLdy: -1, dydz: s.y * (1 - s.y), dzdW: s.x, dzdX: s.w };
    s.product = s.local.dLdy * s.local.dydz * s.local.dzdW;
    const scale = Math.max(Math.abs(s.grads.W), Math.abs(s.fd));
    s.rel = scale > 0 ? Math.abs(s.grads.W - s.fd) / scale : 0;
    const check = g.gradcheck(this.ids.L);
    s.check = { maxRelError: check.maxRelError, ok: check.ok };
    if (s.x !== this._curveX) this._curve();
    this.requestDraw();
    this.emit('gradlab-change', { w: s.w, x: s.x, z: s.z, y: s.y, loss: s.loss, gradient: s.grads.W,
      gradientX: s.grads.X, finiteDifference: s.fd, relativeError: s.rel });
  }

  /** Loss against W with X held: 161 forward passes of the engine graph in one call (sweep() leaves
   * the graph as it was). */
  _curve() {
    const s = this.state;
    this._curveX = s.x;
    const xs = [];
    for (let k = 0; k <= 160; k += 1) xs.push(SPAN.min + ((SPAN.max - SPAN.min) * k) / 160);
    this.chart.setCurveData(xs, Array.from(this.graph.sweep(this.ids.W, xs, this.ids.L)));
  }

  step() {
    const s = this.state;
    const lr = this.lrSlider.value;
    const before = { w: s.w, grad: s.grads.W, loss: s.loss };
    const next = s.w - lr * s.grads.W;
    if (!Number.isFinite(next)) return;
    const clamped = Math.min(SPAN.max, Math.max(SPAN.min, next));
    s.w = clamped;
    s.steps = [...s.steps, clamped];
    this.wSlider.set(clamped);
    this._compute();
    s.lastStep = { ...before, lr, next, clamped: clamped !== next, lossAfter: s.loss };
    this.requestDraw();
  }

  reset() {
    const a = this.attrs;
    this.wSlider.set(a.w);
    this.xSlider.set(a.x);
    this.lrSlider.set(a['learning-rate']);
    this.hSlider.set(a.h);
    this._set({ w: a.w, x: a.x });
  }

  attributeChanged() {
    this.reset();
  }

  // --- drawing ------------------------------------------------------------------------------

  draw() {
    const s = this.state;
    const t = this.nodeText;
    const values = { W: s.w, X: s.x, z: s.z, y: s.y, L: s.loss };
    const gradName = { W: '∂Loss/∂W', X: '∂Loss/∂X', z: '∂Loss/∂z', y: '∂Loss/∂y', L: '∂Loss/∂Loss' };
    for (const key of Object.keys(t)) {
      setText(t[key].value, `value ${num(values[key])}`);
      setText(t[key].gradName, gradName[key]);
      setText(t[key].grad, `= ${num(s.grads[key])}`);
    }
    const loc = this.localText;
    setText(loc.W[0], '∂z/∂W = X');
    setText(loc.W[1], `= ${num(s.local.dzdW)}`);
    setText(loc.X[0], '∂z/∂X = W');
    setText(loc.X[1], `= ${num(s.local.dzdX)}`);
    setText(loc.z[0], '∂y/∂z = y(1 − y)');
    setText(loc.z[1], `= ${num(s.local.dydz)}`);
    setText(loc.y[0], '∂Loss/∂y');
    setText(loc.y[1], `= ${num(s.local.dLdy)}`);
    setText(this.svgTitle, `Computational graph. Forward: W = ${num(s.w)} and X = ${num(s.x)} give ` +
      `z = ${num(s.z)}, y = σ(z) = ${num(s.y)}, Loss = 1 − y = ${num(s.loss)}. Backward: ∂Loss/∂y = −1, ` +
      `∂y/∂z = y(1 − y) = ${num(s.local.dydz)}, ∂z/∂W = X = ${num(s.x)}, ∂z/∂X = W = ${num(s.w)}; ` +
      `∂Loss/∂W = ${num(s.grads.W)}, ∂Loss/∂X = ${num(s.grads.X)}.`);

    morph(this.chainLine,
      '∂Loss/∂W = ∂Loss/∂y · ∂y/∂z · ∂z/∂W = ',
      `(−1) × ${fmtFactor(s.local.dydz, 6)} × ${fmtFactor(s.local.dzdW, 6)} = `,
      h('strong', {}, num(s.product)),
      `; the engine's backward pass gives ${num(s.grads.W)}.`);

    this.out.loss.set(s.loss);
    this.out.grad.set(s.grads.W);
    this.out.fd.set(s.fd);
    this.out.rel.set(s.rel);
    const hh = this.hSlider.value;
    const good = s.rel < 1e-4;
    morph(this.checkText,
      `(Loss(W + h) − Loss(W − h)) / 2h with h = ${fmt(hh, 3)}: ${num(s.fd)}. `,
      h('span', { class: good ? 'cg-ok' : 'cg-bad' }, good ? 'Agrees with the chain rule.' :
        'Differs: h is too large (or so small that rounding shows).'));
    setText(this.engineCheck, `Engine gradcheck of both leaves (W and X): largest error ` +
      `${s.check.maxRelError === 0 ? '0' : s.check.maxRelError.toExponential(2)}, ` +
      `${s.check.ok ? 'passed' : 'failed'}.`);

    const st = s.lastStep;
    setText(this.stepText, st
      ? `W ← ${num(st.w)} − ${num(st.lr)} × ${fmtFactor(st.grad, 6)} = ${num(st.next)}` +
        `${st.clamped ? ` (kept at the slider's end, ${num(s.w)})` : ''}. Loss ${num(st.loss)} → ${num(st.lossAfter)}` +
        ` (${st.lossAfter < st.loss ? 'down' : st.lossAfter > st.loss ? 'up' : 'unchanged'}). Steps taken: ${s.steps.length - 1}.`
      : (s.grads.W < 0 ? 'The slope is negative: raising W lowers the loss, so a step will increase W.'
        : s.grads.W > 0 ? 'The slope is positive: lowering W lowers the loss, so a step will decrease W.'
          : 'The slope is zero: a step will not move W.'));

    const rows = [['W', s.w, s.grads.W], ['X', s.x, s.grads.X], ['z = W·X', s.z, s.grads.z],
      ['y = σ(z)', s.y, s.grads.y], ['Loss = 1 − y', s.loss, s.grads.L]];
    morph(this.tableBody, rows.map(([name, v, gr]) => h('tr', {},
      h('th', { scope: 'row' }, name), h('td', {}, num(v)), h('td', {}, num(gr)))));

    this.chart.setPoint(s.w, s.loss);
    this.chart.setTangent(s.w, s.loss, s.grads.W, 1.2);
    if (s.steps.length > 1) {
      this.chart.setPath(s.steps, Array.from(this.graph.sweep(this.ids.W, s.steps, this.ids.L)));
    } else {
      this.chart.clearPath();
    }
    this.chart.update();
  }

  // --- public properties --------------------------------------------------------------------
  get w() { return this.state.w; }
  get x() { return this.state.x; }
  get z() { return this.state.z; }
  get y() { return this.state.y; }
  get loss() { return this.state.loss; }
  get gradient() { return this.state.grads?.W; }
  get gradientX() { return this.state.grads?.X; }
  get local() { return { ...this.state.local }; }
  get chainProduct() { return this.state.product; }
  get finiteDifference() { return this.state.fd; }
  get relativeError() { return this.state.rel; }
  get gradcheck() { return { ...this.state.check }; }
  get steps() { return [...(this.state.steps ?? [])]; }
}

ChainGraph.define();
