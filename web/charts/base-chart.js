// BaseChart: what every Gradlab chart shares.
//
// Each chart is a <figure> holding a canvas (role="img", aria-label kept equal to a one-line
// summary of what it shows) and a visually hidden <figcaption> with a table of the numbers, so
// a screen-reader user gets the data, not a picture. Chart.js is driven the cheap way: data
// already in {x, y} form (`parsing: false`), no animation, no hover handling, and
// `update('none')`. Call update() at most once per frame (widgets do it from draw()).
//
// NOTE: with `parsing: false` Chart.js takes every dataset as sorted by x and, when the axes have
// fixed limits, binary-searches for the visible part — an unsorted line (a descent path that
// doubles back, points in table order, an arrow drawn right to left) then loses segments.
// A dataset declared `sorted: false` is parsed instead (Chart.js then checks the order itself);
// the cost is small for the few hundred points such datasets hold. Long sorted series (loss
// curves) keep `parsing: false`, which the decimation plugin needs.

import { Chart, LinearScale, LogarithmicScale, PointElement, LineElement, LineController,
  ScatterController, Legend, Decimation } from 'chart.js';
import { formatPowerOfTen, formatShort } from '../widgets/format.js';

Chart.register(LinearScale, LogarithmicScale, PointElement, LineElement, LineController,
  ScatterController, Legend, Decimation);

/** Colour palette (dark enough to read on white; distinct for common colour blindness). */
export const COLORS = {
  blue: '#1f5fbf',
  orange: '#c2570c',
  green: '#1d7a3a',
  purple: '#6b3fa0',
  red: '#b00020',
  gray: '#5b6675',
  ink: '#1b1f24',
  grid: 'rgba(27, 31, 36, 0.10)',
};
export const SERIES_COLORS = [COLORS.blue, COLORS.orange, COLORS.green, COLORS.purple,
  COLORS.red, COLORS.gray];

export const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
  size: 12 };
export const TICK_COLOR = '#3d4652';

