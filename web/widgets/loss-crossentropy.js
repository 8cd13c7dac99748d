// <gradlab-loss-crossentropy>: the cross-entropy loss −ln p of the probability p that a model
// gives to the correct class, its slope, and one learning step.
//
// The engine computes everything shown: a two-node graph (input p → log → neg) gives the loss
// L = −ln p and, by its backward pass, the slope dL/dp = −1/p; the engine's 'bce' loss on the
// score z = ln(p / (1 − p)) (the logit, so that p = σ(z)) with label 1 gives the same loss and
// dL/dz = p − 1, the slope a model actually follows. At p = 0.8: L = 0.2231, dL/dp = −1.25,
// dL/dz = −0.2; at p = 0.1: L = 2.3026, dL/dp = −10, dL/dz = −0.9.
//
// The chart draws −ln p for p from 0.01 to 1 with the current point and its tangent (slope −1/p).
// "Take a learning step" moves the score, z ← z − η · dL/dz, and shows the new p and loss: a
// confident mistake (small p) gets a much bigger step than a nearly right answer.
//
// Attributes (see schema.js):
//   p              number, default 0.8, 0.01 … 0.99     probability given to the correct class
//   learning-rate  number, default 1, 0.1 … 5          η of "Take a learning step"
//
// Controls: p slider (+ number box), presets p = 0.8 / 0.5 / 0.1, "Take a learning step",
// Reset (back to the attributes).
//
// Events:
//   gradlab-change  detail {p, loss, slope, score, scoreSlope} after every change
//   gradlab-ready   (from the base class)
//
// Properties (read-only): p, loss (−ln p), slope (dL/dp = −1/p), score (z), scoreSlope (dL/dz),
// lastStep ({from, to, lossBefore, lossAfter} of the last learning step, or null).

import { GradlabWidget, h, setAttr, setText } from './base.js';
import { CurveChart } from '../charts/index.js';
import { fmt } from './exam-math.js';

const num = (v) => fmt(v, 5);
const P_RANGE = { min: 0.01, max: 0.99 };
const PRESETS = [0.8, 0.5, 0.1];
const VIEW = { xMin: 0.01, xMax: 1, yMin: 0, yMax: 5 };

export class LossCrossEntropy extends GradlabWidget {
  static tag = 'gradlab-loss-crossentropy';

  static styles = `
    .ce-buttons { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
    .ce-buttons .gl-label { margin-right: .25rem; }
    .ce-say { margin: 0; font-weight: 600; }
    .ce-step { margin: 0; font-variant-numeric: tabular-nums; color: #2b323b; overflow-wrap: anywhere; }
    .ce-step:empty { display: none; }
    .gl-button[aria-pressed=true] { background: #1f5fbf; color: #fff; }
  `;

  setup(gl) {
    this.gl = gl;
    // L = −ln p as a graph: the backward pass gives dL/dp.
    this.graph = this.own(gl.graph());
    this.pId = this.graph.input('p', this.attrs.p);
    this.lossId = this.graph.op('neg', this.graph.op('log', this.pId));
    this.state = { p: this.attrs.p, lastStep: null };

    this.pSlider = this.slider({ label: 'Probability p of the correct class', min: P_RANGE.min, max: P_RANGE.max,
      step: 0.01, value: this.state.p, onInput: (v) => this._setP(v) });
    this.lrSlider = this.slider({ label: 'Learning rate η', min: 0.1, max: 5, step: 0.1,
      value: this.attrs['learning-rate'], onInput: () => this.requestDraw() });
    this.presetButtons = PRESETS.map((p) => {
      const b = this.button({ label: `p = ${p}`, onClick: () => this._setP(p) });
      b.dataset.p = String(p);
      return b;
    });
    this.out = {
      p: this.readout({ label: 'p', format: num }),
      loss: this.readout({ label: 'Loss −ln p (engine)', format: num }),
      slope: this.readout({ label: 'Slope dL/dp = −1/p', format: num }),
      score: this.readout({ label: 'Score z (p = σ(z))', format: num }),
      scoreSlope: this.readout({ label: 'dL/dz = p − 1', format: num }),
    };
    this.say = h('p', { class: 'ce-say', 'aria-live': 'polite' });
    this.stepLine = h('p', { class: 'ce-step', 'aria-live': 'polite' });
    const chartHost = h('div', {});
    this.body.append(
      this.title('Cross-entropy: the loss −ln p and its slope'),
      chartHost,
      h('div', { class: 'gl-readouts' }, ...Object.values(this.out).map((r) => r.element)),
      this.say,
      this.row(this.pSlider.element),
      h('div', { class: 'ce-buttons', role: 'group', 'aria-label': 'Probability presets' },
        h('span', { class: 'gl-label' }, 'Try:'), ...this.presetButtons),
      this.row(this.lrSlider.element),
      h('div', { class: 'ce-buttons' },
        this.button({ label: 'Take a learning step', kind: 'primary', onClick: () => this.learningStep() }),
        this.button({ label: 'Reset', onClick: () => this.reset() })),
      this.stepLine,
    );
    this.chart = this.own(new CurveChart(chartHost, {
      label: 'Cross-entropy loss −ln p against the probability p of the correct class',
      xLabel: 'p', yLabel: 'loss −ln p', ...VIEW, curveLabel: '−ln p',
    }));
    this.chart.chart.options.plugins.legend.display = true;
    this.chart.chart.options.plugins.legend.labels.filter = (item) => ['−ln p', 'tangent'].includes(item.text);
    const xs = [];
    for (let k = 0; k <= 198; k += 1) xs.push(VIEW.xMin + ((VIEW.xMax - VIEW.xMin) * k) / 198);
    this.chart.setCurveData(xs, Array.from(this.graph.sweep(this.pId, xs, this.lossId))); // one engine call
    this._setP(this.state.p);
  }

