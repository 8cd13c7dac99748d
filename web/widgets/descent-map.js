// <gradlab-descent-map>: gradient descent on a two-parameter landscape with several valleys.
//
// The engine's 'wells2d' function: a gentle bowl 0.05 (x² + y²) with three Gaussian wells of
// different depths, so it has three valleys — the lowest near (1.45, −0.97), others near
// (−1.45, 0.97) and (−0.77, −1.55) — with ridges and saddle points between them. The engine's
// Trainer runs plain gradient descent (p ← p − η ∇f(p)); the widget draws the landscape as a
// heat map (darker is lower) with the path of the steps, the loss after each step, and says
// where the walk ended.
//
// Attributes (see schema.js):
//   start          2 numbers, default "-2.5 -2.5", each −3 … 3   where the walk begins (x y)
//   learning-rate  number, default 0.3, 0.001 … 40              step size η
//   max-steps      number, default 500, 1 … 5000                Run stops here if not settled
//
// Controls: start x and y sliders, and clicking / dragging on the heat map (or focusing it and
// using the arrow keys) to choose the start; learning-rate slider (log scale) and presets — too
// small (0.02), about right (0.3), too large (1.5: keeps jumping), far too large (25: diverges),
// each restarts and runs the walk; Step, Run / Pause, Reset.
//
// Events and properties: see descent-lab.js (gradlab-change; point, loss, gradient, steps,
// status, learningRate, history, minimumFound).

import { HeatmapChart } from '../charts/index.js';
import { DescentWidget, num } from './descent-lab.js';

const VIEW = { xMin: -3, xMax: 3, yMin: -3, yMax: 3 };
const GRID = 90;

export class DescentMap extends DescentWidget {
  static tag = 'gradlab-descent-map';

  static functionName = 'wells2d';

  static presets = [
    { label: 'Too small', lr: 0.02 },
    { label: 'About right', lr: 0.3 },
    { label: 'Too large', lr: 1.5 },
    { label: 'Far too large', lr: 25 },
  ];

  get heading() { return 'Gradient descent on a landscape with three valleys'; }

  get pictureTitle() { return 'Loss over (x, y) — click or drag to choose the start'; }

  get pointLabel() { return 'Point (x, y)'; }

  get slopeLabel() { return 'Gradient (∂f/∂x, ∂f/∂y)'; }

  startPoint() {
    return [...this.attrs.start];
  }

  startControls() {
    const [x, y] = this.attrs.start;
    const move = () => this.moveStart([this.startX.value, this.startY.value]);
    this.startX = this.slider({ label: 'Start x', min: VIEW.xMin, max: VIEW.xMax, step: 0.05, value: x, onInput: move });
    this.startY = this.slider({ label: 'Start y', min: VIEW.yMin, max: VIEW.yMax, step: 0.05, value: y, onInput: move });
    return [this.row(this.startX.element, this.startY.element)];
  }

  syncStartControls([x, y]) {
    this.startX.set(x);
    this.startY.set(y);
  }

  describePoint(p) {
    return `(${p.map(num).join(', ')})`;
  }

  buildPicture(host) {
    this.map = this.own(new HeatmapChart(host, {
      label: 'Gradient descent on a landscape with three valleys', xLabel: 'x', yLabel: 'y',
      valueLabel: 'loss', ...VIEW, contours: 12, colorScale: 'linear',
      onPick: (x, y) => {
        const p = [Number(x.toFixed(2)), Number(y.toFixed(2))];
        this.syncStartControls(p);
        this.moveStart(p);
      },
    }));
    const values = this.lab.model.landscape({ i: 0, j: 1, iMin: VIEW.xMin, iMax: VIEW.xMax,
      jMin: VIEW.yMin, jMax: VIEW.yMax, nx: GRID, ny: GRID });
    this.map.setGrid(values, GRID, GRID);
  }

  drawPicture(s, path) {
    this.map.setPoint(s.point[0], s.point[1]);
    // Only the part of the path inside the view is drawn (a diverging walk leaves it after a few
    // steps; lines out to 10⁵ would paint a band across the map).
    const inView = (p) => p[0] >= VIEW.xMin && p[0] <= VIEW.xMax && p[1] >= VIEW.yMin && p[1] <= VIEW.yMax;
    let end = path.findIndex((p) => !inView(p));
    if (end < 0) end = path.length;
    const shown = path.slice(0, end);
    this.map.setPath(shown.map((p) => p[0]), shown.map((p) => p[1]));
    this.map.update();
  }
}

DescentMap.define();
