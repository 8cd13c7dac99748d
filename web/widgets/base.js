// GradlabWidget: the base class of every <gradlab-*> custom element.
//
// A widget is a thin view over the engine. This file owns everything widgets have in common,
// so a widget file only says what it shows:
//   - attributes parsed and validated against schema.js (an invalid value shows a readable
//     notice inside the widget and falls back to the default; nothing throws to the page);
//   - one engine per page, a "Loading the engine…" indicator, and an error box if it fails;
//   - labelled controls (slider + number pair, buttons, selects, checkboxes, live readouts);
//   - a frame scheduler (at most one redraw per animation frame) and an animation loop that
//     pauses while the widget is off-screen;
//   - clean-up on disconnect (loops stopped, engine objects deleted, charts destroyed).
//
// Lifecycle of a subclass (all hooks optional):
//   setup(gl)                       engine ready, widget connected: build DOM and engine objects
//   attributeChanged(name, value)   a schema attribute changed after setup (value is parsed)
//   draw()                          called from requestDraw(), once per frame at most
//   settled()                       half a second after a slider's last move (`moving` is then
//                                   false again): for what should not change during a drag
//   teardown()                      disconnected: anything own() did not already release
// Styles CSP-safely via constructable stylesheets: `static styles = '...css...'`.

import { loadEngine } from '../engine/gradlab.js';
import { formatNumber } from './format.js';
import { parseAttribute, widgets } from './schema.js';
import { attachExtras, SHARE_CSS } from './share.js';

export { formatNumber, formatShort } from './format.js';

// ---------------------------------------------------------------------------------------------
// Engine: one per page.

let enginePromise = null;

/** The page's shared engine instance (loaded once, on first use). */
export function sharedEngine() {
  if (!enginePromise) {
    const requested = performance.now();
    enginePromise = Promise.resolve().then(() => loadEngine()).then((gl) => {
      measureSince('gradlab engine', requested);
      return gl;
    }).catch((error) => {
      enginePromise = null; // widgets connected later may try again
      throw error;
    });
  }
  return enginePromise;
}

/**
 * A User Timing entry from `start` to now (DevTools' Performance panel shows them; the load
 * benchmark reads them). Never throws: browsers before User Timing Level 3 take the second
 * argument for a mark name and would.
 */
function measureSince(name, start) {
  try {
    performance.measure(name, { start });
  } catch {
    // no User Timing Level 3: no entry
  }
}

// On a page that already holds widgets, start loading the engine now: this module runs before
// the widget classes have been evaluated, so the engine's download and compilation overlap that
// work instead of waiting for the first widget to connect. (Chart.js's first chart is no longer
// drawn ahead as a warm-up: timed to the first widget's charts on screen, a page without it was
// ready 20-50 ms sooner; see tests/bench/README.md.)
// (Errors are left to the widgets, which ask again and show them.)
if (typeof document !== 'undefined' && document.querySelector?.(Object.keys(widgets).join(','))) {
  sharedEngine().catch(() => {});
}

// ---------------------------------------------------------------------------------------------
// Set-up order: one widget at a time, those near the viewport first.
//
// A widget's setup (its DOM, engine objects and Chart.js charts) takes 10-100 ms. Set up all at
// once, in one task, as the engine arrives, the page's first widget would become usable only
// after every widget of the page had been built, most of them far below the fold. Instead each
// widget waits its turn here: widgets within reach of the viewport (the visibility observer's
// margin) in document order, one per task so that each is painted and usable before the next
// starts; the others one by one while the page is idle, so every widget is ready soon after
// load even if the reader never scrolls (and scrolling to one moves it to the front).

const setupQueue = [];
let pumping = false;
let wake = null;
let firstSetupDone = false;

/** Resolves when it is `widget`'s turn to be set up; call the returned done() when it is. */
function setupTurn(widget) {
  return new Promise((resolve) => {
    setupQueue.push({ widget, resolve });
    pumpSetups();
  });
}

/** Sort order of queue entries: their widgets' order in the document. */
function inDocumentOrder(a, b) {
  const position = a.widget.compareDocumentPosition(b.widget);
  if (position & Node.DOCUMENT_POSITION_FOLLOWING) return -1;
  if (position & Node.DOCUMENT_POSITION_PRECEDING) return 1;
  return 0;
}

/** Something changed (a widget came into view): let the queue look again. */
function wakeSetups() {
  wake?.();
}

