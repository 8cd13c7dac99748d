// <gradlab-exam-score>: a class of students, hours studied -> exam score, fitted by a straight
// line (score = hours × W + B) with gradient descent on the mean squared error.
//
// Shows, all from the engine: the data with the current line, the loss after every step, the loss
// landscape over (W, B) with the path of the descent, and the gradient. Next to them, the "chain
// of numbers" writes ∂L/∂W = (2/n)·Σ(predᵢ − yᵢ)·xᵢ out with the current values, and a
// finite-difference check compares it with [L(W+h) − L(W−h)] / 2h.
// The data table is editable (cells, add/remove rows, drag on the scatter, CSV paste/upload);
// any data change restarts the fit.
//
// Events: 'gradlab-change' with detail {weight, bias, loss, step, status} after every change of
// state (a step, a run frame, a moved point, new data, a new learning rate, a reset).

import { GradlabWidget, h, setText } from './base.js';
import { ScatterFit, LineChart, HeatmapChart } from '../charts/index.js';
import { ExamClass, MAX_ROWS } from './exam-lab.js';
import { fmt, fmtFactor } from './exam-math.js';
import { parseCsv, parseNumber } from './csv.js';

const STEPS_PER_FRAME = 10;
const RUN_LIMIT = 20000; // a run stops here even if not converged
const GRID = 80; // landscape resolution (GRID × GRID engine evaluations of the loss)
const LIMITS = { hours: [0, 100], score: [-1000, 1000] };
const DIVERGED_TEXT =
  'Diverged — the steps grew instead of shrinking. Lower the learning rate and press Reset.';

/** Why a data row cannot be used, or null. */
function rowProblem(hours, score) {
  if (hours < LIMITS.hours[0] || hours > LIMITS.hours[1]) {
    return `hours ${fmt(hours)} is outside ${LIMITS.hours[0]} to ${LIMITS.hours[1]}`;
  }
  if (score < LIMITS.score[0] || score > LIMITS.score[1]) {
    return `score ${fmt(score)} is outside ${LIMITS.score[0]} to ${LIMITS.score[1]}`;
  }
  return null;
}

/** Axis limits that show every point with a margin, and always the usual 0..10 h, 0..100 marks. */
function scatterLimits(rows) {
  let xMin = 0, xMax = 10, yMin = 0, yMax = 100;
  for (const [x, y] of rows) {
    xMin = Math.min(xMin, x); xMax = Math.max(xMax, x);
    yMin = Math.min(yMin, y); yMax = Math.max(yMax, y);
  }
  // Round outwards to friendly ticks, with room above the highest point.
  const up = (v, step) => Math.ceil(v / step) * step;
  const down = (v, step) => Math.floor(v / step) * step;
  const yStep = yMax - yMin > 300 ? 100 : 20;
  return { xMin: down(xMin, 1), xMax: up(xMax, xMax > 20 ? 10 : 1), yMin: down(yMin, yStep), yMax: up(yMax + 5, yStep) };
}

export class ExamScore extends GradlabWidget {
  static tag = 'gradlab-exam-score';

  static styles = `
    .es-status { margin: 0; font-weight: 600; }
    .es-diverged { margin: 0; padding: .6rem .8rem; border-radius: 6px; border-left: 4px solid #b00020;
      background: #fdecee; color: #5c0010; font-weight: 600; }
    .es-diverged:empty { display: none; }
    .es-panel { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .6rem .8rem; min-width: 0; }
    .es-panel h4 { margin: 0 0 .4rem; font-size: .95rem; }
    .es-chain { margin: 0; display: grid; gap: .35rem; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .es-chain p { margin: 0; }
    .es-ok { color: #1d6b35; font-weight: 600; }
    .es-bad { color: #b00020; font-weight: 600; }
    .es-buttons { display: flex; flex-wrap: wrap; gap: .5rem; }
    details { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: .5rem .8rem; }
    summary { cursor: pointer; font-weight: 600; }
    .es-table-wrap { max-height: 22rem; overflow: auto; margin: .5rem 0; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { padding: .15rem .4rem; text-align: left; }
    td input { width: 6.5rem; font: inherit; padding: .2rem .3rem; border: 1px solid #8795a6; border-radius: 4px; }
    textarea { width: 100%; min-height: 5rem; font: .95rem ui-monospace, monospace; }
    .es-messages { margin: .25rem 0 0; padding-left: 1.2rem; color: #5c0010; }
    .es-messages:empty { display: none; }
    .es-info { margin: .25rem 0 0; }
    .es-row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .4rem 0; }
  `;

