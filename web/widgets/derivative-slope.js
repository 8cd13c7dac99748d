// <gradlab-derivative-slope>: the derivative as the limit of secant slopes, on f(x) = x².
//
// The engine's 'square' function gives f and f′ (its gradient). The widget draws the curve, the
// point (x, f(x)), the secant through x and x + h, and the tangent at x, and prints
//   f(x), f(x + h), secant slope (f(x + h) − f(x)) / h, central difference
//   (f(x + h) − f(x − h)) / 2h, and the derivative f′(x) from the engine's gradient,
// plus a small table of secant slopes for h = 1, 0.1, 0.01, 0.001 at the current x, and what the
// sign of f′(x) says about the downhill direction. At x = 3, h = 0.01: secant 6.01, f′ = 6.
//
// Attributes (see schema.js):
//   x       number, default 3, −4 … 4          the point where the slope is measured
//   h       number, default 0.01, 0.001 … 1    the step to the second point of the secant
//   label   string, default "Slope of f(x) = x² at a point"   heading of the widget
//
// Controls: x slider (+ number box), h slider on a log scale (+ number box), "h ÷ 10" and
// "h × 10" buttons, "Zoom in on the point" checkbox, Reset (back to the attribute values).
//
// Events:
//   gradlab-change  detail {x, h, fx, fxh, secant, central, derivative} after every change
//   gradlab-ready   (from the base class) once the engine is loaded and the widget is drawn
//
// Properties (read-only): x, h, fx, fxh, secantSlope, centralDifference, derivative —
// all numbers computed by the engine for the current state.

import { GradlabWidget, h, morph, setText } from './base.js';
import { CurveChart, COLORS } from '../charts/index.js';
import { fmt } from './exam-math.js';

const X_RANGE = { min: -4, max: 4 }; // slider range of x
const VIEW = { xMin: -5, xMax: 5, yMin: 0, yMax: 25 }; // whole-curve view
const H_RANGE = { min: 0.001, max: 1 };
const TABLE_HS = [1, 0.1, 0.01, 0.001];
const ZOOM_HALF = 0.3; // half-width of the zoomed window around x
const SECANT_EXTRA = 1.2; // the secant line is drawn this far beyond its two points

/** Many digits, trailing zeros dropped: 9.006001, 6.01. */
const num = (v) => fmt(v, 7);

/** 1, 2 or 5 times a power of ten, close to `raw` (for round axis limits). */
function niceStep(raw) {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : 5) * p;
}

/** A CurveChart with a secant line and the second point (x + h, f(x + h)). */
class SecantChart extends CurveChart {
  constructor(host, options) {
    super(host, options);
    const sets = this.chart.data.datasets;
    sets.push(
      { label: 'secant', type: 'line', data: [], borderColor: COLORS.green, borderWidth: 2,
        pointRadius: 0, order: 2 },
      { label: 'second point', data: [], backgroundColor: COLORS.green, borderColor: '#fff',
        borderWidth: 1, pointRadius: 4, order: 0 },
    );
    const shown = new Set([options.curveLabel, 'tangent', 'secant']);
    this.chart.options.plugins.legend.display = true;
    this.chart.options.plugins.legend.labels.filter = (item) => shown.has(item.text);
    this.secantInfo = null;
  }

  /** The secant through (x0, y0) and (x1, y1), drawn a little beyond both points. */
  setSecant(x0, y0, x1, y1) {
    const [line, second] = this.chart.data.datasets.slice(4);
    if (![x0, y0, x1, y1].every(Number.isFinite) || x1 === x0) {
      line.data = [];
      second.data = [];
      this.secantInfo = null;
      return;
    }
    const slope = (y1 - y0) / (x1 - x0);
    const a = Math.min(x0, x1) - this.extra;
    const b = Math.max(x0, x1) + this.extra;
    line.data = [{ x: a, y: y0 + slope * (a - x0) }, { x: b, y: y0 + slope * (b - x0) }];
    second.data = [{ x: x1, y: y1 }];
    this.secantInfo = { x1, y1, slope };
  }

  summary() {
    let text = super.summary();
    if (this.secantInfo) {
      const s = this.secantInfo;
      text = `${text.slice(0, -1)}; secant to the second point at x = ${num(s.x1)}, ` +
        `y = ${num(s.y1)}, secant slope ${num(s.slope)}.`;
    }
    return text;
  }
}

export class DerivativeSlope extends GradlabWidget {
  static tag = 'gradlab-derivative-slope';

