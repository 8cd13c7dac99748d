// The state of the exam-score widgets, without any DOM: data, the engine's linear model and its
// trainer, and the numbers the widgets show. The widgets (exam-step.js, exam-score.js) only draw
// what these classes return, so every number on screen comes from one place.
//
// Engine objects are owned here and freed by delete(); the widget calls it from
// disconnectedCallback.

import { chainTerms, finiteDifference, relativeDifference, landscapeWindow } from './exam-math.js';

/** Largest data table the widget accepts (also the CSV limit). */
export const MAX_ROWS = 1000;

/**
 * Where W and B live in the flat parameter vector of a linear model, read from its layout
 * (so the widgets do not depend on the engine's ordering of blocks).
 */
export function weightBiasIndex(model) {
  const layout = model.layout();
  const find = (re, fallback) => {
    const block = layout.find((b) => re.test(b.name));
    return block ? block.offset : fallback;
  };
  return { w: find(/^w/i, 0), b: find(/^b/i, 1) };
}

/** Flat parameter vector [.., W, .., B, ..] for a linear model of one input. */
function packParams(index, size, w, b) {
  const p = new Float64Array(size);
  p[index.w] = w;
  p[index.b] = b;
  return p;
}

/**
 * One student: predicted score = hours × W + B, loss = (prediction − actual)², evaluated by the
 * engine's linear model holding a single data point.
 */
export class OneStudent {
  /** @param {any} gl the loaded engine */
  constructor(gl) {
    this.model = gl.model({ type: 'linear', inputs: 1, bias: true, loss: 'mse' });
    this.index = weightBiasIndex(this.model);
  }

  /** @returns {{loss:number, dW:number, dB:number}} computed by the engine */
  evaluate({ w, b, hours, actual }) {
    this.model.setData({ x: [hours], y: [actual], rows: 1 });
    const { loss, gradient } = this.model.evaluate(packParams(this.index, this.model.size, w, b));
    return { loss, dW: gradient[this.index.w], dB: gradient[this.index.b] };
  }

  delete() {
    this.model?.delete();
    this.model = null;
  }
}

/**
 * A class of students: data table, linear model, SGD trainer, loss history and path.
 */
export class ExamClass {
  /**
   * @param {any} gl the loaded engine
   * @param {{w:number, b:number, lr:number, tolerance?:number}} start
   */
  constructor(gl, { w, b, lr, tolerance = 1e-3 }) {
    this.gl = gl;
    this.model = gl.model({ type: 'linear', inputs: 1, bias: true, loss: 'mse' });
    this.index = weightBiasIndex(this.model);
    this.xs = [];
    this.ys = [];
    this.start = { w, b };
    this.lr = lr;
    this.tolerance = tolerance;
    this.trainer = null;
  }

  /** Loads the engine's 'exam-scores' data set. */
  loadDataset({ n, seed, noise }) {
    const d = this.gl.dataset('exam-scores', { n, seed, noise });
    const rows = [];
    for (let i = 0; i < d.rows; i++) rows.push([d.x[i * d.inputs], d.y[i * d.outputs]]);
    this.setRows(rows);
  }

  /** @returns {number[][]} a copy of the data as [hours, score] rows */
  rows() {
    return this.xs.map((x, i) => [x, this.ys[i]]);
  }

  /**
   * Replaces the data and restarts the fit from the current start point.
   * @param {number[][]} rows [hours, score] pairs, finite, 1 to MAX_ROWS of them
   */
  setRows(rows) {
    if (rows.length < 1) throw new RangeError('the table needs at least one student');
    if (rows.length > MAX_ROWS) throw new RangeError(`at most ${MAX_ROWS} students`);
    for (const r of rows) {
      if (!Number.isFinite(r[0]) || !Number.isFinite(r[1])) throw new RangeError('numbers must be finite');
    }
    this.xs = rows.map((r) => r[0]);
    this.ys = rows.map((r) => r[1]);
    this.model.setData({ x: Float64Array.from(this.xs), y: Float64Array.from(this.ys), rows: rows.length });
    this.restart();
  }

