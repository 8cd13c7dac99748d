#!/usr/bin/env node
// Builds the lesson site into dist/ (run by scripts/build.sh):
//
//   node web/site/build.mjs [--out dist] [--lessons lessons] [--engine build/wasm/gradlab-engine.mjs]
//                           [--check]   (validate lessons only; write nothing)
//
// 1. Reads lessons/*.md: YAML front matter (title, order, summary, prerequisites; optional
//    widgets) and Markdown with TeX math, which KaTeX renders here, at build time.
// 2. Validates everything an author can get wrong — front matter, duplicate order, unknown
//    prerequisite, broken math, unknown <gradlab-*> tag, unknown or invalid attribute (checked
//    against web/widgets/schema.js) — and reports every problem as `file.md:LINE: reason`,
//    then exits 1 without writing.
// 3. Writes dist/index.html, dist/lessons/<slug>.html, dist/authoring.html (the widget
//    reference, generated from schema.js) and dist/assets/: site.css, site.js,
//    the widget code (esbuild: widgets + Chart.js + engine loader; every widget in
//    gradlab-widgets.js, and per page an entry page-<page>.js with only its widgets, the two
//    sharing chunk-*.js files, see bundleWidgets), the engine module
//    (gradlab-engine.mjs, minified, next to the bundle, where the loader's
//    new URL('./gradlab-engine.mjs', import.meta.url) finds it) and its gradlab-engine.wasm
//    (which the module fetches from next to itself), KaTeX CSS + fonts, math.css.

import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { widgets, validateAttribute } from '../widgets/schema.js';
import { createRenderer, findCspProblems, findWidgetTags, MathStyles } from './markdown.mjs';
import { authoringPage, homePage, lessonPage, WIDGET_SCRIPTS, widgetScripts } from './templates.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

const REQUIRED = ['title', 'order', 'summary', 'prerequisites'];
const KNOWN_KEYS = new Set([...REQUIRED, 'widgets']);
const SLUG_RE = /^[a-z0-9][a-z0-9-]*$/;
const SITE_PAGES = new Set(['index.html', 'authoring.html']);

/** Split "---\nyaml\n---\nbody" into parts with line numbers (1-based). */
function splitFrontMatter(text) {
  const lines = text.split(/\r?\n/);
  if (lines[0].trim() !== '---') return { error: 'missing front matter: the file must start with a line "---"' };
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (close < 0) return { error: 'front matter is not closed: add a line "---" after it' };
  return {
    yamlText: lines.slice(1, close).join('\n'),
    yamlFirstLine: 2,
    body: lines.slice(close + 1).join('\n'),
    bodyFirstLine: close + 2,
    yamlLines: lines.slice(1, close),
  };
}

/** 1-based file line of a top-level key in the front matter (or the first line). */
function keyLine(fm, key) {
  const i = fm.yamlLines.findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
  return i >= 0 ? fm.yamlFirstLine + i : 1;
}

