// <gradlab-practice-set>: checked exercises with instant feedback. Every expected numeric answer
// is computed live by the engine (a loss, a model prediction, a trainer step, a graph's
// backward pass); this file only words the questions, compares answers and explains.
//
// Sets:
//   'warm-up'  fixed questions from the course's opening story: the phone-price error
//              (₹16,000 − ₹15,000), the daily-steps model y = 500x (prediction, error, one
//              update with derivative 10 and learning rate 0.01) and a multiple-choice question
//              on the branch of calculus behind backpropagation.
//   'drills'   one exercise per earlier lesson with numbers drawn from a seed: the derivative of
//              x² at a point, the MSE of three predictions, a sigmoid chain-rule derivative and one
//              gradient step for one example. "New numbers" draws fresh ones.
//
// A numeric answer is right when it is within the question's tolerance (stated under the
// question, e.g. "to 2 decimal places"); "₹", thousands commas, spaces and a typographic minus
// are accepted. A wrong answer gets a hint (e.g. a sign slip) and the worked solution.
//
// Attributes (see schema.js):
//   set     'warm-up' | 'drills', default 'warm-up'
//   seed    whole number 1 … 1000000, default 1   numbers of the drills
//   label   text, default 'Practice'              heading
//
// Events:
//   gradlab-answer  detail {question: id, correct: boolean, response: string, expected}
//                   after every checked answer (not for empty or unreadable input)
//   gradlab-ready   (from the base class)
//
// Properties (read-only): score ({correct, answered, total}), seed, questions ([{id, prompt,
// expected}] — expected is a number, or the letter of the right choice).
// Methods: newNumbers(), startAgain().

import { GradlabWidget, h } from './base.js';
import { fmt } from './exam-math.js';