  /** Moves the start point (slider, drag on the map) and restarts the path there. */
  moveTo(w, b) {
    this.start = { w, b };
    // Same data, same optimizer: the trainer starts a fresh run from the new point (a slider
    // move; making a new trainer each time cost a fifth of a millisecond).
    if (this.trainer) this.trainer.reset(packParams(this.index, this.model.size, w, b));
    else this.restart();
  }

  setLearningRate(lr) {
    this.lr = lr;
    this.trainer?.setLearningRate(lr);
  }

  /** A fresh trainer at the start point: step 0, empty path, status 'running'. */
  restart() {
    this.trainer?.delete();
    this.model.setParameters(packParams(this.index, this.model.size, this.start.w, this.start.b));
    this.trainer = this.gl.trainer(this.model, { type: 'sgd', lr: this.lr },
      { batchSize: 0, tolerance: this.tolerance, divergenceFactor: 1e6 });
  }

  /** Runs up to k steps (stops early on converged / diverged). @returns the trainer status */
  run(k = 1) {
    if (this.isFinished()) return this.trainer.status;
    return this.trainer.run(k);
  }

  isFinished() {
    const s = this.trainer.status;
    return s === 'converged' || s === 'diverged';
  }

  /** The numbers the widget shows, read from the trainer (engine). */
  snapshot() {
    const t = this.trainer;
    const p = t.parameters();
    const g = t.gradient();
    return {
      w: p[this.index.w],
      b: p[this.index.b],
      loss: t.loss,
      dW: g[this.index.w],
      dB: g[this.index.b],
      step: t.steps,
      status: t.status,
    };
  }

  /** Loss after each step (index 0 = before any step). */
  history() {
    return this.trainer.history();
  }

  /** The path of (W, B) visited, as [[w, b], ...]. */
  path() {
    const flat = this.trainer.trajectory();
    const size = this.model.size;
    const out = [];
    for (let k = 0; k + size <= flat.length; k += size) {
      out.push([flat[k + this.index.w], flat[k + this.index.b]]);
    }
    return out;
  }

  /** Loss at any (W, B) without moving the trainer (engine evaluate at given parameters). */
  lossAt(w, b) {
    return this.model.evaluate(packParams(this.index, this.model.size, w, b)).loss;
  }

  /** The chain of numbers (sums by hand) and a finite-difference check of the engine gradient. */
  checks() {
    const s = this.snapshot();
    const chain = chainTerms(this.xs, this.ys, s.w, s.b);
    const h = 1e-4 * Math.max(1, Math.abs(s.w), Math.abs(s.b));
    const fd = finiteDifference((w, b) => this.lossAt(w, b), s.w, s.b, h);
    return {
      chain,
      fd,
      relW: relativeDifference(fd.dW, s.dW),
      relB: relativeDifference(fd.dB, s.dB),
    };
  }

  /** The window of the loss map for the current data, containing the start and current point. */
  window() {
    const s = this.snapshot();
    return landscapeWindow(this.xs, this.ys, [[this.start.w, this.start.b], [s.w, s.b]]);
  }

  /**
   * Loss over an nx × ny grid of (W, B), computed by the engine. Row r is one value of B.
   * @returns {{values: Float64Array, nx:number, ny:number, wMin:number, wMax:number, bMin:number, bMax:number}}
   */
  landscape(win, nx = 80, ny = 80) {
    const values = this.model.landscape({
      i: this.index.w, j: this.index.b,
      iMin: win.wMin, iMax: win.wMax, jMin: win.bMin, jMax: win.bMax, nx, ny,
    });
    return { values, nx, ny, ...win };
  }

  delete() {
    this.trainer?.delete();
    this.model?.delete();
    this.trainer = null;
    this.model = null;
  }
}