async function pumpSetups() {
  if (pumping) return;
  pumping = true;
  try {
    // Before the engine is there nothing can be set up, and by then the visibility observers
    // have reported where every widget is. A failed load: every waiting widget asks again at
    // once (one more attempt, shared) and shows the error itself.
    if (!await sharedEngine().then(() => true, () => false)) {
      for (const entry of setupQueue.splice(0)) entry.resolve(() => {});
      return;
    }
    while (setupQueue.length) {
      // The queue fills in the order the widgets' classes were defined, not the order of the page
      // (gradlab-widgets.js defines them alphabetically: exam-score's before exam-step's).
      setupQueue.sort(inDocumentOrder);
      let i = setupQueue.findIndex((entry) => entry.widget._visible);
      // None in view (on most lessons the first widget is below the fold): the first one in the
      // page is the one the reader scrolls to first, so it does not wait for idle time.
      if (i < 0 && !firstSetupDone) i = 0;
      if (i < 0) {
        await new Promise((resolve) => {
          wake = resolve;
          if (typeof requestIdleCallback === 'function') requestIdleCallback(resolve, { timeout: 1000 });
          else setTimeout(resolve, 50);
        });
        wake = null;
        i = setupQueue.findIndex((entry) => entry.widget._visible);
        if (i < 0) i = 0;
      }
      const [entry] = setupQueue.splice(i, 1);
      await new Promise((done) => entry.resolve(done));
      firstSetupDone = true;
      // A new task for the next one: the browser may paint the widget just set up first.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } finally {
    pumping = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Tiny DOM builder (no innerHTML for dynamic content, no style attributes: CSP-safe).

/**
 * h('button', { class: 'gl-button', type: 'button', onclick: fn }, 'Run')
 * Keys starting with "on" add listeners; `class` sets className; booleans toggle attributes;
 * everything else is setAttribute. Children: nodes, strings, numbers, arrays, null.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'text') {
      el.textContent = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  el.append(...nodesOf(children));
  return el;
}

/** h()'s and morph()'s children as nodes: arrays flattened, null/undefined/false left out, the
 * rest as text. */
function nodesOf(children, out = []) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) nodesOf(child, out);
    else out.push(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return out;
}

/**
 * Set an element's text only when it changes. Rewriting the same text still replaces the text
 * node, and the browser then lays the widget out and repaints it on the next frame. A new text
 * goes into the element's one text node when it has one: replacing the node (textContent) makes
 * the browser restyle the new node and take the old one out of the layout, and on a slider move
 * that rewrites a dozen readouts and lines that was most of the layout work of the frame.
 */
export function setText(el, text) {
  const only = el.firstChild;
  if (only && only === el.lastChild && only.nodeType === Node.TEXT_NODE) {
    if (only.data !== text) only.data = text;
  } else if (el.textContent !== text) {
    el.textContent = text;
  }
}

/**
 * setAttribute only when the value differs: writing the same value again still makes the
 * browser restyle the element (a slider move that pauses a run rewrote Run's aria-pressed).
 */
export function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/**
 * Make `parent`'s children match `children` (nodes built by h(), strings), keeping the nodes that
 * are already there: a text that differs is rewritten, attributes are copied over, a node of
 * another tag replaces the old one, and a different number of children rebuilds that level.
 * A widget can then rebuild a list or a table on every slider move as if from scratch while
 * the browser restyles, lays out and repaints only what changed. The new nodes must carry no
 * listeners (the old ones stay in the page).
 */
export function morph(parent, ...children) {
  const next = nodesOf(children);
  const old = parent.childNodes;
  if (old.length !== next.length) {
    parent.replaceChildren(...next);
    return;
  }
  for (let i = 0; i < next.length; i += 1) {
    const a = old[i];
    const b = next[i];
    if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) {
      parent.replaceChild(b, a);
    } else if (a.nodeType !== Node.ELEMENT_NODE) {
      if (a.nodeValue !== b.nodeValue) a.nodeValue = b.nodeValue;
    } else {
      for (const { name, value } of b.attributes) if (a.getAttribute(name) !== value) a.setAttribute(name, value);
      for (const name of a.getAttributeNames()) if (!b.hasAttribute(name)) a.removeAttribute(name);
      morph(a, [...b.childNodes]);
    }
  }
}

/**
 * Show rows of text cells in a table section, reusing the rows and cells already there and
 * rewriting only the texts that changed; rebuilt when the number of rows or cells differs.
 * A row is an array of strings, its first cell a row header (<th scope="row">) when `rowHeader`.
 */
export function fillRows(section, rows, { rowHeader = false } = {}) {
  const old = section.rows;
  const same = old.length === rows.length && rows.every((r, i) => old[i].cells.length === r.length);
  if (!same) {
    section.replaceChildren(...rows.map((r) => h('tr', {}, ...r.map((text, k) =>
      (k === 0 && rowHeader ? h('th', { scope: 'row' }, text) : h('td', {}, text))))));
    return;
  }
  rows.forEach((r, i) => r.forEach((text, k) => setText(old[i].cells[k], text)));
}

// ---------------------------------------------------------------------------------------------
// Shared styles: one CSSStyleSheet for all widgets, one per subclass for its own `styles`.

export const SHARED_CSS = `
:host { display: block; margin: 1.5rem 0; color: #1b1f24; font: 1rem/1.5 system-ui, -apple-system,
  "Segoe UI", Roboto, "Noto Sans", sans-serif; contain: layout; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.gl-widget { border: 1px solid #c5ced9; border-radius: 10px; background: #f7f9fc;
  padding: 1rem; min-width: 0; color: #1b1f24; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI",
  Roboto, "Noto Sans", sans-serif; text-align: start; }
.gl-title { margin: 0 0 .5rem; font-size: 1.05rem; font-weight: 650; }
.gl-body { display: grid; gap: .75rem; min-width: 0; }
/* Each block and control is painted as a unit of its own (a stacking context: Chromium keeps
   its drawing and reuses it whole while nothing in it changed). Without it a slider move
   repainted every object of the widget: optim-race's condition slider spent 1.83 / 1.70 ms per
   move in Paint, 0.68 / 0.59 with it (traces of 40 moves, two rounds). Nothing in a widget is
   positioned above its neighbours, so the stacking order is as before (screenshots identical). */
.gl-body > *, .gl-control { isolation: isolate; }
.gl-body[hidden] { display: none; }
.gl-loading { display: flex; align-items: center; gap: .6rem; color: #3d4652; padding: .5rem 0; }
.gl-loading[hidden] { display: none; }
.gl-spinner { width: 1rem; height: 1rem; border-radius: 50%; border: 2px solid #c5ced9;
  border-top-color: #1f5fbf; animation: gl-spin .9s linear infinite; flex: none; }
@keyframes gl-spin { to { transform: rotate(360deg); } }
.gl-notices:empty, .gl-alert:empty { display: none; }
.gl-notice { margin: 0 0 .5rem; padding: .5rem .75rem; border-radius: 6px; border-left: 4px solid;
  font-size: .95rem; }
.gl-notice-info { background: #e8f0fc; border-color: #1f5fbf; }
.gl-notice-warning { background: #fff4dc; border-color: #9a6400; }
.gl-notice-error, .gl-alert { background: #fdecee; border-color: #b00020; color: #5c0010; }
.gl-alert { margin: 0 0 .5rem; padding: .75rem; border-radius: 6px; border-left: 4px solid #b00020; }
.gl-controls { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: end; }
.gl-control { display: grid; gap: .25rem; min-width: 0; }
.gl-control > label, .gl-label { font-weight: 600; font-size: .92rem; }
.gl-slider { grid-template-columns: minmax(8rem, 1fr) 6.5rem; grid-template-areas:
  "label label" "range number" "hint hint"; flex: 1 1 16rem; column-gap: .5rem; align-items: center; }
.gl-slider > label { grid-area: label; }
.gl-slider input[type=range] { grid-area: range; width: 100%; min-width: 0; margin: 0;
  accent-color: #1f5fbf; min-height: 1.75rem; }
.gl-slider input[type=number] { grid-area: number; width: 100%; }
.gl-slider .gl-hint { grid-area: hint; }
input[type=number], select { font: inherit; padding: .3rem .4rem; border: 1px solid #8795a6;
  border-radius: 5px; background: #fff; color: inherit; min-height: 2.25rem; }
input[aria-invalid=true] { border-color: #b00020; box-shadow: 0 0 0 1px #b00020; }
.gl-hint { font-size: .85rem; color: #5c0010; margin: 0; min-height: 0; }
.gl-hint:empty { display: none; }
.gl-check { display: flex; gap: .4rem; align-items: center; font-size: .95rem; min-height: 2.25rem; }
.gl-check input { width: 1.1rem; height: 1.1rem; accent-color: #1f5fbf; }
.gl-button { font: inherit; font-weight: 600; padding: .4rem 1rem; border-radius: 6px;
  border: 1px solid #1f5fbf; background: #fff; color: #174a96; cursor: pointer; min-height: 2.5rem; }
.gl-button:hover { background: #e8f0fc; }
.gl-button-primary { background: #1f5fbf; color: #fff; }
.gl-button-primary:hover { background: #174a96; }
.gl-button:disabled { opacity: .55; cursor: not-allowed; }
.gl-readouts { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; }
.gl-readout { display: flex; flex-direction: column; min-width: 6rem; }
.gl-readout-label { font-size: .85rem; color: #3d4652; }
.gl-readout output { font-size: 1.15rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.gl-readout-diverged output { color: #b00020; }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.gl-chart { position: relative; margin: 0; min-width: 0; }
.gl-chart-box { position: relative; width: 100%; height: 260px; }
.gl-chart-box.gl-chart-square { height: auto; aspect-ratio: 1 / 1; max-height: 420px; }
.gl-chart canvas { display: block; touch-action: none; }
.gl-visually-hidden, .gl-chart figcaption.gl-visually-hidden { position: absolute !important;
  width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0);
  clip-path: inset(50%); white-space: nowrap; border: 0; }
.gl-grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr));
  gap: .75rem; }
@media (max-width: 480px) {
  .gl-widget { padding: .75rem; }
  .gl-chart-box { height: 220px; }
}
@media (prefers-reduced-motion: reduce) {
  .gl-spinner { animation: none; border-top-color: #c5ced9; }
  * { transition: none !important; animation-duration: 0s !important; }
}
`;

let sharedSheet = null;
const classSheets = new WeakMap();

function sheetFor(css) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
}