  setup(gl) {
    this._chainLines = null; // the chain box below is new (setup runs again after a reconnect)
    const a = this.attrs;
    this.lab = this.own(new ExamClass(gl, { w: a.weight, b: a.bias, lr: a['learning-rate'] }));
    this.lab.loadDataset({ n: a.points, seed: a.seed, noise: a.noise });
    this.state = { csvReport: null, tableDirty: true, mapDirty: true, scatterDirty: true };
    this._buildControls();
    this._buildTable();
    this.scatterHost = h('div', {});
    this.mapHost = h('div', {});
    this.lossHost = h('div', {});
    this._layout();
    // NOTE: charts are created after their hosts are in the shadow tree: Chart.js sizes a canvas
    // only once it is attached, and does not see attachment inside a shadow root later.
    this._buildCharts();
    this._dataChanged({ rescale: true });
  }

  // --- DOM ------------------------------------------------------------------------------------

  _buildControls() {
    const s = this.lab.snapshot();
    this.controls = {
      w: this.slider({ label: 'Weight W (marks per hour)', min: -20, max: 30, step: 0.1, value: s.w,
        onInput: (v) => this.moveTo(v, this.lab.snapshot().b) }),
      b: this.slider({ label: 'Bias B (marks)', min: -100, max: 150, step: 0.5, value: s.b,
        onInput: (v) => this.moveTo(this.lab.snapshot().w, v) }),
      lr: this.slider({ label: 'Learning rate', min: 0.0001, max: 1, scale: 'log', value: this.lab.lr,
        onInput: (v) => { this.lab.setLearningRate(v); this._changed(); } }),
    };
    this.runButton = this.button({ label: 'Run', kind: 'primary', onClick: () => (this.looping ? this.pause() : this.run()) });
    this.buttons = h('div', { class: 'es-buttons' },
      this.button({ label: 'Step', onClick: () => this.stepOnce() }),
      this.runButton,
      this.button({ label: 'Reset', onClick: () => this.reset() }));
    this.out = {
      step: this.readout({ label: 'Step', format: (v) => String(v) }),
      w: this.readout({ label: 'W', format: fmt }),
      b: this.readout({ label: 'B', format: fmt }),
      loss: this.readout({ label: 'Loss L (mean squared error)', format: fmt }),
      dW: this.readout({ label: '∂L/∂W', format: fmt }),
      dB: this.readout({ label: '∂L/∂B', format: fmt }),
    };
    this.statusLine = h('p', { class: 'es-status', role: 'status' });
    this.divergedBox = h('p', { class: 'es-diverged', role: 'alert' });
    this.chainBox = h('div', { class: 'es-chain', 'aria-live': 'off' });
  }

  _buildCharts() {
    this.scatter = this.own(new ScatterFit(this.scatterHost, {
      label: 'Students: hours studied and exam score, with the current line',
      xLabel: 'hours studied', yLabel: 'exam score', xMin: 0, xMax: 10, yMin: 0, yMax: 100,
      residuals: true,
      onDrag: (i, x, y) => this._movePoint(i, x, y),
    }));
    this.map = this.own(new HeatmapChart(this.mapHost, {
      label: 'Loss landscape', xLabel: 'weight W', yLabel: 'bias B', valueLabel: 'loss',
      onPick: (w, b) => this.moveTo(w, b),
    }));
    this.lossChart = this.own(new LineChart(this.lossHost, {
      label: 'Loss after each step', xLabel: 'step', yLabel: 'loss (log scale)', log: true,
    }));
  }

