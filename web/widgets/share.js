// "Share / Embed" for every widget, and its state as text.
//
// State: { v: 1, tag, attrs: { schema attribute: text }, state?: widget.getState() }, encoded as
// base64url JSON in the `state` query parameter of a link (lesson.html?state=…,
// embed.html?widget=…&state=…). On load it is validated: the version and tag must match, every
// attribute is checked against schema.js (unknown or invalid ones are dropped), and the widget's
// own setState() checks and clamps its part (it throws a RangeError/Error for anything it cannot
// use). A corrupt or foreign state shows a message in the widget; the widget keeps working with
// its attributes. The same object is what the JSON export writes and the import reads.
//
// The panel (a disclosure button in the widget's corner, keyboard accessible, Escape closes)
// gives: the iframe snippet, the script-tag snippet, a link restoring the current state, and JSON
// export/import. Copy buttons use navigator.clipboard, falling back to selecting the text.

import { parseAttribute, widgets } from './schema.js';
import { watchWidget } from './xapi.js';

export const STATE_VERSION = 1;
const MAX_STATE_CHARS = 200_000;

// --- encoding ----------------------------------------------------------------------------------

export function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('it contains characters that base64url does not use');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(b64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** The shareable state of a widget (attributes + its own getState(), if it has one). */
export function captureState(widget) {
  const tag = widget.constructor.tag;
  const attrs = {};
  for (const name of Object.keys(widgets[tag]?.attributes ?? {})) {
    if (widget.hasAttribute(name)) attrs[name] = widget.getAttribute(name);
  }
  const payload = { v: STATE_VERSION, tag, attrs };
  if (typeof widget.getState === 'function') payload.state = widget.getState();
  return payload;
}

export function encodeState(payload) {
  return toBase64Url(JSON.stringify(payload));
}

/**
 * Check a decoded payload for `tag`. @returns {{ok: true, attrs, state, dropped: string[]} |
 * {ok: false, message}} — attrs holds only valid schema attributes.
 */
export function validatePayload(payload, tag) {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    return { ok: false, message: 'it is not a Gradlab state object' };
  }
  if (payload.v !== STATE_VERSION) return { ok: false, message: `unsupported version ${JSON.stringify(payload.v)} (expected ${STATE_VERSION})` };
  if (payload.tag !== tag) return { ok: false, message: `it belongs to <${String(payload.tag).slice(0, 60)}>, not <${tag}>` };
  const specs = widgets[tag]?.attributes ?? {};
  const attrs = {};
  const dropped = [];
  const given = payload.attrs && typeof payload.attrs === 'object' ? payload.attrs : {};
  for (const [name, value] of Object.entries(given)) {
    const spec = specs[name];
    if (!spec || typeof value !== 'string' || !parseAttribute(spec, value).ok) dropped.push(name);
    else attrs[name] = value;
  }
  return { ok: true, attrs, state: payload.state, dropped };
}

/** Decode a `state` string. @returns same as validatePayload */
export function decodeState(text, tag) {
  if (typeof text !== 'string' || !text || text.length > MAX_STATE_CHARS) {
    return { ok: false, message: 'it is empty or too long' };
  }
  let payload;
  try {
    payload = JSON.parse(fromBase64Url(text));
  } catch (error) {
    return { ok: false, message: `it is not readable (${error.message})` };
  }
  return validatePayload(payload, tag);
}

/**
 * Apply a validated state to a ready widget: attributes first (the widget resets to them), then
 * its own state. Throws what setState throws.
 */
export function applyState(widget, { attrs, state }) {
  for (const [name, value] of Object.entries(attrs)) {
    if (widget.getAttribute(name) !== value) widget.setAttribute(name, value);
  }
  if (state !== undefined && typeof widget.setState === 'function') widget.setState(state);
}

// --- URLs --------------------------------------------------------------------------------------

/** The site root (folder of embed.html), from the bundle's own URL. */
function siteRoot() {
  try {
    return new URL('../', import.meta.url);
  } catch {
    return new URL('./', location.href); // the portable classic bundle has no import.meta.url
  }
}

function attrQuery(payload) {
  const q = new URLSearchParams({ widget: payload.tag });
  for (const [k, v] of Object.entries(payload.attrs)) q.set(k, v);
  return q;
}

export function iframeSnippet(payload) {
  const src = new URL(`embed.html?${attrQuery(payload)}`, siteRoot()).href;
  return `<iframe src="${escapeAttr(src)}" title="${payload.tag.replace(/^gradlab-/, 'Gradlab: ')}" ` +
    'width="100%" height="640" loading="lazy"></iframe>\n' +
    '<!-- Auto-height: add H5P\'s h5p-resizer.js (or any parent script speaking its protocol) to the page. -->';
}

export function scriptSnippet(payload) {
  const src = new URL('gradlab-widgets.js', siteRoot()).href;
  const attrs = Object.entries(payload.attrs).map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  return `<script type="module" src="${escapeAttr(src)}"></script>\n<${payload.tag}${attrs}></${payload.tag}>`;
}

