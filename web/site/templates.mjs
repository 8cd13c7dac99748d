// Page templates. Output must stay CSP-clean: no inline <script>, no style attributes, no
// event-handler attributes. Behaviour lives in assets/site.js, looks in assets/site.css.

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; font-src 'self'; connect-src 'self' data:";

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// The engine is imported by the widget bundle and then fetches its wasm: two round trips after
// the bundle has run. Preloading both from <head> starts them with the bundle. The wasm preload
// is a CORS fetch with credentials "same-origin", exactly what Emscripten's fetch() asks for,
// so the browser reuses it (with a different mode it would download the file twice).
export function enginePreloads(root) {
  return `<link rel="modulepreload" href="${root}assets/gradlab-engine.mjs">
<link rel="preload" href="${root}assets/gradlab-engine.wasm" as="fetch" crossorigin>`;
}

// The KaTeX faces a page's math is set in, preloaded from <head>. Otherwise the browser finds
// them only when its first layout meets the math, and lays the page out again when they arrive
// (first widget ready ~20 ms sooner in an interleaved A/B of cold loads). Two faces cover nearly
// every formula: upright digits and operators (Main-Regular) and variables (Math-Italic); the
// rarer ones (big operators, bold) still load from the stylesheet when used.
export function mathFontPreloads(body, root) {
  const faces = [];
  if (body.includes('class="katex"')) faces.push('Main-Regular');
  if (/class="[^"]*\bmathnormal\b/.test(body)) faces.push('Math-Italic');
  return faces.map((face) => `\n<link rel="preload" href="${root}assets/katex/fonts/KaTeX_${face}.woff2" ` +
    'as="font" type="font/woff2" crossorigin>').join('');
}

// Where a page's widget scripts go: build.mjs replaces the marker once the widget code is bundled
// (widgetScripts below), since what a page loads depends on the widgets found in its HTML.
export const WIDGET_SCRIPTS = '<!--gradlab:widget-scripts-->';

/**
 * The <head> tags that load a page's widgets: its own entry module (assets/page-<page>.js, the
 * modules of the widgets it uses), a modulepreload for each chunk that entry imports directly or
 * indirectly (fetched and compiled together instead of one level of imports after the other),
 * and the engine preloads. Nothing for a page without widgets.
 */
export function widgetScripts(root, { entry, chunks }) {
  if (!entry) return '';
  return [`<script type="module" async src="${root}assets/${entry}"></script>`,
    ...chunks.map((c) => `<link rel="modulepreload" href="${root}assets/${c}">`),
    enginePreloads(root)].join('\n');
}

function head({ title, description, root, fonts = '' }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(description)}">
<link rel="icon" href="${root}assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${root}assets/katex/katex.min.css">${fonts}
<link rel="stylesheet" href="${root}assets/math.css">
<link rel="stylesheet" href="${root}assets/site.css">
<script type="module" src="${root}assets/site.js"></script>
${WIDGET_SCRIPTS}
</head>`;
}

function siteHeader(root, current) {
  return `<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
  <div class="wrap site-header-inner">
    <a class="brand" href="${root}index.html"${current === 'home' ? ' aria-current="page"' : ''}>
      <span class="brand-mark" aria-hidden="true">∇</span> Gradlab</a>
    <nav aria-label="Site">
      <a href="${root}index.html#lessons">All lessons</a>
    </nav>
  </div>
</header>`;
}

const siteFooter = (root) => `<footer class="site-footer">
  <div class="wrap">
    <p>Gradlab — the calculus behind machine learning, computed live by a C++ engine running in
    your browser (WebAssembly). Your progress is stored only in this browser.</p>
    <p><a href="${root}authoring.html">Widget reference for lesson authors</a> ·
    <a href="${root}reference.html">Embedding widgets in your own pages</a></p>
  </div>
