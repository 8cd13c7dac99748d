// <gradlab-exam-step>: one student, one gradient step (the worked example of seed 000).
//
//   prediction = hours × W + B = 4 × 5 + 50 = 70;  actual 75, so the error is 5
//   L = (prediction − actual)² = 25;  ∂L/∂W = 2(prediction − actual)·hours = −40;  ∂L/∂B = −10
//   one step with learning rate 0.01:  W = 5 − 0.01 × (−40) = 5.4,  B = 50 − 0.01 × (−10) = 50.1
//
// Loss and derivatives come from the engine (a linear model holding this one student); the
// numbered list only writes the same numbers out as arithmetic.

import { GradlabWidget, h, morph, setText } from './base.js';
import { OneStudent } from './exam-lab.js';
import { fmt, predict, stepArithmetic } from './exam-math.js';
import { clampToAttribute, stateNumber } from './share.js';

export class ExamStep extends GradlabWidget {
  static tag = 'gradlab-exam-step';

  static styles = `
    .ex-grid { display: grid; gap: .75rem; align-items: start; grid-template-columns: repeat(auto-fit, minmax(min(100%, 17rem), 1fr)); }
    .ex-steps { margin: 0; padding-left: 1.6rem; font-variant-numeric: tabular-nums; }
    .ex-steps li { margin: .15rem 0; }
    .ex-steps li.ex-result { font-weight: 650; }
    .ex-panel { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .6rem .8rem; min-width: 0; }
    .ex-panel h4 { margin: 0 0 .35rem; font-size: .95rem; }
    .ex-note { margin: 0; color: #3d4652; font-size: .92rem; }
    .ex-buttons { display: flex; flex-wrap: wrap; gap: .5rem; }
  `;

  setup(gl) {
    this.student = this.own(new OneStudent(gl));
    this.state = { ...this._initialValues(), steps: 0, lastStep: null };

    const s = this.state;
    const onInput = (key) => (v) => this._set({ [key]: v });
    this.controls = {
      w: this.slider({ label: 'Weight W (marks per hour)', min: -20, max: 30, step: 0.1, value: s.w, onInput: onInput('w') }),
      b: this.slider({ label: 'Bias B (marks)', min: -100, max: 150, step: 0.5, value: s.b, onInput: onInput('b') }),
      hours: this.slider({ label: 'Hours studied', min: 0, max: 12, step: 0.5, value: s.hours, onInput: onInput('hours') }),
      actual: this.slider({ label: 'Actual score', min: 0, max: 100, step: 1, value: s.actual, onInput: onInput('actual') }),
      lr: this.slider({ label: 'Learning rate', min: 0.0001, max: 1, scale: 'log', value: s.lr, onInput: onInput('lr') }),
    };
    this.out = {
      pred: this.readout({ label: 'Prediction', format: fmt }),
      error: this.readout({ label: 'Error (actual − prediction)', format: fmt }),
      loss: this.readout({ label: 'Loss (prediction − actual)²', format: fmt }),
      dW: this.readout({ label: '∂L/∂W (engine)', format: fmt }),
      dB: this.readout({ label: '∂L/∂B (engine)', format: fmt }),
    };
    this.stepList = h('ol', { class: 'ex-steps', 'aria-live': 'polite' });
    this.stepHeading = h('h4', {}, 'The step, number by number');
    this.stepNote = h('p', { class: 'ex-note' },
      'Press “Take one step” to move W and B against their derivatives.');

    this.body.append(
      this.title('One student, one gradient step'),
      h('div', { class: 'ex-grid' },
        h('div', { class: 'gl-controls' }, ...Object.values(this.controls).map((c) => c.element)),
        h('div', { class: 'ex-panel' },
          h('h4', {}, 'What the model says now'),
          h('div', { class: 'gl-readouts' }, ...Object.values(this.out).map((r) => r.element)))),
      h('div', { class: 'ex-buttons' },
        this.button({ label: 'Take one step', kind: 'primary', onClick: () => this.takeStep() }),
        this.button({ label: 'Reset', onClick: () => this.reset() })),
      h('div', { class: 'ex-panel' }, this.stepHeading, this.stepNote, this.stepList),
    );
    this._evaluate();
  }

