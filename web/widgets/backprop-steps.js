// <gradlab-backprop-steps>: backpropagation by hand through the smallest network, one node at a
// time, with every number from the engine's computation graph.
//
// The network (built op by op with the engine's Graph):
//   a = w₁·x + b₁,   h = act(a),   ŷ = w₂·h + b₂,   L = (ŷ − y)²      act = tanh, sigmoid or relu
// "Forward" fills in one node's value per press, left to right (a, h, ŷ, L). "Backward" then
// fills in one gradient ∂L/∂(node) per press, right to left, each as (gradient arriving from
// the right) × (local derivative), with the numbers written out: L̄ = 1, ŷ̄ = 2(ŷ − y), w̄₂ = ŷ̄·h,
// b̄₂ = ŷ̄, h̄ = ŷ̄·w₂, ā = h̄·act′(a), w̄₁ = ā·x, b̄₁ = ā. "Show all" fills everything; "Clear"
// empties the boxes again. For the four parameters a table puts the engine's gradient next to
// a central difference (L(p + h) − L(p − h)) / 2h (two extra forward passes of the graph with
// that parameter nudged), and "Take a training step" moves each parameter by −η × its gradient
// and reports the loss before and after.
//
// Attributes (see schema.js):
//   x, y            input and target, default 2 and 1, each −4 … 4
//   w1 b1 w2 b2     starting parameters, default 0.5, 0, 1.5, 0, each −3 … 3
//   activation      "tanh" | "sigmoid" | "relu", default "tanh"
//   learning-rate   0.001 … 1, default 0.1     step size η of "Take a training step"
//   nudge           0.000001 … 0.1, default 0.000001   h of the central difference
//
// Events:
//   gradlab-change  detail {parameters: {w1, b1, w2, b2}, loss, gradients: {w1, b1, w2, b2, h, a,
//                   yhat}, forwardShown, backwardShown} after every press and change
//   gradlab-ready   (from the base class)
//
// Properties (read-only): parameters ({w1, b1, w2, b2}), values ({a, h, yhat, loss}),
//   gradients ({yhat, w2, b2, h, a, w1, b1}), finiteDifferences ({w1, b1, w2, b2}),
//   forwardShown (0 … 4), backwardShown (0 … 8), lastStep ({before, after} losses or null).
// Methods: forwardStep(), backwardStep(), showAll(), clear(), trainStep(), reset().

import { GradlabWidget, h, morph, setText } from './base.js';

const PARAMS = ['w1', 'b1', 'w2', 'b2'];
const SUBS = { w1: 'w₁', b1: 'b₁', w2: 'w₂', b2: 'b₂' };
const FORWARD = ['a', 'h', 'yhat', 'loss'];
const BACKWARD = ['loss', 'yhat', 'w2', 'b2', 'h', 'a', 'w1', 'b1'];
const ACT_NAME = { tanh: 'tanh', sigmoid: 'σ', relu: 'ReLU' };

/** Six significant digits, real minus sign, never NaN/Infinity. */
function f6(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const text = abs < 1e-4 || abs >= 1e7 ? v.toExponential(4) : String(Number(v.toPrecision(6)));
  return text.replace(/^-/, '−');
}
const factor = (v) => (v < 0 ? `(${f6(v)})` : f6(v));

export class BackpropSteps extends GradlabWidget {
  static tag = 'gradlab-backprop-steps';

