// BaseChart: what every Gradlab chart shares.
//
// Each chart is a <figure> holding a canvas (role="img", aria-label kept equal to a one-line
// summary of what it shows) and a visually hidden <figcaption> with a table of the numbers, so
// a screen-reader user gets the data, not a picture. Chart.js is driven the cheap way: data
// already in {x, y} form (`parsing: false`), no animation, no hover handling, and
// `update('none')`. Call update() at most once per frame (widgets do it from draw()).

import { Chart, LinearScale, LogarithmicScale, PointElement, LineElement, LineController,
  ScatterController, Legend, Decimation } from 'chart.js';
import { formatShort } from '../widgets/format.js';

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

const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
  size: 12 };

// Log axes: label the powers of ten only, as 0.001 … 1 … 1000 (Chart.js would print
// "100.000" with uniform decimals, which reads as a hundred thousand in many locales).
function logTick(value) {
  const exponent = Math.log10(value);
  return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? formatShort(value) : '';
}

/** Axis options with a title. */
export function axis({ title, min, max, type = 'linear', grid = true } = {}) {
  return {
    type,
    min,
    max,
    title: title ? { display: true, text: title, color: COLORS.ink, font: { ...FONT, size: 13 } } : undefined,
    ticks: { color: '#3d4652', font: FONT, maxTicksLimit: 8,
      ...(type === 'logarithmic' ? { callback: logTick } : {}) },
    grid: { color: grid ? COLORS.grid : 'transparent' },
    border: { color: '#8795a6' },
  };
}

/** Converts a value to a finite number or NaN (Chart.js skips NaN points, drawing a gap). */
export const finiteOrNaN = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
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
  }

  /** Create the Chart.js instance; subclasses pass type, data and options. */
  _create({ type = 'scatter', datasets, scales, plugins = [], legend = false }) {
    this.chart = new Chart(this.canvas, {
      type,
      data: { datasets },
      plugins,
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
    return this.chart;
  }

  /** One-line text summary of what the chart currently shows (override). */
  summary() {
    return this.label;
  }

  /** The numbers behind the chart: { columns: [..], rows: [[..], ..] } (override). */
  table() {
    return { columns: [], rows: [] };
  }

  /** Redraw now without animation and refresh the text alternative. */
  update() {
    if (!this.chart) return;
    this.chart.update('none');
    const text = this.summary();
    if (text !== this._lastSummary) {
      this._lastSummary = text;
      this.canvas.setAttribute('aria-label', text);
    }
    // The hidden table is rebuilt at most twice a second (it can be long).
    if (!this._tableTimer) {
      this._tableTimer = setTimeout(() => {
        this._tableTimer = 0;
        this.renderTable();
      }, 500);
    }
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

/** Up to `max` evenly spaced indices of an array of length n (always including the last). */
export function sampleIndices(n, max = 20) {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out = [];
  for (let k = 0; k < max; k += 1) out.push(Math.round((k * (n - 1)) / (max - 1)));
  return [...new Set(out)];
}
