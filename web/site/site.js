// Site behaviour (no widgets here): progress stored in this browser's localStorage.
// A lesson is "visited" when its page opens and "completed" when the reader says so.
// Progress is { [slug]: { visited?: ISO time, completed?: ISO time } } under one key.

const KEY = 'gradlab-progress-v1';

function load() {
  try {
    const data = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return data && typeof data === 'object' && !Array.isArray(data) ? data : {};
  } catch {
    return {}; // storage blocked or corrupted: behave as a first visit
  }
}

function save(progress) {
  try {
    localStorage.setItem(KEY, JSON.stringify(progress));
    return true;
  } catch {
    return false;
  }
}

function stateOf(progress, slug) {
  const p = progress[slug] ?? {};
  if (p.completed) return 'completed';
  if (p.visited) return 'visited';
  return 'new';
}

const LABELS = { new: 'Not started', visited: 'Visited', completed: 'Completed' };

function renderHome() {
  const progress = load();
  const cards = [...document.querySelectorAll('.lesson-card[data-slug]')];
  let completed = 0;
  let visited = 0;
  for (const card of cards) {
    const state = stateOf(progress, card.dataset.slug);
    if (state === 'completed') completed += 1;
    if (state !== 'new') visited += 1;
    card.dataset.progress = state;
    const badge = card.querySelector('[data-progress-badge]');
    if (badge) {
      badge.textContent = LABELS[state];
      badge.className = `badge badge-${state}`;
    }
  }
  const summary = document.querySelector('[data-progress-summary]');
  if (summary) {
    summary.textContent = `${completed} of ${cards.length} lessons completed` +
      (visited > completed ? `, ${visited - completed} in progress` : '');
  }
  const reset = document.querySelector('[data-reset-progress]');
  if (reset) reset.hidden = visited === 0;
  // "Continue" leads to the first lesson, in course order, not yet completed.
  const cont = document.querySelector('[data-continue]');
  const nextCard = cards.find((card) => card.dataset.progress !== 'completed');
  if (cont) {
    cont.hidden = visited === 0 || !nextCard;
    if (nextCard) {
      const link = cont.querySelector('a');
      const title = nextCard.querySelector('h3 a');
      link.href = title.getAttribute('href');
      link.textContent = `Continue: ${title.textContent}`;
    }
  }
}

function initHome() {
  renderHome();
  document.querySelector('[data-reset-progress]')?.addEventListener('click', () => {
    save({});
    renderHome();
    document.querySelector('[data-progress-summary]')?.focus?.();
  });
  // Coming back with the browser's back button may restore the page from cache.
  window.addEventListener('pageshow', renderHome);
  window.addEventListener('storage', (e) => { if (e.key === KEY) renderHome(); });
}

function initLesson(slug) {
  const progress = load();
  progress[slug] = { ...progress[slug], visited: progress[slug]?.visited ?? new Date().toISOString() };
  const stored = save(progress);
  const button = document.querySelector('[data-mark-complete]');
  const status = document.querySelector('[data-progress-status]');
  const show = () => {
    const done = Boolean(load()[slug]?.completed);
    button.setAttribute('aria-pressed', String(done));
    button.textContent = done ? 'Completed ✓ (click to undo)' : 'Mark lesson complete';
    button.classList.toggle('is-complete', done);
  };
  if (!button) return;
  if (!stored) {
    status.textContent = 'Progress cannot be saved in this browser (storage is blocked).';
  }
  button.addEventListener('click', () => {
    const now = load();
    const entry = { ...now[slug], visited: now[slug]?.visited ?? new Date().toISOString() };
    if (entry.completed) delete entry.completed;
    else entry.completed = new Date().toISOString();
    now[slug] = entry;
    if (save(now)) {
      status.textContent = entry.completed ? 'Lesson marked as complete.' : 'Lesson marked as not complete.';
    }
    show();
  });
  show();
}

// Wide equations, code and tables scroll sideways on small screens. A scrollable region must be
// reachable by keyboard, so it joins the tab order only while it actually overflows. Each one is
// checked when the browser has laid it out (ResizeObserver: when it first renders, and whenever
// its width changes), never by forcing a layout: lesson sections off screen are not laid out at all
// (content-visibility: auto in site.css) until the reader comes near them.
function keyboardScrollable(el) {
  const scrolls = el.scrollWidth > el.clientWidth + 1;
  if (scrolls && !el.hasAttribute('tabindex')) {
    el.setAttribute('tabindex', '0');
    el.dataset.scrollFocus = '';
  } else if (!scrolls && 'scrollFocus' in el.dataset) {
    el.removeAttribute('tabindex');
    delete el.dataset.scrollFocus;
  }
}

const laidOut = new Set();
if (typeof ResizeObserver === 'function') {
  const watcher = new ResizeObserver((entries) => {
    for (const entry of entries) {
      laidOut.add(entry.target);
      keyboardScrollable(entry.target);
    }
  });
  for (const el of document.querySelectorAll('.math-display, pre, main table')) watcher.observe(el);
  // Web fonts change the width of the content, not of the box: check again once they are in.
  document.fonts?.ready.then(() => laidOut.forEach(keyboardScrollable));
} else {
  document.querySelectorAll('.math-display, pre, main table').forEach(keyboardScrollable);
}

const page = document.body.dataset.page;
if (page === 'home') initHome();
else if (page === 'lesson') initLesson(document.body.dataset.slug);

// A widget whose code did not arrive (offline without the service worker yet, a file missing
// from a half-finished upload, a page kept from before the site was updated) would stay an empty
// box. The widget script is a module loaded before the load event, and once it has run every
// widget of the page is defined: any gradlab-* element still undefined then never will be. Each
// says so, with a button to load the page again.
function reportUndefinedWidgets() {
  const missing = [...document.querySelectorAll(':not(:defined)')]
    .filter((el) => el.localName.startsWith('gradlab-'));
  for (const el of missing) {
    const message = document.createElement('p');
    message.textContent = 'This interactive figure could not be loaded: a file it needs did not ' +
      'download. Check the connection, then load the page again.';
    const reload = document.createElement('button');
    reload.type = 'button';
    reload.className = 'button button-quiet';
    reload.textContent = 'Load the page again';
    reload.addEventListener('click', () => location.reload());
    const box = document.createElement('div');
    box.className = 'widget-load-error';
    box.setAttribute('role', 'alert');
    box.append(message, reload);
    el.append(box);
  }
}
if (document.readyState === 'complete') reportUndefinedWidgets();
else window.addEventListener('load', reportUndefinedWidgets, { once: true });

// Offline: the service worker (dist/sw.js, written by the build) precaches the whole site. Its
// scope is the site's root folder, found from this script's own URL, so sub-path hosting works.
// Not on file:// (the portable build has no worker) nor where service workers are unavailable.
// Registered once the page has loaded and the main thread is idle: on a first visit its install
// downloads every file of the site, which must not compete with the page's own loading and the
// set-up of its widgets.
const siteScript = document.querySelector('script[src$="assets/site.js"]');
if (siteScript && 'serviceWorker' in navigator && /^https?:$/.test(location.protocol)) {
  const root = new URL('../', siteScript.src);
  const register = () => {
    navigator.serviceWorker.register(new URL('sw.js', root), { scope: root.href }).catch((error) => {
      console.warn('Gradlab: offline support is unavailable', error);
    });
  };
  const whenIdle = () => (typeof requestIdleCallback === 'function'
    ? requestIdleCallback(register, { timeout: 3000 }) : setTimeout(register, 200));
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, { once: true });
}