  static styles = `
    .bs-graph { display: flex; flex-wrap: wrap; gap: .4rem; align-items: stretch; list-style: none;
      margin: 0; padding: 0; }
    .bs-node { background: #fff; border: 2px solid #8795a6; border-radius: 8px; padding: .4rem .6rem;
      min-width: 8.5rem; display: grid; gap: .1rem; font-variant-numeric: tabular-nums; }
    .bs-node[data-kind=param] { border-style: dashed; }
    .bs-node.bs-fresh { border-color: #1f5fbf; box-shadow: 0 0 0 2px #1f5fbf33; }
    .bs-name { font-weight: 650; }
    .bs-formula { font-size: .85rem; color: #3d4652; }
    .bs-value { color: #1b1f24; }
    .bs-grad { color: #8a3a00; font-weight: 600; }
    .bs-arrow { align-self: center; color: #5b6675; font-size: 1.2rem; }
    .bs-steps { margin: 0; padding-left: 1.4rem; display: grid; gap: .25rem; font-variant-numeric: tabular-nums;
      overflow-wrap: anywhere; }
    .bs-steps:empty { display: none; }
    .bs-buttons { display: flex; flex-wrap: wrap; gap: .5rem; }
    .bs-table { border-collapse: collapse; background: #fff; font-variant-numeric: tabular-nums; }
    .bs-table th, .bs-table td { border: 1px solid #dde3ea; padding: .3rem .6rem; text-align: right; }
    .bs-table th:first-child { text-align: left; }
    .bs-wrap { overflow-x: auto; }
    .bs-note { margin: 0; color: #2b323b; }
  `;

  setup(gl) {
    const a = this.attrs;
    this.gl = gl;
    this.state = { p: { w1: a.w1, b1: a.b1, w2: a.w2, b2: a.b2 }, x: a.x, y: a.y, act: a.activation,
      lr: a['learning-rate'], fwd: 0, bwd: 0, last: null, fresh: null };
    const param = (key, label) => this.slider({ label, min: -3, max: 3, step: 0.05, value: this.state.p[key],
      onInput: (v) => { this.state.p[key] = v; this.state.last = null; this._compute(); } });
    this.sliders = {
      x: this.slider({ label: 'Input x', min: -4, max: 4, step: 0.1, value: a.x,
        onInput: (v) => { this.state.x = v; this.state.last = null; this._compute(); } }),
      y: this.slider({ label: 'Target y', min: -4, max: 4, step: 0.1, value: a.y,
        onInput: (v) => { this.state.y = v; this.state.last = null; this._compute(); } }),
      w1: param('w1', 'Weight w₁'), b1: param('b1', 'Bias b₁'), w2: param('w2', 'Weight w₂'), b2: param('b2', 'Bias b₂'),
    };
    this.actSelect = this.select({ label: 'Activation', value: a.activation,
      options: [{ value: 'tanh', label: 'tanh' }, { value: 'sigmoid', label: 'sigmoid σ' }, { value: 'relu', label: 'ReLU' }],
      onChange: (v) => { this.state.act = v; this.state.last = null; this._buildGraph(); this._compute(); } });
    this.fwdButton = this.button({ label: 'Forward: next node', kind: 'primary', onClick: () => this.forwardStep() });
    this.bwdButton = this.button({ label: 'Backward: next gradient', kind: 'primary', onClick: () => this.backwardStep() });
    this.graphList = h('ol', { class: 'bs-graph', 'aria-label': 'The network as a chain of nodes' });
    this.steps = h('ol', { class: 'bs-steps', 'aria-live': 'polite' });
    this.tbody = h('tbody', {});
    this.stepNote = h('p', { class: 'bs-note', 'aria-live': 'polite' });
    this.body.append(
      this.title('Backpropagation by hand: one node at a time'),
      this.row(this.sliders.x.element, this.sliders.y.element, this.actSelect.element),
      this.row(this.sliders.w1.element, this.sliders.b1.element),
      this.row(this.sliders.w2.element, this.sliders.b2.element),
      h('div', { class: 'bs-buttons' }, this.fwdButton, this.bwdButton,
        this.button({ label: 'Show all', onClick: () => this.showAll() }),
        this.button({ label: 'Clear', onClick: () => this.clear() })),
      this.graphList,
      this.steps,
      h('div', { class: 'bs-wrap' }, h('table', { class: 'bs-table' },
        h('caption', { class: 'gl-label' }, 'Gradients of the parameters, checked by nudging'),
        h('thead', {}, h('tr', {}, ...['Parameter', 'Value', '∂L/∂parameter (engine)', `Central difference, h = ${a.nudge}`]
          .map((c) => h('th', { scope: 'col' }, c)))),
        this.tbody)),
      h('div', { class: 'bs-buttons' },
        this.trainButton = this.button({ label: `Take a training step (η = ${a['learning-rate']})`,
          onClick: () => this.trainStep() }),
        this.button({ label: 'Reset', onClick: () => this.reset() })),
      this.stepNote,
    );
    this._buildGraph();
    this._compute();
  }