function stylesFor(ctor) {
  if (!sharedSheet) sharedSheet = sheetFor(SHARED_CSS + SHARE_CSS);
  const sheets = [sharedSheet];
  if (ctor.styles) {
    if (!classSheets.has(ctor)) classSheets.set(ctor, sheetFor(ctor.styles));
    sheets.push(classSheets.get(ctor));
  }
  return sheets;
}

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

const reducedMotionQuery = typeof matchMedia === 'function'
  ? matchMedia('(prefers-reduced-motion: reduce)') : null;

// ---------------------------------------------------------------------------------------------

export class GradlabWidget extends HTMLElement {
  /** The custom-element tag; every subclass sets it. */
  static tag = '';

  /** CSS for this widget class only (adopted after the shared sheet). */
  static styles = '';

  /** The schema entry of this tag from schema.js. */
  static get schema() {
    return widgets[this.tag] ?? { description: '', attributes: {} };
  }

  static get observedAttributes() {
    return Object.keys(widgets[this.tag]?.attributes ?? {});
  }

  /** Register the element (idempotent). */
  static define() {
    if (!widgets[this.tag]) throw new Error(`${this.name}: tag "${this.tag}" is not registered in web/widgets/schema.js`);
    if (!customElements.get(this.tag)) customElements.define(this.tag, this);
    return this;
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.adoptedStyleSheets = stylesFor(this.constructor);
    /** Free-form widget state for subclasses. */
    this.state = {};
    /** Parsed attribute values (always valid: defaults replace invalid values). */
    this.attrs = {};
    /** The engine API (set before setup() is called). */
    this.engine = null;
    this._attrProblems = new Map();
    this._notices = new Map();
    this._owned = [];
    this._generation = 0;
    this._connected = false;
    this._ready = false;
    this._frame = 0;
    this._dirty = false;
    this._loop = null;
    this._visible = true;
    this._observer = null;
    this._settleTimer = 0;
  }

