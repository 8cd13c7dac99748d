// The state of the gulab jamun widgets, without any DOM: the engine's 'recipe' (1-D: sugar in
// grams -> taste error) or 'recipe2' (2-D: sugar in grams, soaking time in minutes) function,
// a plain gradient-descent trainer on it, and the arithmetic of one step. Also the Step / Run /
// Pause behaviour both widgets share (SteppingWidget).

import { setText } from './base.js';
import { fmt, fmtFactor } from './exam-math.js';

/** Gradient descent on one of the engine's named functions of 1 or 2 parameters. */
export class RecipeLab {
  /**
   * @param {any} gl loaded engine
   * @param {'recipe'|'recipe2'} name
   * @param {{start: number[], lr: number, tolerance?: number}} options
   */
  constructor(gl, name, { start, lr, tolerance = 1e-6 }) {
    this.gl = gl;
    this.model = gl.model({ type: 'function', name });
    this.size = this.model.size;
    this.start = Float64Array.from(start);
    this.lr = lr;
    this.tolerance = tolerance;
    this.trainer = null;
    this.restart();
  }

  /** Fresh trainer at the start point (step 0, path of one point). */
  restart() {
    this.trainer?.delete();
    this.model.setParameters(this.start);
    this.trainer = this.gl.trainer(this.model, { type: 'sgd', lr: this.lr },
      { batchSize: 0, tolerance: this.tolerance, divergenceFactor: 1e6 });
  }

  /** Moves the start (slider, click on the chart) and restarts there. */
  moveTo(point) {
    this.start = Float64Array.from(point);
    this.restart();
  }

  setLearningRate(lr) {
    this.lr = lr;
    this.trainer.setLearningRate(lr);
  }

  isFinished() {
    const s = this.trainer.status;
    return s === 'converged' || s === 'diverged';
  }

  /** Up to k steps; @returns the status */
  run(k = 1) {
    if (this.isFinished()) return this.trainer.status;
    return this.trainer.run(k);
  }

  /** Current point, loss (taste error), gradient, step count and status — from the engine. */
  snapshot() {
    const t = this.trainer;
    return {
      point: Array.from(t.parameters()),
      loss: t.loss,
      gradient: Array.from(t.gradient()),
      step: t.steps,
      status: t.status,
    };
  }

  /** Points visited, as arrays of `size` numbers. */
  path() {
    const flat = this.trainer.trajectory();
    const out = [];
    for (let k = 0; k + this.size <= flat.length; k += this.size) {
      out.push(Array.from(flat.subarray(k, k + this.size)));
    }
    return out;
  }

  /** Value and gradient anywhere, without moving the trainer. */
  evaluateAt(point) {
    const { loss, gradient } = this.model.evaluate(Float64Array.from(point));
    return { loss, gradient: Array.from(gradient) };
  }

  /** Samples of the 1-D curve: {xs, ys} over [min, max]. */
  curve(min, max, count = 161) {
    const xs = [], ys = [];
    for (let i = 0; i < count; i++) {
      const x = min + ((max - min) * i) / (count - 1);
      xs.push(x);
      ys.push(this.model.evaluate(Float64Array.of(x)).loss);
    }
    return { xs, ys };
  }

  /** 2-D landscape over a window; row r is one value of the second parameter. */
  landscape({ xMin, xMax, yMin, yMax }, nx = 80, ny = 80) {
    const values = this.model.landscape({ i: 0, j: 1, iMin: xMin, iMax: xMax, jMin: yMin, jMax: yMax, nx, ny });
    return { values, nx, ny, xMin, xMax, yMin, yMax };
  }

  delete() {
    this.trainer?.delete();
    this.model?.delete();
    this.trainer = null;
    this.model = null;
  }
}

/**
 * The tangent line to the curve at x0: y = f0 + slope·(x − x0), as two end points spanning
 * [x0 − half, x0 + half].
 */
export function tangentSegment(x0, f0, slope, half) {
  return [
    { x: x0 - half, y: f0 - slope * half },
    { x: x0 + half, y: f0 + slope * half },
  ];
}

/**
 * One gradient step on one ingredient, written out with numbers:
 *   new = old − learning rate × slope
 * @returns {{value:number, text:string}}
 */
export function stepLine(label, unit, old, lr, slope) {
  const value = old - lr * slope;
  return {
    value,
    text: `new ${label} = ${fmt(old)} − ${fmt(lr)} × ${fmtFactor(slope)} = ${fmt(value)} ${unit}`,
  };
}

/** Keeps x inside [min, max]. */
export const clamp = (x, min, max) => Math.min(max, Math.max(min, x));

/**
 * Step / Run / Pause for a gulab jamun widget: `class X extends SteppingWidget(GradlabWidget)`.
 * The widget provides `this.runButton`, `this.state.finished`, `_step()` (one gradient step,
 * which updates state.finished) and `_changed()` (redraw + event), and may set
 * `static stepInterval` (ms between visible steps while running; default 300). Run takes one
 * step per interval, or — when the reader asks for reduced motion — every step at once.
 */
export const SteppingWidget = (Base) => class extends Base {
  stepOnce() {
    this.pause();
    this._step();
    this._changed();
  }

  run() {
    if (this.state.finished) return;
    setText(this.runButton, 'Pause');
    const interval = this.constructor.stepInterval ?? 300;
    let last = -Infinity;
    this.startLoop((time) => {
      if (this.reducedMotion) {
        while (!this.state.finished) this._step();
      } else if (time - last >= interval) {
        last = time;
        this._step();
      } else {
        return true;
      }
      this._changed();
      if (this.state.finished) setText(this.runButton, 'Run');
      return !this.state.finished;
    });
  }

  pause() {
    if (this.looping) this.stopLoop();
    setText(this.runButton, 'Run');
    this.requestDraw();
  }
};