  /** Start values from the attributes. */
  _initialValues() {
    const a = this.attrs;
    return { w: a.weight, b: a.bias, hours: a.hours, actual: a.actual, lr: a['learning-rate'] };
  }

  /** Loss and gradient from the engine for the current values. */
  _evaluate() {
    const s = this.state;
    Object.assign(s, this.student.evaluate(s));
    this.requestDraw();
    this.emit('gradlab-change', this._detail());
  }

  _detail() {
    const s = this.state;
    return { weight: s.w, bias: s.b, hours: s.hours, actual: s.actual, learningRate: s.lr,
      loss: s.loss, dW: s.dW, dB: s.dB, steps: s.steps };
  }

  _set(values) {
    Object.assign(this.state, values);
    this._evaluate();
  }

  /** One gradient step with the engine's derivatives; records the arithmetic. */
  takeStep() {
    const s = this.state;
    const step = stepArithmetic({ w: s.w, b: s.b, hours: s.hours, actual: s.actual, lr: s.lr,
      loss: s.loss, dW: s.dW, dB: s.dB });
    if (!Number.isFinite(step.newW) || !Number.isFinite(step.newB)) return;
    s.steps += 1;
    s.lastStep = step;
    s.w = step.newW;
    s.b = step.newB;
    this.controls.w.set(s.w);
    this.controls.b.set(s.b);
    this._evaluate();
  }

  /** Back to the attribute values; clears the step list. */
  reset() {
    Object.assign(this.state, this._initialValues(), { steps: 0, lastStep: null });
    for (const [key, control] of Object.entries(this.controls)) control.set(this.state[key]);
    this._evaluate();
  }

  attributeChanged() {
    this.reset();
  }

  // --- shareable state (web/widgets/share.js) ----------------------------------------------
  getState() {
    const s = this.state;
    return { w: s.w, b: s.b, hours: s.hours, actual: s.actual, lr: s.lr, steps: s.steps };
  }

  setState(state) {
    if (!state || typeof state !== 'object') throw new Error('the state must be an object');
    const attr = { w: 'weight', b: 'bias', hours: 'hours', actual: 'actual', lr: 'learning-rate' };
    const next = {};
    for (const [key, name] of Object.entries(attr)) next[key] = clampToAttribute(this, name, stateNumber(state[key], key));
    next.steps = Math.max(0, Math.round(stateNumber(state.steps ?? 0, 'steps')));
    Object.assign(this.state, next, { lastStep: null });
    for (const [key, control] of Object.entries(this.controls)) control.set(this.state[key]);
    this._evaluate();
  }

  draw() {
    const s = this.state;
    const pred = predict(s.w, s.b, s.hours);
    this.out.pred.set(pred);
    this.out.error.set(s.actual - pred);
    this.out.loss.set(s.loss);
    this.out.dW.set(s.dW);
    this.out.dB.set(s.dB);
    if (s.lastStep) {
      setText(this.stepHeading, `Step ${s.steps}, number by number`);
      this.stepNote.hidden = true;
      morph(this.stepList, s.lastStep.lines.map((line, i) =>
        h('li', { class: i >= 5 ? 'ex-result' : '' }, line)));
    } else {
      setText(this.stepHeading, 'The step, number by number');
      this.stepNote.hidden = false;
      this.stepList.replaceChildren();
    }
  }

  // --- public properties (read by tests and by pages) ---------------------------------------
  get weight() { return this.state.w; }
  get bias() { return this.state.b; }
  get loss() { return this.state.loss; }
  get gradient() { return { dW: this.state.dW, dB: this.state.dB }; }
}

ExamStep.define();