  // --- lifecycle -----------------------------------------------------------------------------

  connectedCallback() {
    if (this._connected) return;
    this._connected = true;
    const generation = ++this._generation;
    this._buildShell();
    for (const name of this.constructor.observedAttributes) this._parseAttribute(name);
    this._renderAttrProblems();
    this._observeVisibility();
    this._loading.hidden = false;
    setupTurn(this).then((done) => {
      if (generation !== this._generation) done(); // disconnected while waiting
      else this._start(generation).finally(done);
    });
  }

  /** Engine, then setup(), then `gradlab-ready`; or the engine's error shown in the widget. */
  _start(generation) {
    return sharedEngine().then(
      async (gl) => {
        if (generation !== this._generation) return;
        this.engine = gl;
        const started = performance.now();
        try {
          await this.setup(gl);
          measureSince(`gradlab setup ${this.constructor.tag}`, started);
        } catch (error) {
          if (generation === this._generation) this.reportError(error);
          return;
        } finally {
          if (generation === this._generation) this._loading.hidden = true;
        }
        if (generation !== this._generation) return;
        this._ready = true;
        // Share / Embed control, ?state=… restore, xAPI statements (web/widgets/share.js).
        this.guard(() => this.own(attachExtras(this, h, nextId)));
        this.requestDraw();
        this.emit('gradlab-ready', { tag: this.constructor.tag });
      },
      (error) => {
        if (generation !== this._generation) return;
        this._loading.hidden = true;
        this._body.hidden = true;
        this._alert.textContent =
          `The engine could not be loaded, so this interactive figure is unavailable. ` +
          `(${error?.message ?? error})`;
        console.error(`${this.constructor.tag}: engine failed to load`, error);
      },
    );
  }