</footer>`;

function lessonLink(root, lesson) {
  return `<a href="${root}lessons/${lesson.slug}.html">${escapeHtml(lesson.title)}</a>`;
}

/** Home page: every lesson in order, with summary, prerequisites and a progress badge. */
export function homePage({ lessons }) {
  const root = '';
  const items = lessons.map((lesson, i) => {
    const prereq = lesson.prerequisites.length
      ? `<p class="prereq">Builds on: ${lesson.prerequisiteLessons.map((p) => lessonLink(root, p)).join(', ')}</p>`
      : '<p class="prereq">No prerequisites — a good place to start.</p>';
    return `    <li class="lesson-card" data-slug="${lesson.slug}">
      <div class="lesson-card-top">
        <span class="lesson-number" aria-hidden="true">${i + 1}</span>
        <h3 class="lesson-card-title"><a href="lessons/${lesson.slug}.html">${escapeHtml(lesson.title)}</a></h3>
        <span class="badge badge-new" data-progress-badge>Not started</span>
      </div>
      <p class="summary">${escapeHtml(lesson.summary)}</p>
      ${prereq}
    </li>`;
  }).join('\n');
  return `${head({ title: 'Gradlab — the calculus behind machine learning',
    description: 'Interactive lessons on derivatives, gradients and backpropagation.', root })}
<body data-page="home">
${siteHeader(root, 'home')}
<main id="main" tabindex="-1">
  <div class="wrap">
    <section class="hero" aria-labelledby="hero-title">
      <h1 id="hero-title">Learn the calculus behind machine learning by moving it</h1>
      <p class="lede">Short lessons with live figures: drag a point, change a learning rate, and
      watch derivatives, gradients and backpropagation respond — every number computed on the spot
      by a small C++ autodiff engine compiled to WebAssembly.</p>
    </section>
    <section class="lessons" id="lessons" aria-labelledby="lessons-title">
      <div class="lessons-head">
        <h2 id="lessons-title">Lessons</h2>
        <p class="progress-summary" data-progress-summary role="status">${lessons.length} lessons</p>
      </div>
      <p class="continue" data-continue hidden><a class="button button-primary" href="lessons/${lessons[0]?.slug}.html">Continue</a></p>
      <ol class="lesson-list">
${items}
      </ol>
      <p class="reset-row"><button type="button" class="button button-quiet" data-reset-progress>Reset my progress</button></p>
    </section>
    <section class="engine-section" aria-labelledby="engine-title">
      <h2 id="engine-title">Is the engine running?</h2>
      <p>Every figure in the lessons asks the engine for its numbers. This one asks it for a
      mean squared error you can check by hand: predictions 2.5, 3.1 and 4.8 against targets 3, 3
      and 5 give (0.25 + 0.01 + 0.04) / 3 = 0.10.</p>
      <gradlab-engine-check label="Engine check"></gradlab-engine-check>
    </section>
  </div>
</main>
${siteFooter(root)}
</body>
</html>
`;
}

/**
 * A lesson body cut into one <section class="lesson-section"> per h2 (and one for any text before
 * the first). site.css gives each section `content-visibility: auto`, so the browser lays out and
 * paints only the sections on screen: a lesson is ~2,000 elements of KaTeX and widget markup,
 * whose style and layout were the largest part of a cold load before the first widget. Headings
 * from Markdown are always top level (`\n<h2 `); nothing else in a body starts a line that way.
 */
export function lessonSections(body) {
  return body.split(/^(?=<h2[\s>])/m).filter((part) => part.trim())
    .map((part) => `<section class="lesson-section">\n${part.trimEnd()}\n</section>`).join('\n')
    // A widget is a paragraph of its own (`<p><gradlab-…`); the class keeps it out of the
    // per-block content-visibility rule in site.css, so a widget is always laid out.
    .replace(/<p>(?=<gradlab-)/g, '<p class="widget-block">');
}

/** One lesson page. */
export function lessonPage({ lesson, index, total, prev, next, body }) {
  const root = '../';
  const prereq = lesson.prerequisiteLessons.length
    ? `<nav class="prereq" aria-label="Prerequisites"><span>Before this lesson:</span>
        <ul>${lesson.prerequisiteLessons.map((p) => `<li>${lessonLink(root, p)}</li>`).join('')}</ul></nav>`
    : '<p class="prereq">No prerequisites.</p>';
  const pager = `<nav class="pager" aria-label="Previous and next lessons">
        ${prev ? `<a class="pager-prev" rel="prev" href="${prev.slug}.html"><span class="pager-dir">← Previous</span> <span class="pager-title">${escapeHtml(prev.title)}</span></a>` : '<span></span>'}
        ${next ? `<a class="pager-next" rel="next" href="${next.slug}.html"><span class="pager-dir">Next →</span> <span class="pager-title">${escapeHtml(next.title)}</span></a>` : '<a class="pager-next" href="../index.html"><span class="pager-dir">Done →</span> <span class="pager-title">Back to all lessons</span></a>'}
      </nav>`;
  return `${head({ title: `${lesson.title} — Gradlab`, description: lesson.summary, root,
    fonts: mathFontPreloads(body, root) })}