/** This page's URL with ?state=… (other query parameters kept, hash dropped). */
export function stateLink(payload) {
  const url = new URL(location.href);
  url.hash = '';
  url.searchParams.set('state', encodeState(payload));
  return url.href;
}

const escapeAttr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// --- restore from the page URL -----------------------------------------------------------------

/**
 * If the page URL has ?state=… for this widget's tag, apply it (the first widget of that tag on
 * the page). Reports problems through widget.notify(). Called by base.js after setup().
 */
export function restoreFromLocation(widget) {
  let text;
  try {
    text = new URL(location.href).searchParams.get('state');
  } catch {
    return;
  }
  if (!text) return;
  const tag = widget.constructor.tag;
  // Only the first widget of the tag on the page takes the state.
  const first = document.querySelector(tag);
  if (first && first !== widget) return;
  let peekTag = null;
  try {
    peekTag = JSON.parse(fromBase64Url(text))?.tag ?? null;
  } catch { /* reported below */ }
  if (peekTag !== null && peekTag !== tag) return; // meant for another widget on this page
  loadPayloadInto(widget, () => decodeState(text, tag), 'The shared state in this link');
}

function loadPayloadInto(widget, decode, what) {
  const result = decode();
  if (!result.ok) {
    widget.notify(`${what} could not be used: ${result.message}. Showing the widget's normal starting point.`,
      { kind: 'warning', key: 'share:state' });
    return false;
  }
  try {
    applyState(widget, result);
  } catch (error) {
    widget.notify(`${what} could not be used: ${error?.message ?? error}. Showing the widget's normal starting point.`,
      { kind: 'warning', key: 'share:state' });
    return false;
  }
  widget.clearNotice('share:state');
  if (result.dropped.length) {
    widget.notify(`${what}: ignored invalid or unknown attribute${result.dropped.length > 1 ? 's' : ''} ` +
      `${result.dropped.join(', ')}.`, { kind: 'info', key: 'share:dropped' });
  }
  return true;
}

// --- the panel ---------------------------------------------------------------------------------

export const SHARE_CSS = `
.gl-share { display: flex; flex-direction: column; align-items: flex-end; gap: .5rem; margin-top: .5rem; }
.gl-share-toggle { font: inherit; font-size: .9rem; padding: .25rem .75rem; min-height: 2rem;
  border: 1px solid #8795a6; border-radius: 6px; background: #fff; color: #174a96; cursor: pointer; }
.gl-share-toggle:hover { background: #e8f0fc; }
.gl-share-panel { align-self: stretch; display: grid; gap: .6rem; background: #fff; border: 1px solid #c5ced9;
  border-radius: 8px; padding: .75rem; }
.gl-share-panel[hidden] { display: none; }
.gl-share-panel h4 { margin: 0; font-size: .95rem; }
.gl-share-field { display: grid; gap: .25rem; }
.gl-share-field label { font-weight: 600; font-size: .9rem; }
.gl-share-field textarea { width: 100%; min-height: 3.2rem; font: .85rem/1.4 ui-monospace, monospace; resize: vertical;
  border: 1px solid #8795a6; border-radius: 5px; padding: .3rem; color: #1b1f24; background: #f7f9fc; }
.gl-share-row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.gl-share-status { margin: 0; font-size: .9rem; min-height: 1.2em; }
.gl-share-file { font: inherit; font-size: .9rem; }
`;

/**
 * Build the Share / Embed control for a widget. `h` is base.js's DOM builder.
 * @returns {HTMLElement} to append at the end of the widget's frame
 */