  disconnectedCallback() {
    if (!this._connected) return;
    this._connected = false;
    this._generation += 1;
    this._ready = false;
    this.stopLoop();
    clearTimeout(this._settleTimer);
    this._settleTimer = 0;
    if (this._frame) cancelAnimationFrame(this._frame);
    this._frame = 0;
    this._observer?.disconnect();
    this._observer = null;
    try {
      this.teardown();
    } catch (error) {
      console.error(error);
    }
    // Release owned resources newest first (a trainer before the model it trains).
    for (const resource of this._owned.reverse()) {
      try {
        if (typeof resource === 'function') resource();
        else if (typeof resource?.delete === 'function') resource.delete();
        else if (typeof resource?.destroy === 'function') resource.destroy();
      } catch (error) {
        console.error(error);
      }
    }
    this._owned = [];
    this.engine = null;
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (!this._connected || oldValue === newValue) return;
    const before = this.attrs[name];
    this._parseAttribute(name);
    this._renderAttrProblems();
    if (this._ready && this.attrs[name] !== before) {
      this.guard(() => this.attributeChanged(name, this.attrs[name], before));
      this.requestDraw();
    }
  }

  // --- hooks for subclasses ------------------------------------------------------------------

  /** Engine is ready: build the widget's DOM in this.body and its engine objects. */
  setup(gl) {} // eslint-disable-line no-unused-vars

  /** A schema attribute changed after setup; `value` is already parsed and valid. */
  attributeChanged(name, value, previous) {} // eslint-disable-line no-unused-vars

  /** Redraw from this.state. Called at most once per animation frame via requestDraw(). */
  draw() {}

  /** Release anything not registered with own(). */
  teardown() {}

  // --- shell, attributes, notices ------------------------------------------------------------

  _buildShell() {
    const root = this.shadowRoot;
    root.replaceChildren();
    this._notices.clear();
    this._alert = h('div', { class: 'gl-alert', role: 'alert' });
    this._noticeBox = h('div', { class: 'gl-notices', role: 'status', 'aria-live': 'polite' });
    this._loading = h('div', { class: 'gl-loading', role: 'status' },
      h('span', { class: 'gl-spinner', 'aria-hidden': 'true' }), 'Loading the engine…');
    this._body = h('div', { class: 'gl-body' });
    this._widget = h('div', { class: 'gl-widget' },
      this._alert, this._noticeBox, this._loading, this._body);
    root.append(this._widget);
  }

  /** The element subclasses build into. */
  get body() {
    return this._body;
  }

  _parseAttribute(name) {
    const spec = this.constructor.schema.attributes[name];
    if (!spec) return;
    const raw = this.getAttribute(name);
    const result = parseAttributeSafe(spec, raw);
    this.attrs[name] = result.value;
    if (result.ok) this._attrProblems.delete(name);
    else {
      this._attrProblems.set(name,
        `Attribute “${name}”: ${result.message}. Using the default, ${formatDefault(spec.default)}.`);
    }
  }

  _renderAttrProblems() {
    for (const [name, text] of this._attrProblems) this.notify(text, { kind: 'warning', key: `attr:${name}` });
    for (const key of [...this._notices.keys()]) {
      if (key.startsWith('attr:') && !this._attrProblems.has(key.slice(5))) this.clearNotice(key);
    }
  }

  /**
   * Show a message inside the widget. Same key replaces the previous message.
   * @param {string} text
   * @param {{kind?: 'info'|'warning'|'error', key?: string}} [options]
   */
  notify(text, { kind = 'info', key = text } = {}) {
    let el = this._notices.get(key);
    if (!el) {
      el = h('p', {});
      this._notices.set(key, el);
      this._noticeBox.append(el);
    }
    el.className = `gl-notice gl-notice-${kind}`;
    setText(el, text);
    return key;
  }

  clearNotice(key) {
    this._notices.get(key)?.remove();
    this._notices.delete(key);
  }

  /**
   * Show an error inside the widget. Engine RangeErrors (a value out of range) are expected
   * consequences of user input and are shown as warnings; anything else is also logged.
   */
  reportError(error, { key = 'error' } = {}) {
    const message = error?.message ?? String(error);
    if (error instanceof RangeError) {
      this.notify(message.charAt(0).toUpperCase() + message.slice(1), { kind: 'warning', key });
    } else {
      this.notify(`Something went wrong: ${message}`, { kind: 'error', key });
      console.error(`${this.constructor.tag}:`, error);
    }
  }

  /** Run fn; on an exception show it inside the widget instead of throwing. */
  guard(fn, options) {
    try {
      return fn();
    } catch (error) {
      this.reportError(error, options);
      return undefined;
    }
  }