  static styles = `
    .ds-panel { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .6rem .8rem; min-width: 0; }
    .ds-panel h4 { margin: 0 0 .35rem; font-size: .95rem; }
    .ds-sign { margin: 0; font-weight: 600; }
    .ds-sign-up { color: #8a3a00; }
    .ds-sign-down { color: #174a96; }
    .ds-buttons { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
    th, td { padding: .15rem .6rem; text-align: right; border-bottom: 1px solid #e3e8ee; }
    th { font-weight: 600; font-size: .9rem; }
    tr.ds-current td { font-weight: 700; background: #eef4fc; }
  `;

  setup(gl) {
    this.model = this.own(gl.model({ type: 'function', name: 'square' }));
    this.state = { x: this.attrs.x, h: this.attrs.h, zoom: false };

    this.controls = {
      x: this.slider({ label: 'Point x', min: X_RANGE.min, max: X_RANGE.max, step: 0.1,
        value: this.state.x, onInput: (v) => this._set({ x: v }) }),
      h: this.slider({ label: 'Step h (log scale)', min: H_RANGE.min, max: H_RANGE.max, scale: 'log',
        value: this.state.h, onInput: (v) => this._set({ h: v }) }),
    };
    this.zoom = this.checkbox({ label: 'Zoom in on the point', checked: false,
      onChange: (on) => this._set({ zoom: on }) });
    this.out = {
      fx: this.readout({ label: 'f(x)', format: num }),
      fxh: this.readout({ label: 'f(x + h)', format: num }),
      secant: this.readout({ label: 'Secant slope (f(x+h) − f(x)) / h', format: num }),
      central: this.readout({ label: 'Central difference (f(x+h) − f(x−h)) / 2h', format: num }),
      derivative: this.readout({ label: 'Derivative f′(x) (engine gradient)', format: num }),
      gap: this.readout({ label: 'Secant − derivative', format: num }),
    };
    this.sign = h('p', { class: 'ds-sign', 'aria-live': 'polite' });
    this.tableBody = h('tbody', {});
    this.tableCaption = h('caption', {});
    const chartHost = h('div', {});

    this.body.append(
      this.title(this.attrs.label),
      chartHost,
      h('div', { class: 'gl-readouts' }, ...Object.values(this.out).map((r) => r.element)),
      this.sign,
      this.row(this.controls.x.element, this.controls.h.element),
      h('div', { class: 'ds-buttons' },
        this.button({ label: 'h ÷ 10', title: 'Make the step ten times smaller',
          onClick: () => this._set({ h: this.state.h / 10 }) }),
        this.button({ label: 'h × 10', title: 'Make the step ten times larger',
          onClick: () => this._set({ h: this.state.h * 10 }) }),
        this.zoom.element,
        this.button({ label: 'Reset', onClick: () => this.reset() })),
      h('div', { class: 'ds-panel' },
        h('table', {}, this.tableCaption,
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'h'), h('th', { scope: 'col' }, 'f(x + h)'),
            h('th', { scope: 'col' }, 'secant slope'))),
          this.tableBody)),
    );
    this.chart = this.own(new SecantChart(chartHost, {
      label: 'Curve f(x) = x² with a secant and the tangent', xLabel: 'x', yLabel: 'f(x)',
      xMin: VIEW.xMin, xMax: VIEW.xMax, yMin: VIEW.yMin, yMax: VIEW.yMax, curveLabel: 'f(x) = x²',
    }));
    this.chart.extra = SECANT_EXTRA;
    this._curveFor(VIEW.xMin, VIEW.xMax);
    this._compute();
  }

  /** f and f′ from the engine. */
  _eval(x) {
    const { loss, gradient } = this.model.evaluate([x]);
    return { f: loss, df: gradient[0] };
  }

  _curveFor(xMin, xMax, n = 161) {
    const xs = [];
    const ys = [];
    for (let k = 0; k < n; k += 1) {
      const x = xMin + ((xMax - xMin) * k) / (n - 1);
      xs.push(x);
      ys.push(this._eval(x).f);
    }
    this.chart.setXRange(xMin, xMax);
    this.chart.setCurveData(xs, ys);
    return ys;
  }

  _set(values) {
    const s = this.state;
    Object.assign(s, values);
    s.x = Math.min(X_RANGE.max, Math.max(X_RANGE.min, s.x));
    // ÷10 / ×10 may leave the range by rounding: keep h inside it, with 3 significant digits.
    s.h = Number(Math.min(H_RANGE.max, Math.max(H_RANGE.min, s.h)).toPrecision(3));
    this.controls.x.set(s.x);
    this.controls.h.set(s.h);
    this.zoom.checked = s.zoom;
    this._compute();
  }

  _compute() {
    const { x, h: step } = this.state;
    const at = this._eval(x);
    const ahead = this._eval(x + step);
    const behind = this._eval(x - step);
    Object.assign(this.state, {
      fx: at.f,
      fxh: ahead.f,
      derivative: at.df,
      secant: (ahead.f - at.f) / step,
      central: (ahead.f - behind.f) / (2 * step),
      rows: TABLE_HS.map((hh) => {
        const fh = this._eval(x + hh).f;
        return { h: hh, fxh: fh, secant: (fh - at.f) / hh };
      }),
    });
    this._viewDirty = true;
    this.requestDraw();
    const s = this.state;
    this.emit('gradlab-change', { x: s.x, h: s.h, fx: s.fx, fxh: s.fxh, secant: s.secant,
      central: s.central, derivative: s.derivative });
  }

  reset() {
    this._set({ x: this.attrs.x, h: this.attrs.h, zoom: false });
  }

  attributeChanged(name) {
    if (name === 'label') this.body.querySelector('.gl-title').textContent = this.attrs.label;
    else this.reset();
  }

  draw() {
    const s = this.state;
    this.out.fx.set(s.fx);
    this.out.fxh.set(s.fxh);
    this.out.secant.set(s.secant);
    this.out.central.set(s.central);
    this.out.derivative.set(s.derivative);
    this.out.gap.set(s.secant - s.derivative);

    // The view: the whole curve, or a small window around the point.
    if (s.zoom) {
      const half = Math.max(ZOOM_HALF, Math.ceil(20 * s.h) / 10); // round edges for the ticks
      const ys = this._curveFor(s.x - half, s.x + half, 81);
      const lo = Math.min(...ys, s.fxh);
      const hi = Math.max(...ys, s.fxh);
      const tick = niceStep((hi - lo) / 5 || 0.1);
      this.chart.setYRange(Math.floor(lo / tick) * tick - tick, Math.ceil(hi / tick) * tick + tick);
      this.chart.extra = half / 2;
      this.chart.setTangent(s.x, s.fx, s.derivative, half);
      this._zoomed = true;
    } else {
      if (this._zoomed) {
        this._curveFor(VIEW.xMin, VIEW.xMax);
        this.chart.setYRange(VIEW.yMin, VIEW.yMax);
        this._zoomed = false;
      }
      this.chart.extra = SECANT_EXTRA;
      this.chart.setTangent(s.x, s.fx, s.derivative, 1.5);
    }
    this.chart.setPoint(s.x, s.fx);
    this.chart.setSecant(s.x, s.fx, s.x + s.h, s.fxh);
    this.chart.update();

    this.sign.className = `ds-sign ${s.derivative > 0 ? 'ds-sign-up' : s.derivative < 0 ? 'ds-sign-down' : ''}`;
    setText(this.sign, signMessage(s.x, s.derivative));

    setText(this.tableCaption, `Shrinking h at x = ${num(s.x)} (f′(x) = ${num(s.derivative)})`);
    morph(this.tableBody, s.rows.map((r) =>
      h('tr', { class: Math.abs(r.h - s.h) < 1e-12 ? 'ds-current' : '' },
        h('td', {}, num(r.h)), h('td', {}, num(r.fxh)), h('td', {}, num(r.secant)))));
  }

  // --- public properties --------------------------------------------------------------------
  get x() { return this.state.x; }
  get h() { return this.state.h; }
  get fx() { return this.state.fx; }
  get fxh() { return this.state.fxh; }
  get secantSlope() { return this.state.secant; }
  get centralDifference() { return this.state.central; }
  get derivative() { return this.state.derivative; }
}

/** What the sign of f′(x) says about which way is downhill. */
export function signMessage(x, d) {
  const at = `f′(${num(x)}) = ${num(d)}`;
  if (d > 0) {
    return `${at} is positive: moving right makes f bigger, so move left (make x smaller) to go downhill.`;
  }
  if (d < 0) {
    return `${at} is negative: moving right makes f smaller, so move right (make x bigger) to go downhill.`;
  }
  return `${at}: the curve is flat here. This is the bottom of the valley; no small move lowers f.`;
}

DerivativeSlope.define();