// Log axes: ticks, grid lines and labels at the powers of ten only, labelled 0.001 … 1 … 10000
// and 10⁻⁶, 10⁸ beyond (Chart.js would print "100.000" with uniform decimals, which reads as a
// hundred thousand in many locales); over more than 8 (16) decades every 2nd (3rd) power is
// labelled, so labels never crowd and Chart.js's own label skipping is off. Chart.js makes nine ticks a decade: measuring,
// skipping and drawing those was most of a full update of a log chart (backprop-net's
// gradient-norm bars, relaid at every change of the network: ~8-10 ms). An axis holding fewer
// than two powers keeps all its ticks and labels each (2, 3, … × 10ᵏ).
const isPower = (v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;

function keepPowers(scale) {
  if (scale.type !== 'logarithmic') return; // a chart may switch the axis to linear
  const powers = scale.ticks.filter((t) => isPower(t.value));
  if (powers.length >= 2) scale.ticks = powers;
}

function logTick(value, index, ticks) {
  if (ticks.filter((t) => isPower(t.value)).length < 2) return formatShort(value);
  if (!isPower(value)) return '';
  const decades = ticks.length > 1 ? Math.log10(ticks[ticks.length - 1].value / ticks[0].value) : 0;
  const every = decades > 16 ? 3 : decades > 8 ? 2 : 1;
  return Math.round(Math.log10(value)) % every === 0 ? formatPowerOfTen(value) : '';
}

// Linear axes: the labels Chart.js's default formatter gives in English (decimals from the tick
// spacing, or from the value's own fraction when the spacing is 1 or more; thousands grouped),
// without Intl.NumberFormat: creating the first one loads the browser's locale data, a
// measurable part of the first widget's set-up on a cold load. Decimal points then also match
// the widgets' readouts in every locale. Outside 1e-4 … 1e15: 1e-5 rather than 1.00000E-5.
function linearTick(value, index, ticks) {
  if (value === 0) return '0';
  let spacing = ticks.length > 3 ? ticks[2].value - ticks[1].value
    : ticks.length > 1 ? ticks[1].value - ticks[0].value : value;
  if (Math.abs(spacing) >= 1 && value !== Math.floor(value)) spacing = value - Math.floor(value);
  spacing = Math.abs(spacing);
  const largest = ticks.length > 1
    ? Math.max(Math.abs(ticks[0].value), Math.abs(ticks[ticks.length - 1].value)) : Math.abs(value);
  if (largest < 1e-4 || largest > 1e15) {
    const digits = Math.max(0, Math.min(20, Math.floor(Math.log10(Math.abs(value))) - Math.floor(Math.log10(spacing))));
    return value.toExponential(digits);
  }
  const decimals = Math.max(0, Math.min(20, -Math.floor(Math.log10(spacing))));
  const [whole, fraction] = value.toFixed(decimals).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/** A category axis (bars) is labelled with its categories' names, not their indices. */
function categoryTick(value) {
  return this.getLabelForValue(value);
}

/** Axis options with a title (type 'linear', 'logarithmic' or 'category': bar names, as given). */
export function axis({ title, min, max, type = 'linear', grid = true } = {}) {
  return {
    type,
    min,
    max,
    title: title ? { display: true, text: title, color: COLORS.ink, font: { ...FONT, size: 13 } } : undefined,
    ticks: { color: TICK_COLOR, font: FONT, maxTicksLimit: 8, autoSkip: type !== 'logarithmic',
      callback: type === 'logarithmic' ? logTick : type === 'category' ? categoryTick : linearTick },
    afterBuildTicks: type === 'logarithmic' ? keepPowers : undefined,
    grid: { color: grid ? COLORS.grid : 'transparent' },
    border: { color: '#8795a6' },
  };
}

/** Converts a value to a finite number or NaN (Chart.js skips NaN points, drawing a gap). */
export const finiteOrNaN = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

/** Whether two lists of parts (numbers, strings, booleans, typed arrays) are equal value for value. */
export function sameParts(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  return a.every((p, i) => {
    const q = b[i];
    if (!ArrayBuffer.isView(p)) return Object.is(p, q);
    if (!ArrayBuffer.isView(q) || q.length !== p.length) return false;
    for (let k = 0; k < p.length; k += 1) if (!Object.is(p[k], q[k])) return false;
    return true;
  });
}

/** `layer` (an off-screen canvas, made when null) sized like `canvas`, cleared, untransformed. */
function blankLayer(layer, canvas) {
  const out = layer ?? document.createElement('canvas');
  if (out.width !== canvas.width || out.height !== canvas.height) {
    out.width = canvas.width;
    out.height = canvas.height;
  }
  const ctx = out.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, out.width, out.height);
  return out;
}

/**
 * A picture kept between redraws: `layer` (an off-screen canvas, made when null) sized like the
 * chart's canvas, cleared, and painted by paint(ctx) in the chart's CSS-pixel coordinates.
 * Returns the layer.
 */
export function paintLayer(layer, chart, paint) {
  const { canvas } = chart;
  const out = blankLayer(layer, canvas);
  const ctx = out.getContext('2d');
  const ratio = chart.currentDevicePixelRatio || canvas.width / Math.max(1, canvas.clientWidth || canvas.width);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  paint(ctx);
  return out;
}

/** Copy a chart-sized layer (or canvas) onto the chart, pixel for pixel. */
export function copyLayer(chart, layer) {
  const { ctx } = chart;
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(layer, 0, 0);
  ctx.restore();
}

/** A copy of `canvas`'s pixels as they are now, in `layer` (made when null). */
function snapshot(layer, canvas) {
  const out = blankLayer(layer, canvas);
  out.getContext('2d').drawImage(canvas, 0, 0);
  return out;
}

/** What a kept layer depends on besides its own content: canvas size and plot area. */
export function layerKey(chart, version) {
  const { canvas, chartArea: a } = chart;
  return `${canvas.width}x${canvas.height}:${a.left},${a.top},${a.width},${a.height}:${version}`;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A dataset declared `sorted: false` is parsed by Chart.js (see the NOTE at the top). */
function unsortedParsing(dataset) {
  if (dataset.sorted === false) dataset.parsing = true;
  delete dataset.sorted;
  return dataset;
}

export class BaseChart {
  /**
   * @param {HTMLElement} host  element the <figure> is appended to
   * @param {object} o
   * @param {string} o.label    what the chart shows (accessible name prefix)
   * @param {boolean} [o.square]  square plot area (heatmaps)
   */
  constructor(host, { label = 'Chart', square = false } = {}) {
    this.label = label;
    this.figure = el('figure', 'gl-chart');
    this.box = el('div', `gl-chart-box${square ? ' gl-chart-square' : ''}`);
    this.canvas = el('canvas');
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', label);
    this.caption = el('figcaption', 'gl-visually-hidden');
    this.box.append(this.canvas);
    this.figure.append(this.box, this.caption);
    host.append(this.figure);
    this.chart = null;
    this._tableTimer = 0;
    this._lastSummary = '';
    // While a slider of the widget moves (hold()): automatic axes keep limits that still hold
    // the data however little of them it fills (growOnly), and update() leaves the text
    // alternative, accessible name and hidden table, as it was (deferText).
    this.growOnly = false;
    this.deferText = false;
    this._textStale = false;
    // false: every dataset is placed and drawn again at each update (see _noteData, _planBake);
    // the browser tests compare the two ways.
    this.keepStill = true;
  }

  /** Create the Chart.js instance; subclasses pass type, data and options. */
  _create({ type = 'scatter', datasets, scales, plugins = [], legend = false }) {
    datasets.forEach(unsortedParsing);
    this.chart = new Chart(this.canvas, {
      type,
      data: { datasets },
      // First, so that the background it keeps holds none of the other plugins' drawing.
      plugins: [this._backgroundPlugin(), ...plugins],
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        events: [], // we handle pointer input ourselves where needed
        layout: { padding: 4 },
        scales,
        plugins: {
          legend: { display: legend, labels: { color: COLORS.ink, font: FONT, boxWidth: 14 } },
          tooltip: { enabled: false },
          decimation: { enabled: true, algorithm: 'min-max' },
        },
      },
    });
    // Chart.js has just laid the chart out; if nothing that layout depends on changes before the
    // first update() (fixed axes), that update only redraws (saves a layout per chart at load).
    this._lastLayoutKey = this._layoutKey();
    this._lastSize = `${this.chart.width}x${this.chart.height}`;
    return this.chart;
  }

  /**
   * Keeps what Chart.js draws beneath the datasets (grid, ticks, axis titles, borders, legend) as
   * a bitmap after each full layout, and paints that bitmap instead of drawing them again while
   * the layout stays: on a slider move only the data change, and the axes' text was a third of
   * a chart's redraw. Anything that lays the chart out again (new limits, titles, size, pixel
   * ratio) drops the bitmap; so does a legend whose swatches changed.
   */
  _backgroundPlugin() {
    // canvas: the layers under the datasets (grid, ticks, titles, legend), kept from the first
    // draw after a layout. baked: that, what a plugin paints under the datasets (a heat map's
    // picture) and the bottom datasets that stayed as they were (see _planBake), copied from
    // the canvas at the second draw with the same plan; later draws with that plan start from
    // it and skip those datasets.
    // over: the top datasets that stayed as they were, drawn alone into a transparent layer at
    // the second draw with the same plan (see _planOver) and copied over the moving ones after.
    const bg = { canvas: null, valid: false, legend: '', layers: null,
      baked: null, bakedKey: '', pendingKey: '', skip: null, captureAt: -1,
      over: null, overKey: '', overPending: '', overSkip: null, overCapture: null, drawingOver: false };
    const legendKey = (chart) => (chart.legend?.options?.display
      ? (chart.legend.legendItems ?? []).map((i) => [i.text, i.fillStyle, i.strokeStyle, i.hidden, i.lineDash]).join('|')
      : '');
    return {
      id: 'glBackground',
      afterLayout: () => {
        bg.valid = false;
        bg.bakedKey = '';
        bg.pendingKey = '';
        bg.overKey = '';
        bg.overPending = '';
      },
      beforeDraw: (chart) => {
        if (bg.layers) chart._layers = bg.layers; // a draw that threw half-way
        bg.layers = null;
        bg.skip = null;
        bg.captureAt = -1;
        bg.overSkip = null;
        bg.overCapture = null;
        this._underCovered = false;
        const { canvas } = chart;
        const over = this._over;
        if (over && bg.over && over.key === bg.overKey && bg.over.width === canvas.width &&
            bg.over.height === canvas.height) {
          bg.overSkip = over;
        } else {
          if (over && over.key === bg.overPending) bg.overCapture = over;
          bg.overPending = over ? over.key : '';
        }
        if (!bg.valid || bg.canvas.width !== canvas.width || bg.canvas.height !== canvas.height ||
            bg.legend !== legendKey(chart)) {
          bg.valid = false;
          bg.bakedKey = '';
          return;
        }
        const plan = this._bake;
        if (plan && plan.key === bg.bakedKey) {
          copyLayer(chart, bg.baked);
          bg.skip = plan.indices;
          this._underCovered = true;
        } else {
          copyLayer(chart, bg.canvas);
          // A plan seen at the draw before is likely to last (a slider that moves one dataset):
          // bake it at this draw. One seen for the first time may be gone at the next.
          if (plan && plan.key === bg.pendingKey) bg.captureAt = plan.top;
          bg.pendingKey = plan ? plan.key : '';
        }
        // Chart.js draws the layers with z <= 0 before the datasets: the bitmap holds them.
        bg.layers = chart._layers;
        chart._layers = bg.layers.filter((layer) => layer.z > 0);
      },
      beforeDatasetsDraw: (chart) => {
        const { canvas } = chart;
        // (A canvas of no pixels cannot be drawn from: drawImage would throw.)
        if (bg.layers || bg.valid || !canvas.width || !canvas.height) return;
        bg.canvas = snapshot(bg.canvas, canvas);
        bg.legend = legendKey(chart);
        bg.valid = true;
      },
      beforeDatasetDraw: (chart, args) => (!bg.drawingOver &&
        (bg.skip?.has(args.index) || bg.overSkip?.indices.has(args.index)) ? false : undefined),
      afterDatasetDraw: (chart, args) => {
        if (args.index !== bg.captureAt || !this._bake) return;
        bg.baked = snapshot(bg.baked, chart.canvas);
        bg.bakedKey = this._bake.key;
        bg.captureAt = -1;
      },
      // (The first plugin, so this runs before any other plugin draws over the datasets.)
      afterDatasetsDraw: (chart) => {
        if (bg.overSkip) {
          copyLayer(chart, bg.over);
        } else if (bg.overCapture && chart.canvas.width && chart.canvas.height) {
          bg.over = this._paintOver(bg.over, bg.overCapture.metas, bg);
          bg.overKey = bg.overCapture.key;
        }
      },
      afterDraw: (chart) => {
        if (bg.layers) chart._layers = bg.layers;
        bg.layers = null;
      },
    };
  }

  /**
   * Draw the datasets of `metas` (in drawing order) alone into a transparent chart-sized layer:
   * Chart.js's own drawing of each, with its context pointed at the layer for the time.
   */
  _paintOver(layer, metas, bg) {
    const chart = this.chart;
    const saved = chart.ctx;
    bg.drawingOver = true;
    try {
      return paintLayer(layer, chart, (ctx) => {
        chart.ctx = ctx;
        for (const meta of metas) {
          const controller = meta.controller;
          const own = controller._ctx;
          controller._ctx = ctx;
          try {
            chart._drawDataset(meta);
          } finally {
            controller._ctx = own;
          }
        }
      });
    } finally {
      chart.ctx = saved;
      bg.drawingOver = false;
    }
  }

  /** Add a dataset after creation (`sorted: false` for a line that is not sorted by x). */
  addDataset(dataset) {
    this.chart.data.datasets.push(unsortedParsing(dataset));
    return dataset;
  }

  /** One-line text summary of what the chart currently shows (override). */
  summary() {
    return this.label;
  }

  /** The numbers behind the chart: { columns: [..], rows: [[..], ..] } (override). */
  table() {
    return { columns: [], rows: [] };
  }

  /**
   * What the chart's layout depends on besides its size: the axes (type, limits, titles), the
   * legend and the datasets' names and visibility. null when an axis has no fixed limits (its
   * range then follows the data, so every update needs a new layout).
   */
  _layoutKey() {
    // The options as the chart was given them (config.options), which is also where writes
    // through Chart.js's resolver (chart.options.scales.x.min = …) land: listing the resolver
    // proxy's keys cost more than the rest of the key, three times per chart and frame.
    const { config: { options }, data, scales } = this.chart;
    const given = options.scales ?? {};
    for (const id in scales) if (!Object.hasOwn(given, id)) return null; // a scale Chart.js made
    const parts = [options.plugins?.legend?.display ? 'L' : '', data.labels ? data.labels.join('\u0001') : ''];
    for (const [id, s] of Object.entries(given)) {
      if (s.type !== 'category' && (!Number.isFinite(s.min) || !Number.isFinite(s.max))) return null;
      parts.push(id, s.type, s.min, s.max, s.display, s.title?.text ?? '');
    }
    for (const d of data.datasets) parts.push(d.label, d.hidden ? 'h' : '', d.type ?? '');
    return parts.join('\u0002');
  }

  /**
   * Axes without limits of their own get "nice" limits from the data (as Chart.js's own ticks
   * would: 0 … 0.5, 1e-3 … 10) that are kept while the data stay inside them and still fill a
   * fair part of them (any part while `growOnly`: a widget sets it while a slider moves). A
   * slider drag then keeps the layout and takes the fast path below, and the axes stop jumping
   * at every move. A limit a widget sets itself is left alone.
   */
  _fitAutoAxes() {
    const { options, data, config } = this.chart;
    this._autoSet ??= {};
    // (Which axes there are: from the options as given, as in _layoutKey; each is then read and
    // set through the resolver, which keeps its own copy of what it last returned.)
    for (const id of Object.keys(config.options.scales ?? {})) {
      if (id !== 'x' && id !== 'y') continue;
      const s = options.scales[id];
      if (s.type === 'category') continue;
      const mine = this._autoSet[id] ?? {};
      const autoMin = s.min === undefined || s.min === mine.min;
      const autoMax = s.max === undefined || s.max === mine.max;
      if (!autoMin && !autoMax) continue;
      const log = s.type === 'logarithmic';
      let lo = Infinity;
      let hi = -Infinity;
      for (const d of data.datasets) {
        if (d.hidden) continue;
        for (const p of d.data) {
          const v = p === null || p === undefined ? NaN : typeof p === 'number' ? p : p[id];
          if (!(v > -Infinity && v < Infinity) || (log && !(v > 0))) continue;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      if (!autoMin) lo = Math.min(lo, s.min);
      if (!autoMax) hi = Math.max(hi, s.max);
      if (s.beginAtZero && !log) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
      if (!(lo <= hi)) { // no data: let Chart.js choose
        if (autoMin) s.min = undefined;
        if (autoMax) s.max = undefined;
        this._autoSet[id] = {};
        continue;
      }
      const cur = { min: autoMin ? mine.min : s.min, max: autoMax ? mine.max : s.max };
      // A single value (one point, or a flat line: a loss curve before the first step) has no
      // spread to fill the axis with. On a linear axis it gets limits from zero to twice the
      // value, kept while it stays inside and above a tenth of them; on a log axis, a power of
      // ten either side of its own, kept while it stays inside. Limits fitted tightly around it
      // changed, and relaid the chart, at almost every move of a slider.
      const lone = lo === hi;
      const inside = Number.isFinite(cur.min) && Number.isFinite(cur.max) && lo >= cur.min && hi <= cur.max;
      const filled = lone ? log || Math.abs(lo) >= 0.1 * Math.max(Math.abs(cur.min), Math.abs(cur.max))
        : log ? Math.log10(hi / lo) >= 0.4 * Math.log10(cur.max / cur.min)
          : hi - lo >= 0.4 * (cur.max - cur.min);
      const fits = inside && (this.growOnly || filled);
      const next = fits ? cur
        : !lone ? niceLimits(lo, hi, log)
          : log ? niceLimits(lo / 10, hi * 10, true) : niceLimits(Math.min(0, 2 * lo), Math.max(0, 2 * hi));
      if (autoMin) s.min = next.min;
      if (autoMax) s.max = next.max;
      this._autoSet[id] = { min: autoMin ? s.min : undefined, max: autoMax ? s.max : undefined };
    }
  }

  /**
   * Records a dataset's own properties other than its data (arrays copied: a style array may be
   * changed in place) for its controller; true when they differ from the last record.
   */
  _noteStyle(controller, dataset) {
    this._styles ??= new WeakMap();
    const last = this._styles.get(controller);
    const now = [];
    for (const k of Object.keys(dataset)) {
      if (k === 'data') continue;
      const v = dataset[k];
      now.push(k, Array.isArray(v) ? v.slice() : v);
    }
    this._styles.set(controller, now);
    if (!last || last.length !== now.length) return true;
    for (let i = 0; i < now.length; i += 1) {
      const a = last[i];
      const b = now[i];
      if (a === b) continue;
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length || a.some((x, j) => x !== b[j])) return true;
    }
    return false;
  }

  /**
   * Records dataset i's points (x and y: all Chart.js reads of a point with parsing off; a
   * number for a category chart); true when they are the same as at the last record. `changed`
   * counts the record as a change whatever the points. Each change bumps the dataset's version.
   */
  _noteData(i, dataset, changed = false) {
    // (The decimation plugin keeps the dataset's own points in _data while data returns its
    // shortened copy.)
    const data = (dataset._decimated ? dataset._data : dataset.data) ?? [];
    this._seen ??= [];
    let seen = this._seen[i];
    const n = data.length;
    if (!seen || seen.values.length < 2 * n) {
      seen = { n: -1, values: new Float64Array(Math.max(16, 2 * n)), version: seen ? seen.version : 0 };
      this._seen[i] = seen;
    }
    const { values } = seen;
    let same = !changed && seen.n === n;
    for (let k = 0; k < n; k += 1) {
      const p = data[k];
      // A number is stored with an impossible y (Infinity is not drawn, so no point has it).
      const x = typeof p === 'number' ? p : p == null ? NaN : p.x;
      const y = typeof p === 'number' ? Infinity : p == null ? NaN : p.y;
      const a = values[2 * k];
      const b = values[2 * k + 1];
      if (same && !((a === x || (a !== a && x !== x)) && (b === y || (b !== b && y !== y)))) same = false;
      values[2 * k] = x;
      values[2 * k + 1] = y;
    }
    seen.n = n;
    if (!same) seen.version += 1;
    return same;
  }

  /**
   * What the background plugin may keep drawn under the moving datasets: the run of datasets
   * at the bottom of the drawing order (Chart.js draws the last of its sorted list first) that
   * are `still`, with what other plugins paint beneath the datasets. null when there is no
   * such run, or when a plugin paints beneath them and cannot say what (see underKey).
   * `metas`: the chart's getSortedVisibleDatasetMetas().
   */
  _planBake(still, metas) {
    const chart = this.chart;
    const under = [];
    for (const plugin of chart.config.plugins ?? []) {
      if (plugin.id === 'glBackground' || !plugin.beforeDatasetsDraw) continue;
      const part = typeof plugin.underKey === 'function' ? plugin.underKey() : null;
      if (part === null || part === undefined) return null;
      under.push(part);
    }
    const run = [];
    for (let k = metas.length - 1; k >= 0 && still[metas[k].index]; k -= 1) run.push(metas[k].index);
    if (!run.length) return null;
    return {
      indices: new Set(run),
      top: run[run.length - 1],
      key: `${under.join('\u0001')}\u0002${run.map((i) => `${i}:${this._seen[i].version}`).join(',')}`,
    };
  }

  /**
   * What the background plugin may keep drawn *over* the moving datasets: the run of datasets at
   * the top of the drawing order that are `still` (exam-score's points over its moving line), not
   * already kept under them (`under`: _planBake's plan). null when there is none, when one of
   * them fills an area (the fill can reach a moving dataset), or when a plugin draws per dataset
   * (its drawing would be kept with them). For exam-score's W slider the 40 points were ~0.2 ms
   * of the canvas's raster per move; one copy of the layer instead: the main thread's layer
   * update (where the software canvas is rastered) 0.98 / 0.81 → 0.71 / 0.76 ms (traces of 60
   * moves, two rounds).
   */
  _planOver(still, metas, under) {
    const chart = this.chart;
    if (typeof chart._drawDataset !== 'function') return null;
    for (const plugin of chart.config.plugins ?? []) {
      if (plugin.id !== 'glBackground' && (plugin.beforeDatasetDraw || plugin.afterDatasetDraw)) return null;
    }
    const run = [];
    for (const meta of metas) {
      if (!still[meta.index] || under?.indices.has(meta.index)) break;
      if (chart.data.datasets[meta.index].fill) return null;
      run.push(meta);
    }
    if (!run.length || run.length === metas.length) return null; // (nothing moves beneath them)
    run.reverse(); // Chart.js draws the last of its sorted list first
    return {
      indices: new Set(run.map((m) => m.index)),
      metas: run,
      key: run.map((m) => `${m.index}:${this._seen[m.index].version}`).join(','),
    };
  }

  /** Redraw now without animation and refresh the text alternative. */
  update() {
    if (!this.chart) return;
    this._fitAutoAxes();
    // A chart whose axes are fixed (heat maps, most curves) keeps its layout while only the data
    // move: then the datasets are re-read and redrawn without Chart.js's full update, which
    // rebuilds the scales, measures every tick label and fits the boxes again — most of the
    // cost of a slider move. Anything that can move the layout takes the full update.
    const chart = this.chart;
    const key = this._layoutKey();
    const size = `${chart.width}x${chart.height}`;
    // (The fast path is Chart.js 4's own update() minus the scale and layout steps; it uses the
    // internal _updateDatasets, so a Chart.js without it simply takes the full update.)
    if (key !== null && key === this._lastLayoutKey && size === this._lastSize && chart.chartArea &&
        typeof chart._updateDatasets === 'function') {
      chart.config.clearCache(); // dataset styles may have changed (e.g. a highlighted line)
      chart.notifyPlugins('beforeElementsUpdate'); // decimation of long series
      const n = chart.data.datasets.length;
      // Chart.js's _updateDatasets('none'), except that a dataset whose own style properties are
      // the same as at its last update keeps the options Chart.js resolved for it then:
      // resolving them again through Chart.js's option proxies was the largest part of a
      // redraw for a chart of many datasets (optim-race: one per optimizer). A changed style
      // (a highlighted line, a selected point's colour) is resolved again. A dataset whose
      // points are also the same (a function's curve while only the point on it moves) keeps
      // its elements as they are: same data, same layout, same places.
      // (Stacked datasets place each other: none counts as still.)
      const stacked = Object.values(chart.config.options.scales ?? {}).some((s) => s?.stacked);
      const styled = [];
      const still = [];
      for (let i = 0; i < n; i += 1) {
        const dataset = chart.data.datasets[i];
        styled[i] = this._noteStyle(chart.getDatasetMeta(i).controller, dataset);
        still[i] = this._noteData(i, dataset) && !styled[i] && !stacked && this.keepStill;
      }
      for (let i = 0; i < n; i += 1) if (!still[i]) chart.getDatasetMeta(i).controller.buildOrUpdateElements(false);
      if (chart.notifyPlugins('beforeDatasetsUpdate', { mode: 'none', cancelable: true }) !== false) {
        for (let i = 0; i < n; i += 1) if (styled[i]) chart.getDatasetMeta(i).controller.configure();
        for (let i = 0; i < n; i += 1) if (!still[i]) chart._updateDataset(i, 'none');
        chart.notifyPlugins('afterDatasetsUpdate', { mode: 'none' });
      }
      // Legend swatches follow the styles (Chart.js's legend rebuilds its items at afterUpdate,
      // reading every dataset's style: a tenth of a millisecond per chart and frame, for nothing
      // when no style changed).
      if (styled.some(Boolean)) chart.notifyPlugins('afterUpdate', { mode: 'none' });
      // (Chart.js sorts its dataset list anew on each call: once for both plans.)
      const metas = chart.getSortedVisibleDatasetMetas();
      this._bake = this._planBake(still, metas);
      this._over = this._planOver(still, metas, this._bake);
      chart.render();
    } else {
      chart.update('none');
      this._lastLayoutKey = key;
      this._lastSize = `${chart.width}x${chart.height}`;
      chart.data.datasets.forEach((d, i) => {
        this._noteStyle(chart.getDatasetMeta(i).controller, d);
        this._noteData(i, d, true);
      });
      this._bake = null;
      this._over = null;
    }
    if (this.deferText) this._textStale = true;
    else this._refreshText();
  }

  /**
   * update(), unless `parts` — everything the widget put into the chart since, as numbers, strings
   * or typed arrays — equal those of the last updateIf() and the chart's size and layout are the
   * same: a slider move that leaves a chart's picture as it was (a setting of the next step, not
   * of what is drawn) then costs no redraw. After a hold the next call always redraws (the
   * axes fit the data again, see hold()). Returns whether it redrew.
   */
  updateIf(parts) {
    if (!this.chart) return false;
    const key = [`${this.chart.width}x${this.chart.height}`, this._layoutKey(), ...parts];
    if (sameParts(key, this._lastParts)) {
      // The picture stays; the text alternative still follows data that `parts` leave out
      // (backprop-net's loss chart before the first step: one loss, no line to draw).
      if (this.deferText) this._textStale = true;
      else this._refreshText();
      return false;
    }
    this.update();
    // Kept as they are after the update: its fitting of automatic axes is part of the layout.
    this._lastParts = [`${this.chart.width}x${this.chart.height}`, this._layoutKey(), ...parts];
    return true;
  }

  /**
   * The text alternative: the canvas's accessible name (the summary) now, the hidden table at most
   * twice a second (it can be long).
   */
  _refreshText() {
    this._textStale = false;
    const text = this.summary();
    if (text !== this._lastSummary) {
      this._lastSummary = text;
      this.canvas.setAttribute('aria-label', text);
    }
    if (!this._tableTimer) {
      this._tableTimer = setTimeout(() => {
        this._tableTimer = 0;
        this.renderTable();
      }, 500);
    }
  }

  /**
   * A slider of the widget starts (true) or stops (false) moving: growOnly and deferText follow;
   * when it stops, the text alternative is brought up to date.
   */
  hold(on) {
    if (this.growOnly && !on) this._lastParts = null; // at rest: drawn once more, axes refitted
    this.growOnly = on;
    this.deferText = on;
    if (!on && this._textStale && this.chart) this._refreshText();
  }

  /** Rebuild the visually hidden table of numbers now. */
  renderTable() {
    if (!this.chart) return;
    const { columns, rows } = this.table();
    const caption = el('p', '', this.summary());
    const nodes = [caption];
    if (columns.length && rows.length) {
      const table = el('table');
      const head = el('tr');
      for (const c of columns) head.append(el('th', '', c));
      table.append(head);
      for (const row of rows) {
        const tr = el('tr');
        for (const cell of row) tr.append(el('td', '', typeof cell === 'number' ? formatShort(cell) : String(cell)));
        table.append(tr);
      }
      nodes.push(table);
    }
    this.caption.replaceChildren(...nodes);
  }

  /** Data coordinates of a pointer event, or null when outside the plot area. */
  eventToData(event, { clampToArea = false } = {}) {
    if (!this.chart) return null;
    const rect = this.canvas.getBoundingClientRect();
    let px = event.clientX - rect.left;
    let py = event.clientY - rect.top;
    const area = this.chart.chartArea;
    if (clampToArea) {
      px = Math.min(area.right, Math.max(area.left, px));
      py = Math.min(area.bottom, Math.max(area.top, py));
    } else if (px < area.left || px > area.right || py < area.top || py > area.bottom) {
      return null;
    }
    return {
      x: this.chart.scales.x.getValueForPixel(px),
      y: this.chart.scales.y.getValueForPixel(py),
      px,
      py,
    };
  }

  /** Release the chart and remove the figure. Safe to call twice. */
  destroy() {
    clearTimeout(this._tableTimer);
    this._tableTimer = 0;
    this._cleanup?.();
    this.chart?.destroy();
    this.chart = null;
    this.figure.remove();
  }
}

/** Round to 12 significant digits (0.30000000000000004 -> 0.3). */
const tidy = (v) => Number(v.toPrecision(12));

/** Limits on round numbers around [lo, hi]: steps of 1, 2 or 5 × 10^k; whole decades on a log axis. */
export function niceLimits(lo, hi, log = false) {
  if (log) {
    let min = 10 ** Math.floor(Math.log10(lo) + 1e-9);
    let max = 10 ** Math.ceil(Math.log10(hi) - 1e-9);
    if (!(max > min)) { min /= 10; max *= 10; }
    return { min: tidy(min), max: tidy(max) };
  }
  if (lo === 0 && hi === 0) return { min: -1, max: 1 }; // nothing to scale by: a unit either side
  let span = hi - lo;
  if (!(span > 0)) span = Math.abs(hi) || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  let min = Math.floor(lo / step + 1e-9) * step;
  let max = Math.ceil(hi / step - 1e-9) * step;
  if (!(max > min)) { min -= step; max += step; }
  return { min: tidy(min), max: tidy(max) };
}

/** Up to `max` evenly spaced indices of an array of length n (always including the last). */
export function sampleIndices(n, max = 20) {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out = [];
  for (let k = 0; k < max; k += 1) out.push(Math.round((k * (n - 1)) / (max - 1)));
  return [...new Set(out)];
}