  /** Loss and dL/dp from the graph; dL/dz from the engine's bce loss on the logit. */
  _eval(p) {
    const g = this.graph;
    g.setValue(this.pId, p);
    g.forward();
    g.backward(this.lossId);
    const z = Math.log(p / (1 - p));
    return { p, loss: g.value(this.lossId)[0], slope: g.grad(this.pId)[0], z };
  }

  _setP(p, { keepStep = false } = {}) {
    const s = this.state;
    s.p = Math.min(P_RANGE.max, Math.max(P_RANGE.min, p));
    this.pSlider.set(s.p);
    const e = this._eval(s.p);
    const bce = this.gl.loss('bce', [e.z], [1]);
    Object.assign(s, { loss: e.loss, slope: e.slope, score: e.z, scoreSlope: bce.gradient[0] });
    if (!keepStep) s.lastStep = null;
    this.requestDraw();
    this.emit('gradlab-change', { p: s.p, loss: s.loss, slope: s.slope, score: s.score, scoreSlope: s.scoreSlope });
  }

  /** z ← z − η · dL/dz, then p = σ(z) (kept inside the slider's range). */
  learningStep() {
    const s = this.state;
    const lr = this.lrSlider.value;
    const z1 = s.score - lr * s.scoreSlope;
    const p1 = 1 / (1 + Math.exp(-z1));
    const step = { from: s.p, lossBefore: s.loss, zFrom: s.score, dz: s.scoreSlope, lr, z1, clamped: p1 > P_RANGE.max };
    this._setP(p1, { keepStep: true });
    s.lastStep = { ...step, to: s.p, lossAfter: s.loss };
    this.requestDraw();
  }

  reset() {
    this.lrSlider.set(this.attrs['learning-rate']);
    this._setP(this.attrs.p);
  }

  attributeChanged() {
    this.reset();
  }

  draw() {
    const s = this.state;
    this.out.p.set(s.p);
    this.out.loss.set(s.loss);
    this.out.slope.set(s.slope);
    this.out.score.set(s.score);
    this.out.scoreSlope.set(s.scoreSlope);
    for (const b of this.presetButtons) setAttr(b, 'aria-pressed', String(Math.abs(Number(b.dataset.p) - s.p) < 1e-9));
    const steep = Math.abs(s.slope);
    setText(this.say, `At p = ${num(s.p)} the loss is ${num(s.loss)} and it falls at ${num(steep)} per unit of p. ` +
      (s.p >= 0.7 ? 'A nearly right answer: small loss, gentle slope, a small push.'
        : s.p >= 0.3 ? 'Unsure: a moderate loss and a moderate push towards the right answer.'
          : 'A confident mistake: the loss is large and the curve is steep, so the push is strong.'));
    const st = s.lastStep;
    setText(this.stepLine, st
      ? `Step: z = ${num(st.zFrom)} − ${num(st.lr)} × (${num(st.dz)}) = ${num(st.z1)}, so p goes from ` +
        `${num(st.from)} to ${num(st.to)} and the loss from ${num(st.lossBefore)} to ${num(st.lossAfter)}` +
        `${st.clamped ? ` (p stopped at the slider's end, ${P_RANGE.max})` : ''}.`
      : '');
    this.chart.setPoint(s.p, s.loss);
    const half = Math.min(0.2, 1.2 / Math.max(steep, 1e-9));
    this.chart.setTangent(s.p, s.loss, s.slope, half);
    this.chart.update();
  }

  // --- public properties --------------------------------------------------------------------
  get p() { return this.state.p; }
  get loss() { return this.state.loss; }
  get slope() { return this.state.slope; }
  get score() { return this.state.score; }
  get scoreSlope() { return this.state.scoreSlope; }
  get lastStep() {
    const st = this.state.lastStep;
    return st ? { from: st.from, to: st.to, lossBefore: st.lossBefore, lossAfter: st.lossAfter } : null;
  }
}

LossCrossEntropy.define();