export async function loadLessons(lessonsDir, { mathStyles = new MathStyles() } = {}) {
  const errors = [];
  const rel = (file) => path.relative(process.cwd(), file) || file;
  const report = (file, line, message) => errors.push({ file: rel(file), line, message });
  const renderer = createRenderer(mathStyles);
  let names;
  try {
    names = (await readdir(lessonsDir)).filter((n) => n.endsWith('.md')).sort();
  } catch (error) {
    errors.push({ file: rel(lessonsDir), line: 0, message: `cannot read lessons folder: ${error.message}` });
    return { lessons: [], errors };
  }
  if (!names.length) {
    errors.push({ file: rel(lessonsDir), line: 0, message: 'no lessons (*.md) found' });
  }
  const lessons = [];
  for (const name of names) {
    const file = path.join(lessonsDir, name);
    const slug = name.slice(0, -3);
    const text = await readFile(file, 'utf8');
    if (!SLUG_RE.test(slug)) {
      report(file, 1, `file name "${name}" must be lower-case letters, digits and dashes (it becomes the URL)`);
    }
    const fm = splitFrontMatter(text);
    if (fm.error) {
      report(file, 1, fm.error);
      continue;
    }
    const doc = YAML.parseDocument(fm.yamlText, { prettyErrors: false });
    if (doc.errors.length) {
      for (const e of doc.errors) {
        const line = fm.yamlFirstLine + ((e.linePos?.[0]?.line ?? 1) - 1);
        report(file, line, `front matter is not valid YAML: ${e.message.split('\n')[0]}`);
      }
      continue;
    }
    const data = doc.toJS() ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) {
      report(file, fm.yamlFirstLine, 'front matter must be a set of "key: value" lines');
      continue;
    }
    let ok = true;
    const bad = (key, message) => { ok = false; report(file, keyLine(fm, key), message); };
    for (const key of REQUIRED) {
      if (!(key in data)) { ok = false; report(file, 1, `front matter is missing "${key}"`); }
    }
    for (const key of Object.keys(data)) {
      if (!KNOWN_KEYS.has(key)) bad(key, `unknown front matter key "${key}" (allowed: ${[...KNOWN_KEYS].join(', ')})`);
    }
    if ('title' in data && (typeof data.title !== 'string' || !data.title.trim())) bad('title', '"title" must be non-empty text');
    if ('summary' in data && (typeof data.summary !== 'string' || !data.summary.trim())) bad('summary', '"summary" must be non-empty text');
    if ('order' in data && !Number.isInteger(data.order)) bad('order', `"order" must be a whole number, got ${JSON.stringify(data.order)}`);
    if ('prerequisites' in data) {
      const p = data.prerequisites ?? [];
      if (!Array.isArray(p) || !p.every((s) => typeof s === 'string')) {
        bad('prerequisites', '"prerequisites" must be a list of lesson slugs (use [] for none)');
      } else if (p.includes(slug)) bad('prerequisites', 'a lesson cannot be its own prerequisite');
    }
    if ('widgets' in data) {
      const w = data.widgets ?? [];
      if (!Array.isArray(w) || !w.every((s) => typeof s === 'string')) bad('widgets', '"widgets" must be a list of widget tags');
      else for (const tag of w) if (!widgets[tag]) bad('widgets', `unknown widget "${tag}" in "widgets" (known: ${Object.keys(widgets).join(', ')})`);
    }

    const { html, errors: mdErrors, tokens, links } = renderer.render(fm.body, fm.bodyFirstLine);
    for (const e of mdErrors) report(file, e.line, e.message);
    for (const e of findCspProblems(tokens)) report(file, fm.bodyFirstLine + e.line, e.message);
    const usedTags = new Set();
    for (const found of findWidgetTags(tokens)) {
      const line = fm.bodyFirstLine + found.line;
      usedTags.add(found.tag);
      if (!widgets[found.tag]) {
        report(file, line, `unknown widget tag <${found.tag}> (known: ${Object.keys(widgets).join(', ')})`);
        continue;
      }
      if (found.selfClosing) {
        report(file, line, `<${found.tag} /> is not allowed: custom elements need a closing tag </${found.tag}>`);
      }
      for (const [name, value] of found.attributes) {
        const r = validateAttribute(found.tag, name, value);
        if (!r.ok) report(file, line, r.message);
      }
    }
    // An optional `widgets:` list declares the page's widgets: it must name exactly the tags used.
    if (Array.isArray(data.widgets) && data.widgets.every((s) => typeof s === 'string')) {
      const listed = new Set(data.widgets);
      const missing = [...usedTags].filter((t) => !listed.has(t));
      const unused = [...listed].filter((t) => widgets[t] && !usedTags.has(t));
      if (missing.length) bad('widgets', `"widgets" does not list ${missing.join(', ')}, used in the page`);
      if (unused.length) bad('widgets', `"widgets" lists ${unused.join(', ')}, not used in the page`);
    }
    if (ok) {
      lessons.push({
        slug, file, html,
        title: data.title.trim(),
        order: data.order,
        summary: data.summary.trim(),
        prerequisites: data.prerequisites ?? [],
        widgets: data.widgets ?? [],
        links,
        orderLine: keyLine(fm, 'order'),
        prereqLine: keyLine(fm, 'prerequisites'),
      });
    }
  }

  // Cross-lesson checks.
  const bySlug = new Map(lessons.map((l) => [l.slug, l]));
  const byOrder = new Map();
  for (const l of lessons) {
    if (byOrder.has(l.order)) {
      const other = byOrder.get(l.order);
      report(l.file, l.orderLine, `duplicate order ${l.order} (also used by ${path.basename(other.file)})`);
    } else byOrder.set(l.order, l);
  }
  for (const l of lessons) {
    for (const p of l.prerequisites) {
      if (!bySlug.has(p)) {
        report(l.file, l.prereqLine, `prerequisite "${p}" is not a lesson (known: ${[...bySlug.keys()].join(', ')})`);
      }
    }
    l.prerequisiteLessons = l.prerequisites.filter((p) => bySlug.has(p)).map((p) => bySlug.get(p));
    // Relative links are resolved from dist/lessons/: other lessons, or ../index.html etc.
    for (const { line, href, written } of l.links) {
      const target = path.posix.normalize(`lessons/${href}`);
      const lesson = /^lessons\/([^/]+)\.html$/.exec(target);
      const ok = lesson ? bySlug.has(lesson[1]) : SITE_PAGES.has(target);
      if (!ok) report(l.file, line, `link "${written}" does not lead to a page of the site (lessons link to each other as "slug.md" or "slug.html")`);
    }
  }
  lessons.sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
  errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { lessons, errors };
}