  /** The engine graph of the network for the current activation. */
  _buildGraph() {
    if (this.graph) this.release(this.graph);
    const g = this.own(this.gl.graph());
    const s = this.state;
    const id = {};
    id.x = g.input('x', s.x);
    for (const k of PARAMS) id[k] = g.input(k, s.p[k]);
    id.y = g.input('y', s.y);
    const m1 = g.op('mul', [id.w1, id.x]);
    id.a = g.op('add', [m1, id.b1]);
    id.h = g.op(s.act, [id.a]);
    const m2 = g.op('mul', [id.w2, id.h]);
    id.yhat = g.op('add', [m2, id.b2]);
    const diff = g.op('sub', [id.yhat, id.y]);
    id.loss = g.op('square', [diff]);
    this.graph = g;
    this.ids = id;
  }

  _compute() {
    const g = this.graph;
    const s = this.state;
    const id = this.ids;
    g.setValue(id.x, s.x);
    g.setValue(id.y, s.y);
    for (const k of PARAMS) g.setValue(id[k], s.p[k]);
    g.forward();
    g.backward(id.loss);
    const val = (k) => g.value(id[k])[0];
    const grad = (k) => g.grad(id[k])[0];
    s.values = { a: val('a'), h: val('h'), yhat: val('yhat'), loss: val('loss') };
    s.grads = { loss: 1, yhat: grad('yhat'), w2: grad('w2'), b2: grad('b2'), h: grad('h'), a: grad('a'),
      w1: grad('w1'), b1: grad('b1') };
    // Local slope of the activation at a, from the stored forward value h.
    const hv = s.values.h;
    s.slope = s.act === 'tanh' ? 1 - hv * hv : s.act === 'sigmoid' ? hv * (1 - hv) : (s.values.a > 0 ? 1 : 0);
    // Central differences: the loss with one parameter nudged up and down, two forward passes in
    // one engine call (sweep() puts the parameter back).
    const hh = this.attrs.nudge;
    s.fd = {};
    for (const k of PARAMS) {
      const [up, down] = g.sweep(id[k], [s.p[k] + hh, s.p[k] - hh], id.loss);
      s.fd[k] = (up - down) / (2 * hh);
    }
    this._syncButtons();
    this.requestDraw();
    this.emit('gradlab-change', { parameters: { ...s.p }, loss: s.values.loss, gradients: this.gradients,
      forwardShown: s.fwd, backwardShown: s.bwd });
  }

  /**
   * Which of Forward and Backward can be pressed follows the state at once, not at the next
   * drawn frame, so a press right after the last step never meets a button that is still on. A
   * button that switches itself off while focused hands the focus on to the next thing to press
   * (Forward → Backward → the training step) rather than dropping it to the page.
   */
  _syncButtons() {
    const s = this.state;
    const focused = this.shadowRoot.activeElement;
    this.fwdButton.disabled = s.fwd >= FORWARD.length;
    this.bwdButton.disabled = s.fwd < FORWARD.length || s.bwd >= BACKWARD.length;
    if (focused === this.fwdButton && this.fwdButton.disabled) {
      (this.bwdButton.disabled ? this.trainButton : this.bwdButton).focus();
    } else if (focused === this.bwdButton && this.bwdButton.disabled) {
      (this.fwdButton.disabled ? this.trainButton : this.fwdButton).focus();
    }
  }

  forwardStep() {
    const s = this.state;
    if (s.fwd >= FORWARD.length) return;
    s.fwd += 1;
    s.fresh = FORWARD[s.fwd - 1];
    this._compute();
  }