export function shareControl(widget, h, nextId) {
  const panelId = nextId('gl-share');
  const status = h('p', { class: 'gl-share-status', role: 'status', 'aria-live': 'polite' });
  const say = (text) => { status.textContent = text; };
  const fields = {};
  const field = (key, label) => {
    const id = nextId('gl-share-field');
    const area = h('textarea', { id, readonly: true, spellcheck: 'false', rows: 3 });
    fields[key] = area;
    const copy = h('button', { type: 'button', class: 'gl-share-toggle', onclick: () => copyText(area, say, label) }, `Copy ${label.toLowerCase()}`);
    return h('div', { class: 'gl-share-field' }, h('label', { for: id }, label), area, h('div', { class: 'gl-share-row' }, copy));
  };
  const fileId = nextId('gl-share-file');
  const file = h('input', { type: 'file', id: fileId, class: 'gl-share-file', accept: '.json,application/json' });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    file.value = '';
    if (!f) return;
    if (f.size > MAX_STATE_CHARS) { say(`“${f.name}” is too large for a Gradlab state file.`); return; }
    const text = await f.text();
    const tag = widget.constructor.tag;
    const ok = loadPayloadInto(widget, () => {
      try {
        return validatePayload(JSON.parse(text), tag);
      } catch (error) {
        return { ok: false, message: `it is not JSON (${error.message})` };
      }
    }, `The file “${f.name}”`);
    say(ok ? `Loaded the state from “${f.name}”.` : `“${f.name}” was not loaded: see the message above.`);
    if (ok) refresh();
  });
  const exportButton = h('button', { type: 'button', class: 'gl-share-toggle', onclick: () => {
    const payload = captureState(widget);
    const blob = new Blob([`${JSON.stringify(payload, null, 2)}\n`], { type: 'application/json' });
    const a = h('a', { href: URL.createObjectURL(blob), download: `${payload.tag}-state.json` });
    widget.shadowRoot.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    say(`Downloaded ${payload.tag}-state.json.`);
  } }, 'Export state (JSON)');

  const panel = h('div', { class: 'gl-share-panel', id: panelId, hidden: true, role: 'group', 'aria-label': 'Share or embed this figure' },
    h('h4', {}, 'Share or embed this figure'),
    field('link', 'Link to this state'),
    field('iframe', 'Iframe embed code'),
    field('script', 'Script-tag embed code'),
    h('div', { class: 'gl-share-row' }, exportButton,
      h('label', { for: fileId }, 'Import state (JSON):'), file),
    status);
  const toggle = h('button', { type: 'button', class: 'gl-share-toggle', 'aria-expanded': 'false',
    'aria-controls': panelId }, 'Share / Embed');

  function refresh() {
    const payload = captureState(widget);
    fields.link.value = stateLink(payload);
    fields.iframe.value = iframeSnippet(payload);
    fields.script.value = scriptSnippet(payload);
  }
  const setOpen = (open) => {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      try {
        refresh();
        say('');
      } catch (error) {
        say(`The state could not be captured: ${error?.message ?? error}`);
      }
    }
  };
  toggle.addEventListener('click', () => setOpen(panel.hidden));
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      setOpen(false);
      toggle.focus();
    }
  });
  const box = h('div', { class: 'gl-share' }, toggle, panel);
  box.refresh = refresh;
  return box;
}

async function copyText(area, say, label) {
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
    await navigator.clipboard.writeText(area.value);
    say(`${label} copied.`);
  } catch {
    area.focus();
    area.select();
    say(`${label} selected: press Ctrl+C (⌘C) to copy.`);
  }
}

// --- helpers for widgets' getState()/setState() -------------------------------------------------

/** A finite number from a state object, or a RangeError naming it. */
export function stateNumber(value, what) {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`${what} must be a finite number`);
  return value;
}

/** Clamp a number into the min/max of one of the widget's schema attributes. */
export function clampToAttribute(widget, name, value) {
  const spec = widget.constructor.schema.attributes[name] ?? {};
  let v = value;
  if (spec.min !== undefined) v = Math.max(spec.min, v);
  if (spec.max !== undefined) v = Math.min(spec.max, v);
  return spec.integer ? Math.round(v) : v;
}

/**
 * State of a "start point + learning rate + steps" widget whose walk is deterministic:
 * { start: number[], lr, steps }. `names` are the schema attributes of the start coordinates.
 */
export function walkState(lab) {
  return { start: Array.from(lab.start), lr: lab.lr, steps: lab.snapshot().step };
}

/** Check and clamp walkState()'s object. @returns {{start: number[], lr: number, steps: number}} */
export function checkWalkState(widget, state, names, maxSteps) {
  if (!state || typeof state !== 'object') throw new Error('the state must be an object');
  if (!Array.isArray(state.start) || state.start.length !== names.length) {
    throw new RangeError(`the start point must have ${names.length} number${names.length > 1 ? 's' : ''}`);
  }
  const start = state.start.map((v, i) => clampToAttribute(widget, names[i], stateNumber(v, names[i])));
  const lr = clampToAttribute(widget, 'learning-rate', stateNumber(state.lr, 'the learning rate'));
  const steps = Math.round(Math.min(maxSteps, Math.max(0, stateNumber(state.steps, 'the step count'))));
  return { start, lr, steps };
}

// --- the one hook base.js calls ----------------------------------------------------------------

/**
 * After a widget's setup(): add the Share / Embed control (unless the element has
 * data-gradlab-share="off"), apply a ?state=… meant for it, and wire its xAPI statements.
 * @returns {() => void} clean-up, run on disconnect
 */
export function attachExtras(widget, h, nextId) {
  const stop = watchWidget(widget);
  let control = null;
  if (widget.dataset.gradlabShare !== 'off') {
    control = shareControl(widget, h, nextId);
    widget.shadowRoot.querySelector('.gl-widget')?.append(control);
  }
  try {
    restoreFromLocation(widget);
  } catch (error) {
    widget.notify(`The shared state could not be used: ${error?.message ?? error}.`, { kind: 'warning', key: 'share:state' });
  }
  return () => {
    stop();
    control?.remove();
  };
}