// V8's explicit compile hint (Chromium 136+; a plain comment elsewhere): compile every function
// of the file on the background thread that streams it in, instead of each one on the main thread
// at its first call. Nearly all of the bundle (Chart.js, the widget classes) runs while the first
// widget sets up; in an interleaved A/B of cold loads the first widget was ready 20-25 ms sooner.
// It must be the file's first line.
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

/** The widget modules a page's HTML uses: the name of each <gradlab-NAME> tag, in order of first use. */
function pageWidgets(html) {
  return [...new Set([...html.matchAll(/<gradlab-([a-z0-9-]+)[\s>]/g)].map((m) => m[1]))];
}

/**
 * The widget code, bundled by esbuild with code splitting into assets/:
 *   gradlab-widgets.js   every widget (embedding, the widget playground, tests);
 *   page-<page>.js       one entry per page with widgets, importing only the widgets it uses;
 *   chunk-<hash>.js      the code those entries share (Chart.js and the widget base in one chunk
 *                        used by all, each widget in a chunk of its own).
 * All of them directly in assets/, next to the engine: the engine loader (in a chunk) finds
 * gradlab-engine.mjs next to its own file.
 * A lesson loaded the whole bundle (432 KB minified) for one or two widgets; with its own entry it
 * loads 255-280 KB (the home page and the practice lesson ~60 KB: no Chart.js), and the browser
 * compiles and evaluates that much less before the first widget can start: in an interleaved
 * A/B of cold loads (5 each) the first widget was ready sooner on all 14 pages, by 19-166 ms,
 * median 75.
 * `pages` maps a page name to the widget names it uses; returns, per page name, its entry and
 * every chunk the entry imports (directly or through another chunk), relative to assets/.
 */
async function bundleWidgets(outAssets, pages) {
  const esbuild = await import('esbuild');
  const widgetFile = (name) => path.join(repo, 'web/widgets', `${name}.js`);
  for (const names of pages.values()) {
    for (const name of names) {
      if (!existsSync(widgetFile(name))) throw new Error(`<gradlab-${name}> has no module web/widgets/${name}.js`);
    }
  }
  const used = [...pages].filter(([, names]) => names.length);
  // A page's entry is a virtual module: one import per widget, in the order of the page.
  const pageEntries = {
    name: 'gradlab-page-entries',
    setup(build) {
      build.onResolve({ filter: /^gradlab-page:/ }, (args) => ({ path: args.path.slice('gradlab-page:'.length), namespace: 'gradlab-page' }));
      build.onLoad({ filter: /.*/, namespace: 'gradlab-page' }, (args) => ({
        contents: args.path.split(',').map((name) => `import ${JSON.stringify(widgetFile(name))};`).join('\n'),
        resolveDir: repo, loader: 'js',
      }));
    },
  };
  const result = await esbuild.build({
    absWorkingDir: repo,
    entryPoints: [{ in: path.join(repo, 'web/widgets/index.js'), out: 'gradlab-widgets' },
      ...used.map(([page, names]) => ({ in: `gradlab-page:${names.join(',')}`, out: `page-${page}` }))],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: true,
    legalComments: 'linked',
    banner: { js: COMPILE_HINT }, // on every output file: the entries and the chunks
    outdir: outAssets,
    chunkNames: '[name]-[hash]',
    metafile: true,
    // The engine module is loaded at run time from next to the bundle (see web/engine/gradlab.js).
    external: ['*/gradlab-engine.mjs', './gradlab-engine.mjs'],
    plugins: [pageEntries],
    logLevel: 'silent',
  });
  for (const w of result.warnings) {
    // The engine loader's computed import() is intentional; anything else is worth showing.
    if (!/import\(\)|will not be bundled/.test(w.text)) console.warn(`esbuild: ${w.text}`);
  }
  const outputs = result.metafile.outputs;
  const rel = (p) => path.relative(outAssets, path.resolve(repo, p)).split(path.sep).join('/');
  const byAsset = new Map(Object.keys(outputs).map((p) => [rel(p), outputs[p]]));
  const scripts = new Map();
  for (const [page] of used) {
    const entry = `page-${page}.js`;
    const chunks = [];
    const visit = (asset) => {
      for (const imp of byAsset.get(asset)?.imports ?? []) {
        if (imp.kind !== 'import-statement' || imp.external) continue;
        const chunk = rel(imp.path);
        if (chunks.includes(chunk)) continue;
        chunks.push(chunk);
        visit(chunk);
      }
    };
    visit(entry);
    scripts.set(page, { entry, chunks });
  }
  return scripts;
}