<body data-page="lesson" data-slug="${lesson.slug}">
${siteHeader(root, 'lesson')}
<main id="main" tabindex="-1">
  <article class="lesson wrap">
    <header class="lesson-header">
      <p class="kicker">Lesson ${index + 1} of ${total}</p>
      <h1>${escapeHtml(lesson.title)}</h1>
      <p class="lede">${escapeHtml(lesson.summary)}</p>
      ${prereq}
    </header>
    <div class="lesson-body">
${lessonSections(body)}
    </div>
    <footer class="lesson-footer">
      <div class="complete-box">
        <button type="button" class="button button-primary" data-mark-complete aria-pressed="false">Mark lesson complete</button>
        <p class="complete-status" data-progress-status role="status"></p>
      </div>
      ${pager}
    </footer>
  </article>
</main>
${siteFooter(root)}
</body>
</html>
`;
}

function describeSpec(spec) {
  switch (spec.type) {
    case 'number': {
      const kind = spec.integer ? 'whole number' : 'number';
      if (spec.min !== undefined && spec.max !== undefined) return `${kind}, ${spec.min} to ${spec.max}`;
      if (spec.min !== undefined) return `${kind}, at least ${spec.min}`;
      if (spec.max !== undefined) return `${kind}, at most ${spec.max}`;
      return kind;
    }
    case 'enum': return `one of: ${spec.values.join(', ')}`;
    case 'boolean': return 'boolean (write the attribute alone, or "true" / "false")';
    case 'numbers': return spec.lengths
      ? `${spec.lengths.map((n) => (n === 0 ? 'none' : String(n))).join(' or ')} numbers (commas or spaces)`
      : 'list of numbers (commas or spaces)';
    default: return spec.maxLength ? `text, up to ${spec.maxLength} characters` : 'text';
  }
}

/** The authoring reference, generated from web/widgets/schema.js (the same table validates). */
export function authoringPage({ widgets }) {
  const root = '';
  const sections = Object.entries(widgets).map(([tag, entry]) => {
    const rows = Object.entries(entry.attributes).map(([name, spec]) => `<tr><th scope="row"><code>${name}</code></th>
          <td>${escapeHtml(describeSpec(spec))}</td>
          <td><code>${escapeHtml(Array.isArray(spec.default) ? spec.default.join(', ') : String(spec.default))}</code></td>
          <td>${escapeHtml(spec.description ?? '')}</td></tr>`).join('\n        ');
    const table = rows ? `<table>
        <caption>Attributes of &lt;${tag}&gt;</caption>
        <tr><th scope="col">Attribute</th><th scope="col">Value</th><th scope="col">Default</th><th scope="col">Meaning</th></tr>
        ${rows}
      </table>` : '<p>No attributes.</p>';
    return `<section aria-labelledby="w-${tag}">
      <h2 id="w-${tag}"><code>&lt;${tag}&gt;</code></h2>
      <p>${escapeHtml(entry.description)}</p>
      <pre><code>${escapeHtml(entry.example ?? `<${tag}></${tag}>`)}</code></pre>
      ${table}
    </section>`;
  }).join('\n    ');
  return `${head({ title: 'Widget reference — Gradlab', description: 'Every Gradlab widget tag and its attributes.', root })}
<body data-page="authoring">
${siteHeader(root, 'authoring')}
<main id="main" tabindex="-1">
  <div class="wrap authoring">
    <h1>Widget reference for lesson authors</h1>
    <p class="lede">Put a widget in a lesson by writing its tag on its own lines, with a closing
    tag. The site build checks every tag and attribute against this table and stops with
    <code>file.md:LINE: reason</code> when something is wrong. In the browser, an invalid value
    shows a notice in the widget and the default is used.</p>
    <p>Math: <code>$...$</code> inline, <code>$$...$$</code> on its own lines for display (TeX,
    rendered at build time by KaTeX). Front matter: <code>title</code>, <code>order</code>,
    <code>summary</code>, <code>prerequisites</code> (lesson file names without <code>.md</code>),
    optional <code>widgets</code>.</p>
    ${sections}
  </div>
</main>
${siteFooter(root)}
</body>
</html>
`;
}
