// <gradlab-descent-curve>: gradient descent on a curve with several valleys.
//
// The engine's 'wells1d' function, f(x) = x²/10 + (1 − cos 2x): a wide bowl with ripples, so
// it has its lowest valley at x = 0 (f = 0) and higher valleys near x ≈ ±2.99 and ±5.96. The
// engine's Trainer runs plain gradient descent (x ← x − η f′(x)) from a start point; the widget
// draws the curve, the path of the steps, the tangent at the current point, the loss after each
// step, and says whether the walk converged (and in which valley), kept overshooting until the
// step budget ran out, or diverged.
//
// Attributes (see schema.js):
//   start          number, default 4, −7 … 7            where the walk begins
//   learning-rate  number, default 0.05, 0.001 … 40     step size η
//   max-steps      number, default 500, 1 … 5000        Run stops here if the walk has not settled
//
// Controls: start slider, learning-rate slider (log scale) and presets — too small (0.01),
// about right (0.2), too large (1: keeps jumping), far too large (12: diverges) — each preset
// restarts the walk and runs it; Step, Run / Pause, Reset.
//
// Events and properties: see descent-lab.js (gradlab-change; point, loss, gradient, steps,
// status, learningRate, history, minimumFound).

import { CurveChart } from '../charts/index.js';
import { DescentWidget, num } from './descent-lab.js';

const VIEW = { xMin: -7, xMax: 7, yMin: 0, yMax: 7 };
const PATH_SHOWN = 60; // steps drawn on the curve (the newest ones)

export class DescentCurve extends DescentWidget {
  static tag = 'gradlab-descent-curve';

  static functionName = 'wells1d';

  static presets = [
    { label: 'Too small', lr: 0.01 },
    { label: 'About right', lr: 0.2 },
    { label: 'Too large', lr: 1 },
    { label: 'Far too large', lr: 12 },
  ];

  get heading() { return 'Gradient descent on a curve with several valleys'; }

  get pictureTitle() { return 'f(x) = x²/10 + (1 − cos 2x) and the path of the steps'; }

  get pointLabel() { return 'x'; }

  get slopeLabel() { return 'Slope f′(x)'; }

  startPoint() {
    return [this.attrs.start];
  }

  startControls() {
    this.startSlider = this.slider({ label: 'Start x', min: VIEW.xMin, max: VIEW.xMax, step: 0.1,
      value: this.attrs.start, onInput: (v) => this.moveStart([v]) });
    return [this.row(this.startSlider.element)];
  }

  syncStartControls([x]) {
    this.startSlider.set(x);
  }

  describePoint([x]) {
    return `x = ${num(x)}`;
  }

  buildPicture(host) {
    this.curve = this.own(new CurveChart(host, {
      label: 'Gradient descent on f(x) = x²/10 + (1 − cos 2x)', xLabel: 'x', yLabel: 'f(x)',
      xMin: VIEW.xMin, xMax: VIEW.xMax, yMin: VIEW.yMin, yMax: VIEW.yMax, curveLabel: 'f(x)',
    }));
    const xs = [];
    const ys = [];
    for (let k = 0; k <= 280; k += 1) {
      const x = VIEW.xMin + ((VIEW.xMax - VIEW.xMin) * k) / 280;
      xs.push(x);
      ys.push(this.lab.evaluate([x]).loss);
    }
    this.curve.setCurveData(xs, ys);
  }

  drawPicture(s, path, history) {
    const [x] = s.point;
    const inView = x >= VIEW.xMin && x <= VIEW.xMax;
    this.curve.setPoint(inView ? x : NaN, s.loss);
    this.curve.setTangent(inView ? x : NaN, s.loss, s.gradient[0], 0.8);
    // Only points inside the view are drawn (a diverging walk leaves it after a step or two, and
    // lines out to 10⁵ would only cross the picture). When the learning rate
    // is too large for any valley to hold the walk (η f″ > 2 with f″ at most 4.2), only the
    // last PATH_SHOWN steps are drawn, so a walk that keeps jumping stays readable.
    let end = path.findIndex((p) => !(p[0] >= VIEW.xMin && p[0] <= VIEW.xMax));
    if (end < 0) end = path.length;
    const stable = this.lab.lr * 4.2 < 2;
    const begin = stable ? 0 : Math.max(0, end - PATH_SHOWN);
    this.curve.setPath(path.slice(begin, end).map((p) => p[0]), history.slice(begin, end));
    this.curve.update();
  }
}

DescentCurve.define();
