// embed.html: one Gradlab widget alone, for <iframe> embedding in a course page.
//
//   embed.html?widget=gradlab-exam-score&learning-rate=0.05[&parent-origin=https://course.example]
//
// - Only attributes listed for the widget in web/widgets/schema.js are applied, with
//   setAttribute (never as HTML); the widget itself validates them and shows a notice for an
//   invalid value. An unknown or missing widget shows a message listing the valid ones.
// - Auto-height with H5P's iframe-resizer protocol (the course page runs h5p-resizer.js, or any
//   script speaking the same messages, e.g. tests/browser/fixtures/course/resizer.js):
//     child → parent {context:'h5p', action:'hello'}            (at start, and on 'ready')
//     parent → child {context:'h5p', action:'hello'}            (the parent listens)
//     child → parent {context:'h5p', action:'prepareResize', scrollHeight, clientHeight}
//     parent → child {context:'h5p', action:'resizePrepared'}
//     child → parent {context:'h5p', action:'resize', scrollHeight}
//   and again from prepareResize whenever the content's size changes (ResizeObserver) or the
//   parent says {action:'resize'} (its window changed size).
// - Learning records: every 'gradlab-xapi' event of the widget is also posted to the parent as
//   {context:'gradlab', type:'xapi', statement}.
// Origins: messages are accepted only from window.parent; with parent-origin, only from that
// origin, and messages are posted only to it. Without it they are posted to '*': they carry no
// personal data (sizes and widget statements without an actor).

import { widgets } from '../widgets/schema.js';

const params = new URLSearchParams(location.search);
const root = document.getElementById('gradlab-embed');
const inFrame = window.parent && window.parent !== window;
const parentOrigin = params.get('parent-origin') || null;
const targetOrigin = parentOrigin ?? '*';

function post(message) {
  if (!inFrame) return;
  try {
    window.parent.postMessage(message, targetOrigin);
  } catch (error) {
    console.warn('gradlab embed: cannot post to the parent page', error);
  }
}

function message(text, list) {
  const box = document.createElement('div');
  box.className = 'embed-message';
  box.setAttribute('role', 'alert');
  const p = document.createElement('p');
  p.textContent = text;
  box.append(p);
  if (list) {
    const ul = document.createElement('ul');
    for (const item of list) {
      const li = document.createElement('li');
      const code = document.createElement('code');
      code.textContent = item;
      li.append(code);
      ul.append(li);
    }
    box.append(ul);
  }
  root.append(box);
}

function mount() {
  const tag = params.get('widget');
  const entry = tag ? widgets[tag] : null;
  if (!entry) {
    message(tag
      ? `“${tag}” is not a Gradlab widget. Use embed.html?widget=TAG with one of these tags:`
      : 'No widget given. Use embed.html?widget=TAG with one of these tags:', Object.keys(widgets));
    return null;
  }
  document.title = `${tag.replace(/^gradlab-/, '').replace(/-/g, ' ')} — Gradlab`;
  const el = document.createElement(tag);
  for (const name of Object.keys(entry.attributes)) {
    if (params.has(name)) el.setAttribute(name, params.get(name));
  }
  const ignored = [...params.keys()].filter((k) => !(k in entry.attributes)
    && !['widget', 'parent-origin', 'state'].includes(k));
  if (ignored.length) {
    message(`Ignored unknown parameter${ignored.length > 1 ? 's' : ''} ${ignored.join(', ')} ` +
      `(<${tag}> accepts: ${Object.keys(entry.attributes).join(', ') || 'none'}).`);
  }
  root.append(el);
  el.addEventListener('gradlab-xapi', (event) => {
    post({ context: 'gradlab', type: 'xapi', statement: event.detail });
  });
  return el;
}

// --- H5P resizer, child side ----------------------------------------------------------------

let helloAnswered = false;
let pending = 0;

function contentHeight() {
  const rect = root.getBoundingClientRect();
  const style = getComputedStyle(document.body);
  return Math.ceil(rect.bottom + window.scrollY + parseFloat(style.marginBottom || '0')
    + parseFloat(style.paddingBottom || '0'));
}

function prepareResize() {
  if (!helloAnswered || pending) return;
  // NOTE: not requestAnimationFrame: Chromium pauses it in cross-origin iframes out of view.
  pending = setTimeout(() => {
    pending = 0;
    post({ context: 'h5p', action: 'prepareResize', scrollHeight: contentHeight(),
      clientHeight: document.documentElement.clientHeight });
  }, 30);
}

window.addEventListener('message', (event) => {
  if (event.source !== window.parent || !inFrame) return;
  if (parentOrigin && event.origin !== parentOrigin) return;
  const data = event.data;
  if (!data || typeof data !== 'object' || data.context !== 'h5p') return;
  switch (data.action) {
    case 'ready': // the parent's resizer started after us: greet again
      post({ context: 'h5p', action: 'hello' });
      break;
    case 'hello':
      helloAnswered = true;
      prepareResize();
      break;
    case 'resizePrepared':
      post({ context: 'h5p', action: 'resize', scrollHeight: contentHeight() });
      break;
    case 'resize':
      prepareResize();
      break;
    default:
  }
});

mount();
if (inFrame) {
  if (typeof ResizeObserver === 'function') new ResizeObserver(prepareResize).observe(root);
  // ResizeObserver waits for a rendering update, which Chromium skips in cross-origin iframes
  // out of view: also measure when the widget is ready or changes, and once everything loaded.
  for (const type of ['gradlab-ready', 'gradlab-change', 'toggle']) {
    root.addEventListener(type, prepareResize, true);
  }
  window.addEventListener('load', prepareResize);
  window.addEventListener('resize', prepareResize);
  post({ context: 'h5p', action: 'hello' });
}
