// Build step for embedding and offline use, run by web/site/build.mjs after the site is written:
//
//   dist/gradlab-widgets.js   stable top-level entry for course pages of other origins
//                             (<script type="module" src=".../gradlab-widgets.js">); it imports
//                             assets/gradlab-widgets.js, which finds the engine next to itself
//   dist/embed.html           one widget alone, for <iframe> embedding (web/embed/embed.js)
//   dist/reference.html       embedding reference: attributes, events, properties of each widget
//   dist/sw.js                service worker precaching every file of dist/ (web/site/sw.js with
//                             the manifest and a content-hash version filled in) — written last
//
// Everything is relative, so dist/ works at a domain root or under any sub-path (/courses/ml/).

import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { widgets } from '../widgets/schema.js';
import { enginePreloads } from '../site/templates.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; font-src 'self'; connect-src 'self' data:";

const esc = (text) => String(text).replace(/[&<>"']/g, (c) => ({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

/** Run every extra step on a freshly written site folder. */
export async function writeExtras({ out }) {
  const assets = path.join(out, 'assets');
  await writeFile(path.join(out, 'gradlab-widgets.js'),
    "// Gradlab widgets for any page: <script type=\"module\" src=\".../gradlab-widgets.js\"></script>\n" +
    "// then e.g. <gradlab-exam-score learning-rate=\"0.05\"></gradlab-exam-score>. See reference.html.\n" +
    "import './assets/gradlab-widgets.js';\n");
  await bundle(path.join(here, 'embed.js'), path.join(assets, 'embed.js'));
  await copyFile(path.join(here, 'embed.css'), path.join(assets, 'embed.css'));
  await writeFile(path.join(out, 'embed.html'), embedPage());
  await writeFile(path.join(out, 'reference.html'), await referencePage());
  await writeServiceWorker(out);
}

async function bundle(entry, outfile) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: ['es2022'],
    minify: true, outfile, logLevel: 'silent', legalComments: 'none',
  });
}

function embedPage() {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>Gradlab widget</title>
<link rel="icon" href="assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="assets/embed.css">
<script type="module" src="assets/embed.js"></script>
<script type="module" src="assets/gradlab-widgets.js"></script>
${enginePreloads('')}
</head>
<body>
<main id="gradlab-embed" class="embed"></main>
</body>
</html>
`;
}

// --- reference page ------------------------------------------------------------------------------

/** The "Events:" / "Properties…" part of a widget file's header comment, as plain text. */
async function apiNotes(tag) {
  const file = path.join(repo, 'web/widgets', `${tag.replace(/^gradlab-/, '')}.js`);
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return '';
  }
  const header = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('//')) break;
    header.push(line.replace(/^\/\/ ?/, ''));
  }
  const start = header.findIndex((l) => /^(Events|Properties|Methods)\b/.test(l));
  return start < 0 ? '' : header.slice(start).join('\n').trim();
}

function describeSpec(spec) {
  switch (spec.type) {
    case 'number': {
      const kind = spec.integer ? 'whole number' : 'number';
      if (spec.min !== undefined && spec.max !== undefined) return `${kind}, ${spec.min} to ${spec.max}`;
      return kind;
    }
    case 'enum': return `one of: ${spec.values.join(', ')}`;
    case 'boolean': return 'boolean';
    case 'numbers': return 'list of numbers';
    default: return 'text';
  }
}

async function referencePage() {
  const sections = [];
  for (const [tag, entry] of Object.entries(widgets)) {
    const rows = Object.entries(entry.attributes).map(([name, spec]) =>
      `<tr><th scope="row"><code>${esc(name)}</code></th><td>${esc(describeSpec(spec))}</td>` +
      `<td><code>${esc(Array.isArray(spec.default) ? spec.default.join(', ') : String(spec.default))}</code></td>` +
      `<td>${esc(spec.description ?? '')}</td></tr>`).join('\n');
    const notes = await apiNotes(tag);
    sections.push(`<section aria-labelledby="r-${tag}">
<h2 id="r-${tag}"><code>&lt;${tag}&gt;</code></h2>
<p>${esc(entry.description)}</p>
<h3>Script tag</h3>
<pre><code>${esc(entry.example ?? `<${tag}></${tag}>`)}</code></pre>
<h3>Iframe</h3>
<pre><code>${esc(`<iframe src="https://YOUR-HOST/embed.html?widget=${tag}" title="${tag}" width="100%" height="600"></iframe>`)}</code></pre>
${rows ? `<table><caption>Attributes of &lt;${tag}&gt;</caption>
<tr><th scope="col">Attribute</th><th scope="col">Value</th><th scope="col">Default</th><th scope="col">Meaning</th></tr>
${rows}
</table>` : '<p>No attributes.</p>'}
${notes ? `<h3>Events, properties and methods</h3>\n<pre class="api-notes">${esc(notes)}</pre>` : ''}
</section>`);
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>Embedding reference — Gradlab</title>
<link rel="icon" href="assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="assets/site.css">
<script type="module" src="assets/site.js"></script>
</head>
<body data-page="reference">
<main id="main" tabindex="-1">
<div class="wrap authoring">
<h1>Embedding reference</h1>
<p class="lede">Every Gradlab widget can be put on any web page. Either load the widgets once
with <code>&lt;script type="module" src="https://YOUR-HOST/gradlab-widgets.js"&gt;&lt;/script&gt;</code>
and write the element, or embed one widget in an iframe:
<code>embed.html?widget=TAG&amp;ATTRIBUTE=VALUE…</code> (optionally <code>&amp;parent-origin=https://your.course</code>
to restrict messages to your page; the iframe resizes itself to its content with H5P's resizer protocol).</p>
<p>All widgets: an invalid attribute value shows a notice inside the widget and the default is
used. Common events (bubbling, composed): <code>gradlab-ready</code> (engine loaded, widget built),
<code>gradlab-change</code> (the state changed; detail depends on the widget),
<code>gradlab-xapi</code> (detail: an xAPI-shaped statement: interacted, answered, completed).
Nothing is sent anywhere by Gradlab itself.</p>
<p><a href="index.html">Back to the lessons</a> · <a href="authoring.html">Authoring reference</a></p>
${sections.join('\n')}
</div>
</main>
</body>
</html>
`;
}

// --- service worker ------------------------------------------------------------------------------

async function listFiles(dir, base = dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await listFiles(full, base));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

/** dist/sw.js = web/site/sw.js with the precache manifest (every file but maps) and a version. */
export async function writeServiceWorker(out) {
  const files = (await listFiles(out))
    .filter((f) => f !== 'sw.js' && !f.endsWith('.map') && !f.endsWith('.LEGAL.txt'))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(f);
    hash.update(await readFile(path.join(out, f)));
  }
  const version = hash.digest('hex').slice(0, 16);
  const template = await readFile(path.join(repo, 'web/site/sw.js'), 'utf8');
  const manifest = JSON.stringify({ version, files: ['./', ...files.map((f) => `./${f}`)] });
  if (!template.includes('/*__PRECACHE__*/null')) throw new Error('web/site/sw.js: manifest placeholder missing');
  await writeFile(path.join(out, 'sw.js'), template.replace('/*__PRECACHE__*/null', manifest));
  return { version, files };
}