  /** Dispatch a DOM event from the widget (bubbles, crosses the shadow boundary). */
  emit(name, detail = {}) {
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  /**
   * Register a resource to release on disconnect: an engine handle (delete()), a chart
   * (destroy()) or a clean-up function. Returns the resource.
   */
  own(resource) {
    this._owned.push(resource);
    return resource;
  }

  /** Release one owned resource now (e.g. replacing a model), and forget it. */
  release(resource) {
    const i = this._owned.indexOf(resource);
    if (i >= 0) this._owned.splice(i, 1);
    if (typeof resource === 'function') resource();
    else if (typeof resource?.delete === 'function') resource.delete();
    else if (typeof resource?.destroy === 'function') resource.destroy();
  }

  /** Listen to an event and remove the listener on disconnect. */
  listen(target, type, handler, options) {
    target.addEventListener(type, handler, options);
    this.own(() => target.removeEventListener(type, handler, options));
  }

  // --- frames, loops, visibility -------------------------------------------------------------

  /** True when the user asked for reduced motion: prefer jumping to results over animating. */
  get reducedMotion() {
    return Boolean(reducedMotionQuery?.matches);
  }

  /** True while any part of the widget is on screen. */
  get visible() {
    return this._visible;
  }

  /** Ask for draw() on the next animation frame (many calls in one frame -> one draw). */
  requestDraw() {
    this._dirty = true;
    this._schedule();
  }

  /**
   * Run tick(timeMs) once per animation frame while the widget is visible; a tick that returns
   * false ends the loop. Any draw requested in the same frame happens right after the tick.
   * The loop pauses off-screen and resumes when the widget scrolls back into view.
   */
  startLoop(tick) {
    this._loop = tick;
    // Live readouts change every frame while looping: aria-busy asks screen readers to wait
    // and announce the final values once the loop ends.
    this._body?.setAttribute('aria-busy', 'true');
    this._schedule();
    this.emit('gradlab-loop', { running: true });
  }

  stopLoop() {
    if (!this._loop) return;
    this._loop = null;
    if (!this._settleTimer) this._body?.removeAttribute('aria-busy');
    this.emit('gradlab-loop', { running: false });
  }

  /**
   * A slider is moving: its readouts (live regions) change at every step of the drag. As while
   * looping, aria-busy asks screen readers to wait; it is lifted half a second after the last
   * move, and the values the hand rested on are announced once instead of every value passed.
   */
  _settling() {
    if (!this._body) return;
    if (!this._settleTimer && !this._loop) this._body.setAttribute('aria-busy', 'true');
    if (!this._settleTimer) this._holdCharts(true);
    clearTimeout(this._settleTimer);
    this._settleTimer = setTimeout(() => {
      this._settleTimer = 0;
      if (!this._loop) this._body.removeAttribute('aria-busy');
      this._holdCharts(false);
      if (this._ready) this.guard(() => this.settled());
    }, 500);
  }

  /**
   * While a slider moves, the widget's charts hold (BaseChart.hold): their automatic axes only
   * grow, refitted and the chart laid out again only when the data leave them, not each time the
   * data shrink to a small part of them; their text alternatives wait. When the hand rests the
   * axes fit the data again and the texts describe it.
   */
  _holdCharts(hold) {
    let charts = false;
    for (const resource of this._owned) {
      if (typeof resource?.hold !== 'function') continue;
      resource.hold(hold);
      charts = true;
    }
    if (!hold && charts) this.requestDraw();
  }

  /** True from a slider's move until half a second after its last one (see settled()). */
  get moving() {
    return Boolean(this._settleTimer);
  }

  /**
   * The side of a grid (a map, an image) that a slider move recomputes: half of `full` while a
   * slider moves (a quarter of the cells: of the engine's work, the colour image and the
   * contours), `full` at rest. A widget that drew a coarse grid draws it again in settled().
   */
  gridSize(full) {
    return this.moving ? Math.round(full / 2) : full;
  }

  settled() {}

  /** True while an animation loop is active (even if paused off-screen). */
  get looping() {
    return this._loop !== null;
  }

  // A requested draw always happens (one per frame at most, even off-screen: it is cheap and
  // keeps readouts and text alternatives current); the loop only runs while visible.
  _schedule() {
    if (this._frame || !this._connected) return;
    if (!this._dirty && !(this._loop && this._visible)) return;
    this._frame = requestAnimationFrame((time) => this._onFrame(time));
  }

  _onFrame(time) {
    this._frame = 0;
    if (!this._connected) return;
    if (this._loop && this._visible) {
      const tick = this._loop;
      let keep;
      try {
        keep = tick(time);
      } catch (error) {
        keep = false;
        this.reportError(error);
      }
      if (keep === false && this._loop === tick) this.stopLoop();
      this._dirty = true;
    }
    if (this._dirty && this._ready) {
      this._dirty = false;
      this.guard(() => this.draw());
    }
    this._schedule();
  }

  _observeVisibility() {
    if (typeof IntersectionObserver !== 'function') return;
    this._observer = new IntersectionObserver((entries) => {
      const entry = entries[entries.length - 1];
      const visible = entry.isIntersecting;
      if (visible === this._visible) return;
      this._visible = visible;
      this.emit('gradlab-visibility', { visible });
      if (visible) {
        this._schedule();
        wakeSetups(); // not set up yet? It goes first now.
      }
    }, { rootMargin: '100px' });
    this._observer.observe(this);
  }

  // --- controls ------------------------------------------------------------------------------

  /** A heading inside the widget (h3 by default; use level 4 inside deeper sections). */
  title(text, level = 3) {
    return h(`h${level}`, { class: 'gl-title' }, text);
  }

  /**
   * A labelled slider with a synchronised number box.
   * @param {object} o
   * @param {string} o.label        visible label (also the accessible name)
   * @param {number} o.min
   * @param {number} o.max
   * @param {number} o.value        initial value (clamped into [min, max])
   * @param {number} [o.step]       linear step (default (max-min)/100); ignored on log scale
   * @param {'linear'|'log'} [o.scale]  'log' for things like learning rates (min > 0)
   * @param {number} [o.digits]     decimals shown in the number box (default from step)
   * @param {string} [o.unit]       shown after the number box
   * @param {(v:number)=>void} [o.onInput]   every change while dragging or typing
   * @param {(v:number)=>void} [o.onChange]  committed change (release / Enter / blur)
   * @returns {{element: HTMLElement, range: HTMLInputElement, number: HTMLInputElement,
   *   value: number, set(v:number, opts?:{silent?:boolean}): void}}
   */
  slider({ label, min, max, value, step, scale = 'linear', digits, unit = '', onInput, onChange }) {
    const log = scale === 'log';
    if (log && !(min > 0)) throw new RangeError(`slider "${label}": a log scale needs min > 0`);
    step = step ?? (max - min) / 100;
    if (digits === undefined) {
      digits = log ? null : Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)));
    }
    const lo = log ? Math.log10(min) : min;
    const hi = log ? Math.log10(max) : max;
    const toRange = (v) => (log ? Math.log10(v) : v);
    const fromRange = (r) => {
      if (!log) return Number(r);
      const v = 10 ** Number(r);
      return Number(v.toPrecision(3)); // 0.0031 rather than 0.0031622776601683794
    };
    const show = (v) => (digits === null ? String(Number(v.toPrecision(4))) : v.toFixed(digits));
    const clamp = (v) => Math.min(max, Math.max(min, v));

    const id = nextId('gl-slider');
    const hintId = `${id}-hint`;
    const range = h('input', {
      type: 'range', id, min: lo, max: hi, step: log ? (hi - lo) / 1000 : step,
      'aria-describedby': hintId,
    });
    const number = h('input', {
      type: 'number', min, max, step: log ? 'any' : step, inputmode: 'decimal',
      'aria-label': `${label}, exact value`, 'aria-describedby': hintId,
    });
    const hint = h('p', { class: 'gl-hint', id: hintId, 'aria-live': 'polite' });
    const element = h('div', { class: 'gl-control gl-slider' },
      h('label', { for: id }, label), range, number, unit ? h('span', { class: 'gl-unit' }, unit) : null,
      hint);

    let current = clamp(Number.isFinite(value) ? value : min);
    // NOTE: a log slider's value is rounded to 3 significant digits; writing that back to the
    // range would snap the thumb back to where it was (ArrowRight at 0.01 gave 0.01 again), so a
    // move of the range itself keeps the thumb where the user put it.
    const sync = (v, { fromNumber = false, fromRange: moved = false } = {}) => {
      current = v;
      if (!moved) range.value = String(toRange(v));
      range.setAttribute('aria-valuetext', `${show(v)}${unit ? ` ${unit}` : ''}`);
      if (!fromNumber) number.value = show(v);
    };
    const setHint = (text) => {
      if (hint.textContent === text) return; // every move of a valid drag clears it again
      hint.textContent = text;
      number.setAttribute('aria-invalid', text ? 'true' : 'false');
    };
    const guarded = (fn, v) => fn && this.guard(() => fn(v));
    const rangeText = `${show(min)} to ${show(max)}`;

    range.addEventListener('input', () => {
      this._settling();
      setHint('');
      sync(fromRange(range.value), { fromRange: true });
      guarded(onInput, current);
    });
    range.addEventListener('change', () => guarded(onChange, current));
    number.addEventListener('input', () => {
      const text = number.value.trim();
      const v = text === '' ? NaN : Number(text);
      if (!Number.isFinite(v)) {
        setHint(`Enter a number from ${rangeText}.`);
        return;
      }
      if (v < min || v > max) {
        setHint(`${show(v)} is outside the allowed range, ${rangeText}.`);
        return;
      }
      setHint('');
      sync(v, { fromNumber: true });
      guarded(onInput, current);
    });
    number.addEventListener('change', () => {
      const text = number.value.trim();
      const v = text === '' ? NaN : Number(text);
      if (!Number.isFinite(v)) {
        // A number input reports '' for text it cannot parse, so say what is expected.
        setHint(`Enter a number from ${rangeText}; kept ${show(current)}.`);
        sync(current);
      } else if (v < min || v > max) {
        const clamped = clamp(v);
        setHint(`${show(v)} is outside ${rangeText}; using ${show(clamped)}.`);
        sync(clamped);
        guarded(onInput, current);
      } else {
        setHint('');
        sync(v);
      }
      guarded(onChange, current);
    });
    sync(current);

    return {
      element, range, number,
      get value() { return current; },
      set(v, { silent = true } = {}) {
        if (!Number.isFinite(v)) return;
        // A widget echoing back the value it already shows (e.g. from draw()) changes nothing:
        // the hint ("using 40"), the thumb of a log slider and half-typed text all stay.
        if (clamp(v) !== current) {
          setHint('');
          sync(clamp(v));
        }
        if (!silent) guarded(onInput, current);
      },
      set disabled(flag) { range.disabled = flag; number.disabled = flag; },
    };
  }

  /** A button. kind: 'primary' | 'secondary'. */
  button({ label, onClick, kind = 'secondary', title }) {
    return h('button', {
      type: 'button', class: `gl-button gl-button-${kind}`, title,
      onclick: (event) => this.guard(() => onClick?.(event)),
    }, label);
  }

  /**
   * A labelled <select>. options: [{ value, label }] or strings.
   * @returns {{element: HTMLElement, select: HTMLSelectElement, value: string}}
   */
  select({ label, options, value, onChange }) {
    const id = nextId('gl-select');
    const select = h('select', { id },
      options.map((o) => {
        const opt = typeof o === 'string' ? { value: o, label: o } : o;
        return h('option', { value: opt.value, selected: opt.value === value }, opt.label);
      }));
    select.addEventListener('change', () => this.guard(() => onChange?.(select.value)));
    const element = h('div', { class: 'gl-control' }, h('label', { for: id }, label), select);
    return {
      element, select,
      get value() { return select.value; },
      set value(v) { select.value = v; },
    };
  }

  /** A labelled checkbox. @returns {{element, input, checked}} */
  checkbox({ label, checked = false, onChange }) {
    const input = h('input', { type: 'checkbox', checked });
    input.addEventListener('change', () => this.guard(() => onChange?.(input.checked)));
    const element = h('label', { class: 'gl-check' }, input, label);
    return {
      element, input,
      get checked() { return input.checked; },
      set checked(v) { input.checked = Boolean(v); },
    };
  }

  /**
   * A live numeric readout (aria-live polite). Never shows NaN/Infinity: non-finite values
   * show `nonFinite` ("—" by default; pass "diverged" for losses).
   * @returns {{element: HTMLElement, output: HTMLOutputElement, value: number,
   *   set(v:number): void, text(s:string): void}}
   */
  readout({ label, digits = 3, unit = '', nonFinite = '—', format }) {
    const output = h('output', { 'aria-live': 'polite' }, '—');
    const element = h('div', { class: 'gl-readout' },
      h('span', { class: 'gl-readout-label' }, label), output);
    let current = NaN;
    const write = (text) => setText(output, text);
    return {
      element, output,
      get value() { return current; },
      set(v) {
        current = v;
        const finite = typeof v === 'number' && Number.isFinite(v);
        element.classList.toggle('gl-readout-diverged', !finite && nonFinite === 'diverged');
        write(finite && format ? format(v) : formatNumber(v, { digits, unit, nonFinite }));
      },
      text(s) { write(String(s)); },
    };
  }

  /** A flex row for controls or readouts. */
  row(...children) {
    return h('div', { class: 'gl-controls' }, ...children);
  }
}

// parseAttribute never throws, but a broken schema entry must not break the page either.
function parseAttributeSafe(spec, raw) {
  try {
    return parseAttribute(spec, raw);
  } catch (error) {
    return { ok: false, value: spec.default, message: String(error?.message ?? error) };
  }
}

function formatDefault(value) {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'string') return `“${value}”`;
  return String(value);
}