  backwardStep() {
    const s = this.state;
    if (s.fwd < FORWARD.length || s.bwd >= BACKWARD.length) return;
    s.bwd += 1;
    s.fresh = `g:${BACKWARD[s.bwd - 1]}`;
    this._compute();
  }

  showAll() {
    Object.assign(this.state, { fwd: FORWARD.length, bwd: BACKWARD.length, fresh: null });
    this._compute();
  }

  clear() {
    Object.assign(this.state, { fwd: 0, bwd: 0, fresh: null, last: null });
    this._compute();
  }

  /** Every parameter moves by −η × its gradient (the engine's). */
  trainStep() {
    const s = this.state;
    const before = s.values.loss;
    const next = {};
    for (const k of PARAMS) next[k] = s.p[k] - s.lr * s.grads[k];
    if (!PARAMS.every((k) => Number.isFinite(next[k]))) return;
    s.p = next;
    for (const k of PARAMS) this.sliders[k].set(next[k]);
    Object.assign(s, { fwd: FORWARD.length, bwd: BACKWARD.length, fresh: null });
    this._compute();
    s.last = { before, after: s.values.loss, params: { ...next } };
    this.requestDraw();
  }

  reset() {
    const a = this.attrs;
    Object.assign(this.state, { p: { w1: a.w1, b1: a.b1, w2: a.w2, b2: a.b2 }, x: a.x, y: a.y,
      lr: a['learning-rate'], fwd: 0, bwd: 0, last: null, fresh: null });
    for (const k of ['x', 'y']) this.sliders[k].set(a[k]);
    for (const k of PARAMS) this.sliders[k].set(a[k]);
    if (this.state.act !== a.activation) {
      this.state.act = a.activation;
      this.actSelect.value = a.activation;
      this._buildGraph();
    }
    this._compute();
  }

  attributeChanged() {
    this.reset();
  }