/** The engine's .wasm, next to its module (Emscripten names it after the module). */
export const engineWasm = (engine) => engine.replace(/\.mjs$/, '.wasm');

/** Copies the engine into assets/: the module minified (Emscripten's glue keeps its long local
 * names; esbuild renames them, about -3 KB gzipped; no eval is introduced), the .wasm as it is. */
async function copyEngine(engine, assets) {
  const esbuild = await import('esbuild');
  const { code } = await esbuild.transform(await readFile(engine, 'utf8'), {
    format: 'esm', minify: true, target: 'es2020', legalComments: 'none',
  });
  await writeFile(path.join(assets, 'gradlab-engine.mjs'), code);
  await copyFile(engineWasm(engine), path.join(assets, 'gradlab-engine.wasm'));
}

async function writeSite({ lessons, mathStyles, out, engine }) {
  const assets = path.join(out, 'assets');
  // Only ever replace a previous build (or an empty folder): --out . must not wipe the repo.
  if (existsSync(out)) {
    const entries = await readdir(out);
    const ours = entries.length === 0 || (entries.includes('index.html') && entries.includes('assets'));
    if (!ours || out === repo) throw new Error(`refusing to replace ${out}: it does not look like a site build`);
  }
  await rm(out, { recursive: true, force: true });
  await mkdir(path.join(out, 'lessons'), { recursive: true });
  await mkdir(assets, { recursive: true });

  // Every page first, then the widget code its HTML calls for, then the pages with their scripts.
  const pages = new Map([['index', { file: 'index.html', root: '', html: homePage({ lessons }) }],
    ['authoring', { file: 'authoring.html', root: '', html: authoringPage({ widgets }) }]]);
  for (let i = 0; i < lessons.length; i += 1) {
    const lesson = lessons[i];
    pages.set(`lesson-${lesson.slug}`, { file: `lessons/${lesson.slug}.html`, root: '../', html: lessonPage({
      lesson, index: i, total: lessons.length, prev: lessons[i - 1], next: lessons[i + 1], body: lesson.html,
    }) });
  }
  const scripts = await bundleWidgets(assets, new Map([...pages].map(([name, p]) => [name, pageWidgets(p.html)])));
  for (const [name, p] of pages) {
    const tags = widgetScripts(p.root, scripts.get(name) ?? {});
    await writeFile(path.join(out, p.file), p.html.replace(WIDGET_SCRIPTS, () => tags));
  }

  for (const name of ['site.css', 'site.js', 'favicon.svg']) {
    await copyFile(path.join(here, name), path.join(assets, name));
  }
  await writeFile(path.join(assets, 'math.css'), mathStyles.css());
  const katexDist = path.join(repo, 'node_modules/katex/dist');
  await mkdir(path.join(assets, 'katex'), { recursive: true });
  await copyFile(path.join(katexDist, 'katex.min.css'), path.join(assets, 'katex/katex.min.css'));
  await cp(path.join(katexDist, 'fonts'), path.join(assets, 'katex/fonts'), { recursive: true });

  await copyEngine(engine, assets);
  // Embedding and offline: gradlab-widgets.js, embed.html, reference.html, sw.js (written last).
  const { writeExtras } = await import('../embed/extras.mjs');
  await writeExtras({ out });
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'dist' },
      lessons: { type: 'string', default: 'lessons' },
      engine: { type: 'string', default: path.join('build', 'wasm', 'gradlab-engine.mjs') },
      check: { type: 'boolean', default: false },
    },
  });
  const resolve = (p) => path.resolve(repo, p);
  const mathStyles = new MathStyles();
  const { lessons, errors } = await loadLessons(resolve(values.lessons), { mathStyles });
  const engine = resolve(values.engine);
  for (const file of values.check ? [] : [engine, engineWasm(engine)]) {
    if (!existsSync(file)) {
      errors.push({ file: path.relative(process.cwd(), file), line: 0,
        message: `the engine ${file.endsWith('.wasm') ? 'wasm' : 'module'} is missing: build the WebAssembly engine first (scripts/build.sh)` });
    }
  }
  if (errors.length) {
    for (const e of errors) console.error(`${e.file}:${e.line}: ${e.message}`);
    console.error(`\n${errors.length} problem${errors.length === 1 ? '' : 's'} found; the site was not built.`);
    process.exit(1);
  }
  if (values.check) {
    console.log(`${lessons.length} lessons OK.`);
    return;
  }
  const out = resolve(values.out);
  await writeSite({ lessons, mathStyles, out, engine });
  console.log(`Built ${lessons.length} lessons into ${path.relative(process.cwd(), out) || out}/`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error?.stack ?? error);
    process.exit(1);
  });
}