  _buildTable() {
    this.tableBody = h('tbody', {});
    this.tableInfo = h('p', { class: 'es-info', role: 'status' });
    this.csvText = h('textarea', { id: 'es-csv', spellcheck: 'false',
      placeholder: 'hours,score\n4,75\n6.5,82' });
    this.csvMessages = h('ul', { class: 'es-messages', role: 'status' });
    this.csvInfo = h('p', { class: 'es-info' });
    const file = h('input', { type: 'file', accept: '.csv,text/csv,text/plain', id: 'es-file' });
    file.addEventListener('change', () => this.guard(() => this._readFile(file)));
    this.details = h('details', {},
      h('summary', {}, 'Data: edit the students, or paste / upload a CSV'),
      this.tableInfo,
      h('div', { class: 'es-table-wrap' },
        h('table', {},
          h('caption', { class: 'gl-visually-hidden' }, 'Students: hours studied and exam score'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Hours'),
            h('th', { scope: 'col' }, 'Score'), h('th', { scope: 'col' }, h('span', { class: 'gl-visually-hidden' }, 'Remove')))),
          this.tableBody)),
      h('div', { class: 'es-row' },
        this.button({ label: 'Add a student', onClick: () => this.addRow() }),
        this.button({ label: 'Restore the generated data', onClick: () => this.restoreData() })),
      h('label', { class: 'gl-label', for: 'es-csv' }, 'Paste CSV (hours,score — header optional, at most 1000 rows)'),
      this.csvText,
      h('div', { class: 'es-row' },
        this.button({ label: 'Use this CSV', onClick: () => this.loadCsv(this.csvText.value) }),
        h('label', { class: 'gl-label', for: 'es-file' }, 'or upload a file:'), file),
      this.csvInfo,
      this.csvMessages);
    this.details.addEventListener('toggle', () => { this.state.tableDirty = true; this.requestDraw(); });
  }

  _layout() {
    const r = this.out;
    this.body.append(
      this.title('A class of students: fitting the line by gradient descent'),
      this.divergedBox,
      h('div', { class: 'gl-grid-2' },
        h('div', {}, h('h4', { class: 'gl-label' }, 'Data and the current line'), this.scatterHost),
        h('div', {}, h('h4', { class: 'gl-label' }, 'Loss landscape over (W, B) — click or drag to move'), this.mapHost)),
      this.row(this.controls.w.element, this.controls.b.element, this.controls.lr.element),
      this.buttons,
      this.statusLine,
      h('div', { class: 'gl-readouts' }, ...Object.values(r).map((o) => o.element)),
      h('div', { class: 'gl-grid-2' },
        h('div', {}, h('h4', { class: 'gl-label' }, 'Loss after each step'), this.lossHost),
        h('div', { class: 'es-panel' }, h('h4', {}, 'The chain of numbers behind the gradient'), this.chainBox)),
      this.details,
    );
  }

  // --- actions (public) -------------------------------------------------------------------------

  /** One gradient step. */
  stepOnce() {
    this.pause();
    this.lab.run(1);
    this._changed();
  }

  /** Start the animation loop: a few steps per frame until converged, diverged or paused. */
  run() {
    if (this.lab.isFinished()) return;
    setText(this.runButton, 'Pause');
    this.startLoop(() => {
      const status = this.lab.run(this.reducedMotion ? RUN_LIMIT : STEPS_PER_FRAME);
      const done = this.lab.isFinished() || status === 'max-steps' || this.lab.snapshot().step >= RUN_LIMIT;
      this._changed();
      if (done) setText(this.runButton, 'Run');
      return !done;
    });
  }

  pause() {
    if (this.looping) this.stopLoop();
    setText(this.runButton, 'Run');
    this.requestDraw();
  }

  /** Back to the starting W, B and learning rate of the attributes (data is kept). */
  reset() {
    this.pause();
    const a = this.attrs;
    this.lab.setLearningRate(a['learning-rate']);
    this.controls.lr.set(a['learning-rate']);
    this.lab.moveTo(a.weight, a.bias);
    this.state.mapDirty = true;
    this._changed();
  }

  /** Move the current point (and restart the path there). */
  moveTo(w, b) {
    if (!Number.isFinite(w) || !Number.isFinite(b)) return;
    this.lab.moveTo(w, b);
    this._changed();
  }

  addRow() {
    const rows = this.lab.rows();
    if (rows.length >= MAX_ROWS) { this._tableMessage(`The table is full (${MAX_ROWS} students).`); return; }
    rows.push([5, 75]);
    this._setRows(rows, `Added student ${rows.length} (5 hours, score 75): edit the cells to change it.`);
  }

  removeRow(index) {
    const rows = this.lab.rows();
    if (rows.length <= 1) { this._tableMessage('The table needs at least one student.'); return; }
    rows.splice(index, 1);
    this._setRows(rows, `Removed student ${index + 1}.`);
  }

  restoreData() {
    const a = this.attrs;
    this.lab.loadDataset({ n: a.points, seed: a.seed, noise: a.noise });
    this._tableMessage(`Restored the ${a.points} generated students.`);
    this._dataChanged({ rescale: true });
  }

  /**
   * Replace the data by CSV text of hours,score. Bad lines are skipped and reported by line.
   * @returns the parse result plus the rows actually used
   */
  loadCsv(text) {
    const parsed = parseCsv(text, { columns: 2, maxRows: MAX_ROWS, names: ['hours', 'score'] });
    const rows = [];
    // Numbers out of the allowed range are reported in the same "line N: ..." form.
    const problems = [...parsed.errors];
    parsed.rows.forEach(([x, y], k) => {
      const problem = rowProblem(x, y);
      if (problem) problems.push({ line: parsed.lines[k], message: `line ${parsed.lines[k]}: ${problem}` });
      else rows.push([x, y]);
    });
    const messages = problems.sort((p, q) => p.line - q.line).map((e) => e.message);
    let info;
    if (!rows.length) {
      info = 'No usable rows, so the data was not changed.';
    } else {
      this.lab.setRows(rows);
      info = `Loaded ${rows.length} student${rows.length === 1 ? '' : 's'}` +
        (messages.length ? `; skipped ${messages.length} line${messages.length === 1 ? '' : 's'}:` : '.');
      this._tableMessage(`${rows.length} students, from the CSV.`);
      this._dataChanged({ rescale: true });
    }
    this.state.csvReport = { info, messages };
    this._renderCsvReport();
    return { ...parsed, used: rows, messages };
  }

  // --- state changes ------------------------------------------------------------------------

  _movePoint(i, x, y) {
    const rows = this.lab.rows();
    if (!rows[i]) return;
    rows[i] = [Math.round(x * 100) / 100, Math.round(y * 10) / 10];
    this.lab.setRows(rows);
    this._dataChanged({ rescale: false });
  }

  _setRows(rows, message) {
    this.lab.setRows(rows);
    this._tableMessage(message);
    this._dataChanged({ rescale: true });
  }

  _dataChanged({ rescale }) {
    if (rescale) {
      const lim = scatterLimits(this.lab.rows());
      Object.assign(this.scatter.chart.options.scales.x, { min: lim.xMin, max: lim.xMax });
      Object.assign(this.scatter.chart.options.scales.y, { min: lim.yMin, max: lim.yMax });
    }
    Object.assign(this.state, { tableDirty: true, mapDirty: true, scatterDirty: true });
    this._changed();
  }

  /** After any change: redraw next frame and tell the page. */
  _changed() {
    const s = this.lab.snapshot();
    this.requestDraw();
    this.emit('gradlab-change', { weight: s.w, bias: s.b, loss: s.loss, step: s.step, status: s.status });
  }

  _tableMessage(text) {
    setText(this.tableInfo, text);
  }

  _renderCsvReport() {
    const r = this.state.csvReport;
    setText(this.csvInfo, r ? r.info : '');
    this.csvMessages.replaceChildren(...(r ? r.messages.map((m) => h('li', {}, m)) : []));
  }

  async _readFile(input) {
    const f = input.files?.[0];
    if (!f) return;
    if (f.size > 1_000_000) {
      this.state.csvReport = { info: `“${f.name}” is larger than 1 MB; not loaded.`, messages: [] };
      this._renderCsvReport();
      return;
    }
    const text = await f.text();
    this.csvText.value = text;
    this.guard(() => this.loadCsv(text));
    input.value = '';
  }

  _editCell(index, column, input) {
    const rows = this.lab.rows();
    const row = rows[index];
    if (!row) return;
    const name = column === 0 ? 'hours' : 'score';
    const v = parseNumber(input.value);
    const problem = v === null ? `“${input.value.trim()}” is not a number`
      : rowProblem(column === 0 ? v : row[0], column === 1 ? v : row[1]);
    if (problem) {
      input.setAttribute('aria-invalid', 'true');
      this._tableMessage(`Student ${index + 1}, ${name}: ${problem}; kept ${fmt(row[column])}.`);
      input.value = String(row[column]);
      return;
    }
    input.setAttribute('aria-invalid', 'false');
    row[column] = v;
    this._setRows(rows, `Student ${index + 1}: ${name} set to ${fmt(v)}.`);
  }

  // --- drawing ------------------------------------------------------------------------------

  draw() {
    const s = this.lab.snapshot();
    const st = this.state;
    this.controls.w.set(s.w);
    this.controls.b.set(s.b);
    this.out.step.set(s.step);
    this.out.w.set(s.w);
    this.out.b.set(s.b);
    this.out.loss.set(s.loss);
    this.out.dW.set(s.dW);
    this.out.dB.set(s.dB);
    setText(this.divergedBox, s.status === 'diverged' ? DIVERGED_TEXT : '');
    setText(this.statusLine, this._statusText(s));
    if (s.status === 'diverged' && this.looping) this.pause();

    // Each chart is redrawn only when what it shows changed (updateIf): a move of the learning
    // rate changes the next step, not the line, the path or the losses so far.
    if (st.scatterDirty) {
      const rows = this.lab.rows();
      this.scatter.setPoints(rows.map((r) => r[0]), rows.map((r) => r[1]));
      st.scatterDirty = false;
      st.points = (st.points ?? 0) + 1;
    }
    this.scatter.setLine(Number.isFinite(s.w) ? s.w : NaN, Number.isFinite(s.b) ? s.b : NaN);
    this.scatter.updateIf([st.points, s.w, s.b]);

    this._drawMap(s);
    // A path that starts where a slider put the point has one loss and no line yet (the chart
    // draws no points): a drag of W or B leaves the chart's picture as it was, and its text
    // follows the loss (see updateIf).
    const history = this.lab.history();
    this.lossChart.setSeries(0, history);
    this.lossChart.updateIf(history.length < 2 ? ['no line'] : [history]);
    this._drawChain(s);
    if (st.tableDirty && this.details.open) this._drawTable();
  }

  _statusText(s) {
    const steps = `${s.step} step${s.step === 1 ? '' : 's'}`;
    if (s.status === 'diverged') return `Stopped: diverged after ${steps}.`;
    if (s.status === 'converged') return `Converged after ${steps}: the gradient is almost zero.`;
    if (this.looping) return `Running… ${steps}.`;
    if (s.step >= RUN_LIMIT) return `Stopped after ${steps} (not yet converged).`;
    return s.step === 0 ? 'Ready: press Step or Run.' : `Paused after ${steps}.`;
  }

  _drawMap(s) {
    const st = this.state;
    const win = this.map.extent;
    const outside = (w, b) => Number.isFinite(w) && Number.isFinite(b) &&
      (w < win.xMin || w > win.xMax || b < win.yMin || b > win.yMax);
    const start = this.lab.start;
    if (st.mapDirty || (s.step === 0 && outside(start.w, start.b))) {
      const next = this.lab.window();
      const grid = this.lab.landscape(next, GRID, GRID);
      this.map.setExtent({ xMin: next.wMin, xMax: next.wMax, yMin: next.bMin, yMax: next.bMax });
      this.map.setGrid(grid.values, GRID, GRID);
      st.mapDirty = false;
    }
    const path = this.lab.path();
    this.map.setPath(path.map((p) => p[0]), path.map((p) => p[1]));
    this.map.setPoint(s.w, s.b);
    this.map.updateIf([this.map.version, s.w, s.b, ...path.flat()]);
  }

  _drawChain(s) {
    const { chain, fd, relW, relB } = this.lab.checks();
    // Seven lines made once; a move rewrites the texts (and the verdicts' class) that changed.
    if (!this._chainLines) {
      this._chainLines = Array.from({ length: 7 }, () => h('span', {}));
      this._verdicts = [h('span', {}), h('span', {})];
      this.chainBox.replaceChildren(...this._chainLines.map((line, k) =>
        h('p', {}, line, k === 5 ? this._verdicts[0] : k === 6 ? this._verdicts[1] : null)));
    }
    const texts = [
      `With n = ${chain.n} students, error = prediction − score:`,
      `∂L/∂W = (2/n)·Σ(predᵢ − yᵢ)·xᵢ = 2 × mean(error × hours) = 2 × ${fmtFactor(chain.meanErrX)} = ${fmt(chain.dW)}`,
      `∂L/∂B = (2/n)·Σ(predᵢ − yᵢ) = 2 × mean(error) = 2 × ${fmtFactor(chain.meanErr)} = ${fmt(chain.dB)}`,
      `The engine says ∂L/∂W = ${fmt(s.dW)}, ∂L/∂B = ${fmt(s.dB)}.`,
      `Finite-difference check, h = ${fmt(fd.h, 2)}:`,
      `[L(W+h, B) − L(W−h, B)] / 2h = ${fmt(fd.dW)}; `,
      `[L(W, B+h) − L(W, B−h)] / 2h = ${fmt(fd.dB)}; `,
    ];
    texts.forEach((t, k) => setText(this._chainLines[k], t));
    [relW, relB].forEach((rel, k) => {
      const el = this._verdicts[k];
      const ok = rel < 1e-4;
      if (el.className !== (ok ? 'es-ok' : 'es-bad')) el.className = ok ? 'es-ok' : 'es-bad';
      setText(el, `relative difference ${fmt(rel, 2)}${ok ? ' ✓' : ''}`);
    });
  }

  _drawTable() {
    const rows = this.lab.rows();
    this.state.tableDirty = false;
    const existing = this.tableBody.rows;
    if (existing.length === rows.length) {
      // Same shape: update values in place (keeps focus while editing or dragging).
      rows.forEach(([x, y], i) => {
        const [hx, hy] = existing[i].querySelectorAll('input');
        const focused = this.shadowRoot.activeElement;
        if (hx !== focused) hx.value = String(x);
        if (hy !== focused) hy.value = String(y);
      });
    } else {
      this.tableBody.replaceChildren(...rows.map(([x, y], i) => this._tableRow(i, x, y)));
    }
    if (!this.tableInfo.textContent) this._tableMessage(`${rows.length} students.`);
    // (Messages from edits stay until the next edit; the count is always in the table itself.)
  }

  _tableRow(i, x, y) {
    const cell = (column, value, label) => {
      const input = h('input', { type: 'text', inputmode: 'decimal', value: String(value),
        'aria-label': `${label} of student ${i + 1}` });
      input.addEventListener('change', () => this.guard(() => this._editCell(i, column, input)));
      return h('td', {}, input);
    };
    return h('tr', {},
      h('th', { scope: 'row' }, String(i + 1)),
      cell(0, x, 'Hours'), cell(1, y, 'Score'),
      h('td', {}, this.button({ label: 'Remove', onClick: () => this.removeRow(i) })));
  }

  attributeChanged(name) {
    if (name === 'goal-loss') return; // only read when the loss changes (web/widgets/xapi.js)
    if (['points', 'seed', 'noise'].includes(name)) this.restoreData();
    else this.reset();
  }

  teardown() {
    this.lab = null;
  }

  // --- shareable state (web/widgets/share.js) ----------------------------------------------
  // The fit is full-batch gradient descent, so it is deterministic: the state is the start point,
  // the learning rate and the number of steps (plus the data if it was edited), and setState
  // replays the steps — the same W, B, step count, loss curve and path as when it was shared.
  // (A learning rate changed in the middle of a run is replayed as if used from the start.)

  /** @returns {{start:{w:number,b:number}, lr:number, steps:number, rows?:number[][]}} */
  getState() {
    const s = this.lab.snapshot();
    const state = { start: { ...this.lab.start }, lr: this.lab.lr, steps: s.step };
    const a = this.attrs;
    const fresh = this.engine.dataset('exam-scores', { n: a.points, seed: a.seed, noise: a.noise });
    const rows = this.lab.rows();
    const same = rows.length === fresh.rows && rows.every(([x, y], i) => x === fresh.x[i] && y === fresh.y[i]);
    if (!same) state.rows = rows;
    return state;
  }

  /** Restore getState()'s object; values are checked and clamped, bad input throws. */
  setState(state) {
    if (!state || typeof state !== 'object') throw new Error('the exam-score state must be an object');
    const finite = (v, what) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${what} must be a finite number`);
      return v;
    };
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    const w = clamp(finite(state.start?.w, 'start weight'), -20, 30);
    const b = clamp(finite(state.start?.b, 'start bias'), -100, 150);
    const lr = clamp(finite(state.lr, 'learning rate'), 0.0001, 1);
    const steps = Math.round(clamp(finite(state.steps, 'steps'), 0, RUN_LIMIT));
    if (state.rows !== undefined) {
      if (!Array.isArray(state.rows) || state.rows.length < 1 || state.rows.length > MAX_ROWS) {
        throw new RangeError(`the data must have 1 to ${MAX_ROWS} rows`);
      }
      const rows = state.rows.map((r) => [finite(r?.[0], 'hours'), finite(r?.[1], 'score')]);
      const bad = rows.map((r) => rowProblem(r[0], r[1])).find(Boolean);
      if (bad) throw new RangeError(bad);
      this.lab.setRows(rows);
      this._dataChanged({ rescale: true });
    }
    this.pause();
    this.lab.setLearningRate(lr);
    this.controls.lr.set(lr);
    this.lab.moveTo(w, b);
    this.lab.run(steps);
    this.state.mapDirty = true;
    this._changed();
  }

  // --- public properties --------------------------------------------------------------------
  get weight() { return this.lab?.snapshot().w; }
  get bias() { return this.lab?.snapshot().b; }
  get loss() { return this.lab?.snapshot().loss; }
  get step() { return this.lab?.snapshot().step; }
  get status() { return this.lab?.snapshot().status; }
  get gradient() { const s = this.lab?.snapshot(); return s && { dW: s.dW, dB: s.dB }; }
  get learningRate() { return this.lab?.lr; }
  set learningRate(v) { if (this.lab && v > 0) { this.lab.setLearningRate(v); this.controls.lr.set(v); this._changed(); } }
  /** The data as [[hours, score], ...] (a copy); assigning replaces it and restarts the fit. */
  get data() { return this.lab?.rows(); }
  set data(rows) { if (this.lab) this._setRows(rows.map((r) => [Number(r[0]), Number(r[1])]), `Loaded ${rows.length} students.`); }
}

ExamScore.define();