  draw() {
    const s = this.state;
    const v = s.values;
    const gr = s.grads;
    const act = ACT_NAME[s.act];
    const shownF = (k) => FORWARD.indexOf(k) < s.fwd;
    const shownB = (k) => BACKWARD.indexOf(k) >= 0 && BACKWARD.indexOf(k) < s.bwd;
    const node = (key, name, formula, value, kind = 'node', valueShown = true) => h('li', {
      class: `bs-node${s.fresh === key || s.fresh === `g:${key}` ? ' bs-fresh' : ''}`, 'data-kind': kind },
      h('span', { class: 'bs-name' }, name),
      h('span', { class: 'bs-formula' }, formula),
      h('span', { class: 'bs-value' }, valueShown ? `value ${f6(value)}` : 'value ?'),
      h('span', { class: 'bs-grad' }, shownB(key) ? `∂L/∂${name} = ${f6(gr[key])}` : `∂L/∂${name} ?`));
    const arrow = () => h('li', { class: 'bs-arrow', 'aria-hidden': 'true' }, '→');
    const paramNode = (k) => node(k, SUBS[k], 'parameter', s.p[k], 'param');
    morph(this.graphList,
      h('li', { class: 'bs-node', 'data-kind': 'param' }, h('span', { class: 'bs-name' }, 'x'),
        h('span', { class: 'bs-formula' }, 'input'), h('span', { class: 'bs-value' }, `value ${f6(s.x)}`)),
      paramNode('w1'), paramNode('b1'), arrow(),
      node('a', 'a', 'w₁·x + b₁', v.a, 'node', shownF('a')), arrow(),
      node('h', 'h', `${act}(a)`, v.h, 'node', shownF('h')), arrow(),
      paramNode('w2'), paramNode('b2'), arrow(),
      node('yhat', 'ŷ', 'w₂·h + b₂', v.yhat, 'node', shownF('yhat')), arrow(),
      node('loss', 'L', `(ŷ − y)², y = ${f6(s.y)}`, v.loss, 'node', shownF('loss')),
    );
    // The arithmetic of every step revealed so far.
    const lines = [];
    const fwdText = {
      a: `a = ${factor(s.p.w1)} × ${factor(s.x)} + ${factor(s.p.b1)} = ${f6(v.a)}`,
      h: `h = ${act}(${f6(v.a)}) = ${f6(v.h)}`,
      yhat: `ŷ = ${factor(s.p.w2)} × ${factor(v.h)} + ${factor(s.p.b2)} = ${f6(v.yhat)}`,
      loss: `L = (${f6(v.yhat)} − ${factor(s.y)})² = ${f6(v.loss)}`,
    };
    const local = s.act === 'tanh' ? `1 − h² = ${f6(s.slope)}` : s.act === 'sigmoid' ? `h(1 − h) = ${f6(s.slope)}`
      : `${s.slope} (a ${v.a > 0 ? '>' : '≤'} 0)`;
    const bwdText = {
      loss: 'Start at the loss: ∂L/∂L = 1',
      yhat: `∂L/∂ŷ = 1 × 2(ŷ − y) = 2 × ${factor(v.yhat - s.y)} = ${f6(gr.yhat)}`,
      w2: `∂L/∂w₂ = ∂L/∂ŷ × h = ${factor(gr.yhat)} × ${factor(v.h)} = ${f6(gr.w2)}`,
      b2: `∂L/∂b₂ = ∂L/∂ŷ × 1 = ${f6(gr.b2)}`,
      h: `∂L/∂h = ∂L/∂ŷ × w₂ = ${factor(gr.yhat)} × ${factor(s.p.w2)} = ${f6(gr.h)}`,
      a: `∂L/∂a = ∂L/∂h × ${act}′(a), with ${act}′(a) = ${local}: ${factor(gr.h)} × ${factor(s.slope)} = ${f6(gr.a)}`,
      w1: `∂L/∂w₁ = ∂L/∂a × x = ${factor(gr.a)} × ${factor(s.x)} = ${f6(gr.w1)}`,
      b1: `∂L/∂b₁ = ∂L/∂a × 1 = ${f6(gr.b1)}`,
    };
    for (let i = 0; i < s.fwd; i += 1) lines.push(`Forward: ${fwdText[FORWARD[i]]}`);
    for (let i = 0; i < s.bwd; i += 1) lines.push(`Backward: ${bwdText[BACKWARD[i]]}`);
    morph(this.steps, lines.map((t) => h('li', {}, t)));
    morph(this.tbody, PARAMS.map((k) => h('tr', {},
      h('th', { scope: 'row' }, SUBS[k]), h('td', {}, f6(s.p[k])),
      h('td', {}, shownB(k) ? f6(gr[k]) : '?'), h('td', {}, f6(s.fd[k])))));
    setText(this.stepNote, s.last
      ? `After one step of η = ${f6(s.lr)}: w₁ = ${f6(s.p.w1)}, b₁ = ${f6(s.p.b1)}, w₂ = ${f6(s.p.w2)}, ` +
        `b₂ = ${f6(s.p.b2)}; the loss went from ${f6(s.last.before)} to ${f6(s.last.after)}.`
      : s.fwd < FORWARD.length ? 'Press Forward to compute the nodes from left to right.'
        : s.bwd < BACKWARD.length ? 'Now press Backward to send the gradient from right to left.'
          : 'Every gradient is filled in. Take a training step to use them.');
  }

  // --- public properties --------------------------------------------------------------------
  get parameters() { return { ...this.state.p }; }
  get values() { return { ...this.state.values }; }
  get gradients() {
    const g = this.state.grads ?? {};
    return { yhat: g.yhat, w2: g.w2, b2: g.b2, h: g.h, a: g.a, w1: g.w1, b1: g.b1 };
  }
  get finiteDifferences() { return { ...this.state.fd }; }
  get forwardShown() { return this.state.fwd; }
  get backwardShown() { return this.state.bwd; }
  get lastStep() { return this.state.last ? { before: this.state.last.before, after: this.state.last.after } : null; }
}

BackpropSteps.define();