/** Deterministic pseudo-random numbers in [0, 1) from a seed (mulberry32). */
export function seededRandom(seed) {
  let a = (seed >>> 0) || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** "₹16,000" -> 16000, "−0.75" -> -0.75; NaN when it is not a number. */
export function parseAnswer(text) {
  const cleaned = String(text ?? '').trim()
    .replace(/[₹$€£]|rs\.?|inr/gi, '')
    .replace(/[\u2212\u2013]/g, '-')
    .replace(/(\d),(?=\d)/g, '$1')
    .replace(/\s+/g, '');
  if (cleaned === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return NaN;
  return Number(cleaned);
}

const money = (v) => `₹${Math.round(v).toLocaleString('en-IN')}`;

// --- engine computations (each returns the expected answer) -----------------------------------

/** error = actual − predicted, from the engine's absolute-error loss and its gradient sign. */
function engineError(gl, predicted, actual) {
  const { loss, gradient } = gl.loss('mae', [predicted], [actual]);
  return gradient[0] < 0 ? loss : -loss; // dL/dpred = sign(pred − actual)
}

/** prediction of the one-weight model y = w·x (engine linear model, no bias). */
function enginePredict(gl, w, x) {
  const m = gl.model({ type: 'linear', inputs: 1, bias: false, loss: 'mse' });
  try {
    m.setParameters([w]);
    return m.predict([x], 1)[0];
  } finally {
    m.delete();
  }
}

/**
 * One SGD step from weight w when the derivative there is `slope`: the engine's trainer on a
 * one-row model L = ½(w·1 − y)² whose derivative at w is exactly w − y = slope.
 */
function engineStepWithSlope(gl, w, slope, lr) {
  const m = gl.model({ type: 'linear', inputs: 1, bias: false, loss: 'half_mse' });
  let t = null;
  try {
    m.setData({ x: [1], y: [w - slope], rows: 1 });
    m.setParameters([w]);
    t = gl.trainer(m, { type: 'sgd', lr }, { batchSize: 0, tolerance: 0 });
    t.step();
    return t.parameters()[0];
  } finally {
    t?.delete();
    m.delete();
  }
}

/** f'(a) for f(x) = x² (the engine's 'square' function). */
function engineSquareSlope(gl, a) {
  const m = gl.model({ type: 'function', name: 'square' });
  try {
    return m.evaluate([a]).gradient[0];
  } finally {
    m.delete();
  }
}

/** dL/dw for z = w·x, y = σ(z), L = 1 − y (engine graph, backward pass). */
function engineSigmoidChain(gl, w, x) {
  const g = gl.graph();
  try {
    const wi = g.input('w', [w], [1]);
    const xi = g.input('x', [x], [1]);
    const y = g.op('sigmoid', [g.op('mul', [wi, xi])]);
    const loss = g.op('sub', [g.constant([1], [1]), y]);
    g.forward();
    g.backward(loss);
    return { grad: g.grad(wi)[0], y: g.value(y)[0] };
  } finally {
    g.delete();
  }
}

/** New weight after one gradient step on L = (w·x − y)² (engine linear model + SGD trainer). */
function engineOneStep(gl, w, x, y, lr) {
  const m = gl.model({ type: 'linear', inputs: 1, bias: false, loss: 'mse' });
  let t = null;
  try {
    m.setData({ x: [x], y: [y], rows: 1 });
    m.setParameters([w]);
    const slope = m.evaluate().gradient[0];
    t = gl.trainer(m, { type: 'sgd', lr }, { batchSize: 0, tolerance: 0 });
    t.step();
    return { next: t.parameters()[0], slope };
  } finally {
    t?.delete();
    m.delete();
  }
}

// --- question sets ----------------------------------------------------------------------------

function warmUp(gl) {
  const predicted = 15000;
  const actual = 16000;
  const phone = engineError(gl, predicted, actual);
  const stepsPred = enginePredict(gl, 500, 5);
  const stepsErr = engineError(gl, stepsPred, 3000);
  const newWeight = engineStepWithSlope(gl, 500, 10, 0.01);
  return [
    {
      id: 'phone-error', kind: 'number', tol: 0.5, unit: '₹', expected: phone,
      prompt: `A model estimates a phone’s price at ${money(predicted)}. The phone really costs ${money(actual)}. ` +
        'What is the error, actual price − predicted price, in rupees?',
      hint: 'Whole rupees.',
      explain: () => `Error = actual − predicted = ${money(actual)} − ${money(predicted)} = ${money(phone)}. ` +
        'It is positive: the model guessed too low, so training should push its estimate up.',
    },
    {
      id: 'steps-prediction', kind: 'number', tol: 0.5, unit: 'steps', expected: stepsPred,
      prompt: 'A tiny model predicts daily steps from hours of exercise x with y = 500x. Someone exercised ' +
        'for 5 hours. How many steps does the model predict?',
      hint: 'A whole number of steps.',
      explain: () => `Prediction = 500 × 5 = ${fmt(stepsPred)} steps.`,
    },
    {
      id: 'steps-error', kind: 'number', tol: 0.5, unit: 'steps', expected: stepsErr,
      prompt: 'That person actually walked 3000 steps. What is the error, actual − predicted?',
      hint: 'A whole number of steps.',
      explain: () => `Error = 3000 − ${fmt(stepsPred)} = ${fmt(stepsErr)} steps: the model guessed too few.`,
    },
    {
      id: 'steps-update', kind: 'number', tol: 0.005, expected: newWeight,
      prompt: 'You are told the derivative of the error measure with respect to the weight 500 is 10. ' +
        'With learning rate 0.01, what is the weight after one gradient-descent step?',
      hint: 'To 2 decimal places.',
      explain: () => `The update subtracts (learning rate × derivative) from the weight: 0.01 × 10 = 0.1, ` +
        `and 500 − 0.1 = ${fmt(newWeight)}. The engine’s SGD step gives the same number.`,
    },
    {
      id: 'backprop-branch', kind: 'choice', expected: 'C',
      prompt: 'Which branch of mathematics does backpropagation mainly use to decide how to change ' +
        'weights and biases?',
      choices: [['A', 'Algebraic equations'], ['B', 'Integral calculus'], ['C', 'Differential calculus'],
        ['D', 'Geometry']],
      explain: () => 'C, differential calculus: backpropagation computes derivatives — how fast the loss ' +
        'changes as each weight or bias changes — using the chain rule. Integral calculus adds things up; ' +
        'it is not what drives the weight updates.',
    },
  ];
}

function drills(gl, seed) {
  const rand = seededRandom(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

  const a = pick([-5, -4, -3, -2.5, -1.5, 1.5, 2, 2.5, 3, 4, 6]);
  const slope = engineSquareSlope(gl, a);

  const preds = [int(1, 9), int(1, 9), int(1, 9)];
  const targets = preds.map((p) => p + pick([-3, -2, -1, 0, 1, 2, 3]));
  const mse = gl.loss('mse', preds, targets).loss;

  const w = pick([-1, -0.5, 0, 0.5, 1]);
  const x = pick([1, 2, 3]);
  const chain = engineSigmoidChain(gl, w, x);

  const sw = pick([1, 2, 3, 4]);
  const sx = pick([1, 2, 3]);
  const sy = sw * sx + pick([-6, -4, -3, 3, 4, 6]);
  const lr = pick([0.01, 0.02, 0.05]);
  const step = engineOneStep(gl, sw, sx, sy, lr);

  return [
    {
      id: 'derivative-square', kind: 'number', tol: 0.005, expected: slope,
      prompt: `f(x) = x². What is the derivative f′(x) at x = ${fmt(a)}?`,
      hint: 'To 2 decimal places.',
      explain: () => `f′(x) = 2x, so f′(${fmt(a)}) = 2 × ${fmt(a)} = ${fmt(slope)}. ` +
        (slope < 0 ? 'Negative: the curve goes down as x grows, so downhill is to the right.'
          : 'Positive: the curve goes up as x grows, so downhill is to the left.'),
    },
    {
      id: 'mse-small', kind: 'number', tol: 0.005, expected: mse,
      prompt: `Predictions (${preds.join(', ')}) for targets (${targets.join(', ')}). What is the mean ` +
        'squared error?',
      hint: 'To 2 decimal places.',
      explain: () => {
        const errs = preds.map((p, i) => p - targets[i]);
        const sq = errs.map((e) => e * e);
        return `Errors ${errs.map((e) => fmt(e)).join(', ')}; squares ${sq.join(', ')}; mean = ` +
          `${sq.reduce((s, v) => s + v, 0)} / 3 = ${fmt(mse)}.`;
      },
    },
    {
      id: 'sigmoid-chain', kind: 'number', tol: 0.0005, expected: chain.grad,
      prompt: `z = w·x, y = σ(z) (the sigmoid), Loss = 1 − y. With w = ${fmt(w)} and x = ${x}, ` +
        'what is dLoss/dw?',
      hint: 'To 3 decimal places. σ′(z) = y(1 − y).',
      explain: () => `z = ${fmt(w * x)}, y = σ(z) = ${fmt(chain.y)}, σ′(z) = y(1 − y) = ${fmt(chain.y * (1 - chain.y))}. ` +
        `Chain rule: dLoss/dw = (−1) × y(1 − y) × x = ${fmt(chain.grad)}.`,
    },
    {
      id: 'gradient-step', kind: 'number', tol: 0.005, expected: step.next,
      prompt: `One example: input x = ${sx}, target y = ${sy}. Loss L = (w·x − y)², weight w = ${sw}, ` +
        `learning rate ${lr}. What is w after one gradient-descent step?`,
      hint: 'To 2 decimal places. dL/dw = 2(w·x − y)·x.',
      explain: () => `Prediction ${sw * sx}, error ${fmt(sw * sx - sy)}; dL/dw = 2 × ${fmt(sw * sx - sy)} × ${sx} = ` +
        `${fmt(step.slope)}; new w = ${sw} − ${lr} × ${fmt(step.slope)} = ${fmt(step.next)}.`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------

export class PracticeSet extends GradlabWidget {
  static tag = 'gradlab-practice-set';

  static styles = `
    .pq-list { display: grid; gap: .75rem; margin: 0; padding: 0; list-style: none; }
    .pq-q { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .7rem .9rem; }
    .pq-q fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
    .pq-q legend { font-weight: 600; padding: 0; margin-bottom: .4rem; }
    .pq-prompt { margin: 0 0 .5rem; }
    .pq-answer { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
    .pq-answer label { display: grid; gap: .2rem; font-weight: 600; font-size: .92rem; }
    .pq-answer input[type=text] { font: inherit; padding: .35rem .5rem; border: 1px solid #8795a6;
      border-radius: 5px; min-height: 2.4rem; width: 11rem; font-weight: 400; }
    .pq-hint { margin: .3rem 0 0; font-size: .88rem; color: #3d4652; }
    .pq-choices { display: grid; gap: .3rem; margin: 0 0 .5rem; }
    .pq-choices label { display: flex; gap: .5rem; align-items: center; min-height: 2rem; }
    .pq-choices input { width: 1.1rem; height: 1.1rem; accent-color: #1f5fbf; }
    .pq-feedback { margin: .5rem 0 0; padding: .45rem .7rem; border-radius: 6px; border-left: 4px solid; }
    .pq-feedback:empty { display: none; }
    .pq-right { background: #e7f5ec; border-color: #1d6b35; color: #123d20; }
    .pq-wrong { background: #fdecee; border-color: #b00020; color: #5c0010; }
    .pq-info { background: #e8f0fc; border-color: #1f5fbf; }
    .pq-top { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: end; }
  `;

  setup(gl) {
    this.gl = gl;
    this.state = { seed: this.attrs.seed, results: new Map() };
    this.scoreOut = this.readout({ label: 'Score' });
    this.list = h('ol', { class: 'pq-list' });
    const buttons = [];
    if (this.attrs.set === 'drills') {
      buttons.push(this.button({ label: 'New numbers', kind: 'primary', onClick: () => this.newNumbers() }));
    }
    buttons.push(this.button({ label: 'Start again', onClick: () => this.startAgain() }));
    this.seedNote = h('p', { class: 'pq-hint' });
    this.body.append(
      this.title(this.attrs.label),
      h('div', { class: 'pq-top' }, this.scoreOut.element, ...buttons),
      ...(this.attrs.set === 'drills' ? [this.seedNote] : []),
      this.list,
    );
    this._build();
  }

  _build() {
    const set = this.attrs.set;
    this._qs = set === 'drills' ? drills(this.gl, this.state.seed) : warmUp(this.gl);
    this.state.results = new Map();
    this.list.replaceChildren(...this._qs.map((q, i) => this._question(q, i)));
    this.seedNote.textContent = `Numbers set ${this.state.seed}. Every answer is checked against the engine.`;
    this.requestDraw();
  }

  _question(q, i) {
    const feedback = h('p', { class: 'pq-feedback', role: 'status', 'aria-live': 'polite' });
    const legendText = `Question ${i + 1}`;
    let read;
    let controls;
    const idBase = `pq-${q.id}`;
    if (q.kind === 'choice') {
      const radios = q.choices.map(([letter, text]) => {
        const input = h('input', { type: 'radio', name: idBase, value: letter });
        return { input, label: h('label', {}, input, `${letter}. ${text}`) };
      });
      controls = [h('div', { class: 'pq-choices' }, radios.map((r) => r.label)),
        h('div', { class: 'pq-answer' }, h('button', { type: 'submit', class: 'gl-button gl-button-primary' }, 'Check'))];
      read = () => radios.find((r) => r.input.checked)?.input.value ?? '';
    } else {
      const input = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', id: `${idBase}-input`,
        'aria-describedby': `${idBase}-hint` });
      controls = [h('div', { class: 'pq-answer' },
        h('label', { for: `${idBase}-input` }, `Your answer${q.unit ? ` (${q.unit})` : ''}`, input),
        h('button', { type: 'submit', class: 'gl-button gl-button-primary' }, 'Check')),
      h('p', { class: 'pq-hint', id: `${idBase}-hint` }, q.hint ?? '')];
      read = () => input.value;
    }
    const form = h('form', { 'data-question': q.id, novalidate: true },
      h('fieldset', {}, h('legend', {}, legendText), h('p', { class: 'pq-prompt' }, q.prompt), ...controls),
      feedback);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.guard(() => this.check(q, read(), feedback));
    });
    return h('li', { class: 'pq-q' }, form);
  }

  /** Checks one response and shows feedback. @returns {boolean|null} null = unreadable input */
  check(q, response, feedback) {
    let correct;
    let text;
    if (q.kind === 'choice') {
      if (!response) {
        feedback.className = 'pq-feedback pq-info';
        feedback.textContent = 'Choose one of the answers first.';
        return null;
      }
      correct = response === q.expected;
      text = correct ? `Correct! ${q.explain()}` : `Not quite — ${response} is not it. ${q.explain()}`;
    } else {
      const value = parseAnswer(response);
      if (!Number.isFinite(value)) {
        feedback.className = 'pq-feedback pq-info';
        feedback.textContent = response.trim() === '' ? 'Type a number first.'
          : `“${response.trim()}” is not a number I can read. Write digits, e.g. 12.5 or −3.`;
        return null;
      }
      correct = Math.abs(value - q.expected) <= q.tol + 1e-9 * Math.abs(q.expected);
      if (correct) text = `Correct! ${q.explain()}`;
      else {
        let hint = '';
        if (q.expected !== 0 && Math.abs(value + q.expected) <= q.tol + 1e-9 * Math.abs(q.expected)) {
          hint = 'Your answer has the right size but the wrong sign — check which number is subtracted from which. ';
        } else if (q.expected !== 0 && Math.abs(value - q.expected) <= 0.02 * Math.abs(q.expected)) {
          hint = 'Close — check your rounding. ';
        }
        text = `Not quite: you wrote ${fmt(value)}. ${hint}${q.explain()}`;
      }
    }
    feedback.className = `pq-feedback ${correct ? 'pq-right' : 'pq-wrong'}`;
    feedback.textContent = text;
    const prev = this.state.results.get(q.id);
    this.state.results.set(q.id, { correct: correct || Boolean(prev?.correct), last: correct });
    this.requestDraw();
    this.emit('gradlab-answer', { question: q.id, correct, response: String(response), expected: q.expected });
    return correct;
  }

  newNumbers() {
    this.state.seed = (this.state.seed % 1000000) + 1;
    this._build();
  }

  startAgain() {
    this.state.seed = this.attrs.seed;
    this._build();
  }

  attributeChanged() {
    this.startAgain();
  }

  draw() {
    const s = this.score;
    this.scoreOut.text(`${s.correct} of ${s.total} correct`);
  }

  // --- public properties --------------------------------------------------------------------
  get score() {
    const results = [...(this.state.results?.values() ?? [])];
    return { correct: results.filter((r) => r.correct).length, answered: results.length,
      total: this._qs?.length ?? 0 };
  }
  get seed() { return this.state.seed; }
  get questions() {
    return (this._qs ?? []).map((q) => ({ id: q.id, prompt: q.prompt, expected: q.expected }));
  }
}

PracticeSet.define();
