// The site build, without a browser: authoring errors are reported as file:line and stop the
// build; a good build is CSP-clean (no inline scripts or style attributes) and 404-free.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseAttribute, validateAttribute, widgets } from '../../web/widgets/schema.js';
import { repoRoot } from './helpers.mjs';

const build = (...args) => spawnSync(process.execPath, ['web/site/build.mjs', ...args],
  { cwd: repoRoot, encoding: 'utf8' });
const engine = process.env.GRADLAB_ENGINE ?? path.join(repoRoot, 'build/wasm/gradlab-engine.mjs');

describe('authoring errors', () => {
  let out;
  let result;
  before(async () => {
    out = path.join(await mkdtemp(path.join(os.tmpdir(), 'gradlab-broken-')), 'dist');
    result = build('--lessons', 'tests/browser/fixtures/broken', '--out', out);
  });
  after(() => rm(path.dirname(out), { recursive: true, force: true }));

  test('the build exits 1 and writes nothing', () => {
    assert.equal(result.status, 1, result.stderr);
    assert.equal(existsSync(out), false);
  });

  const expectations = [
    ['unknown widget tag', /broken\/bad-widget\.md:10: unknown widget tag <gradlab-nonexistent>/],
    ['attribute out of range', /broken\/bad-widget\.md:12: <gradlab-engine-check> attribute "digits": 99 is out of range/],
    ['unknown attribute', /broken\/bad-widget\.md:12: <gradlab-engine-check> has no attribute "colour"/],
    ['a point of one number', /broken\/bad-widget\.md:16: <gradlab-optim-race> attribute "start": expected none or 2 numbers, got 1/],
    ['a point of three numbers', /broken\/bad-widget\.md:18: <gradlab-curvature-hessian> attribute "point": expected none or 2 numbers, got 3/],
    ['a widget missing from the "widgets" list', /broken\/bad-widget-list\.md:6: "widgets" does not list gradlab-descent-curve, used in the page/],
    ['a "widgets" entry the page does not use', /broken\/bad-widget-list\.md:6: "widgets" lists gradlab-derivative-slope, not used in the page/],
    ['unknown prerequisite', /broken\/bad-widget\.md:5: prerequisite "no-such-lesson" is not a lesson/],
    ['duplicate order', /broken\/bad-widget\.md:3: duplicate order 1/],
    ['broken inline math', /broken\/bad-math\.md:10: broken math "\\frac\{1\}\{2"/],
    ['broken display math', /broken\/bad-math\.md:12: broken math/],
    ['missing front matter', /broken\/no-front-matter\.md:1: missing front matter/],
    ['link to a missing lesson', /broken\/bad-math\.md:16: link "nowhere\.md" does not lead to a page/],
    ['inline style in raw HTML', /broken\/bad-widget\.md:14: inline style attributes are blocked/],
    ['missing front matter field', /broken\/bad-yaml\.md:1: front matter is missing "summary"/],
    ['order not an integer', /broken\/bad-yaml\.md:3: "order" must be a whole number/],
  ];
  for (const [what, pattern] of expectations) {
    test(`reports ${what} as file:line`, () => assert.match(result.stderr, pattern, result.stderr));
  }

  test('every error line has the form path.md:LINE: reason', () => {
    const lines = result.stderr.split('\n').filter((l) => l.includes('.md:'));
    assert.ok(lines.length >= expectations.length);
    for (const line of lines) assert.match(line, /^\S+\.md:\d+: \S/);
  });
});

describe('a good build', { skip: !existsSync(engine) && `engine not built (${engine})` }, () => {
  let out;
  let result;
  const htmlFiles = [];
  before(async () => {
    out = path.join(await mkdtemp(path.join(os.tmpdir(), 'gradlab-site-')), 'dist');
    result = build('--lessons', 'tests/browser/fixtures/lessons', '--out', out, '--engine', engine);
    if (result.status === 0) {
      htmlFiles.push(path.join(out, 'index.html'));
      for (const f of await readdir(path.join(out, 'lessons'))) htmlFiles.push(path.join(out, 'lessons', f));
    }
  });
  after(() => rm(path.dirname(out), { recursive: true, force: true }));

  test('builds', () => {
    assert.equal(result.status, 0, result.stderr);
    for (const f of ['index.html', 'lessons/what-is-a-derivative.html', 'assets/site.css',
      'assets/site.js', 'assets/gradlab-widgets.js', 'assets/gradlab-engine.mjs', 'assets/gradlab-engine.wasm',
      'assets/katex/katex.min.css', 'assets/math.css']) {
      assert.ok(existsSync(path.join(out, f)), `${f} missing`);
    }
  });

  test('pages are CSP-clean: no inline scripts, style attributes or handlers', async () => {
    for (const file of htmlFiles) {
      const html = await readFile(file, 'utf8');
      assert.match(html, /http-equiv="Content-Security-Policy"/);
      assert.doesNotMatch(html, /\sstyle\s*=/i, `${file} has a style attribute`);
      assert.doesNotMatch(html, /<style[\s>]/i, `${file} has a <style> element`);
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${file} has an event-handler attribute`);
      for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
        assert.match(tag, /\ssrc=/, `${file} has an inline script`);
      }
    }
  });

  test('math is rendered at build time (KaTeX HTML + MathML)', async () => {
    const html = await readFile(path.join(out, 'lessons/what-is-a-derivative.html'), 'utf8');
    assert.match(html, /class="katex"/);
    assert.match(html, /<math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML"/);
    assert.match(html, /class="katex-display"/);
    assert.match(html, /Prices like \$5 and \$10 stay as text/);
    assert.match(html, /<code>code with \$dollars\$<\/code>/);
    const css = await readFile(path.join(out, 'assets/math.css'), 'utf8');
    assert.match(css, /\.katex \.ks0[,{]/);
  });

  test('the widget bundle opens with V8\'s compile hint; lesson pages preload the KaTeX faces their math uses', async () => {
    const bundle = await readFile(path.join(out, 'assets/gradlab-widgets.js'), 'utf8');
    assert.equal(bundle.split('\n')[0], '//# allFunctionsCalledOnLoad'); // only honoured as the first line
    const css = await readFile(path.join(out, 'assets/katex/katex.min.css'), 'utf8');
    const html = await readFile(path.join(out, 'lessons/what-is-a-derivative.html'), 'utf8');
    const preloads = [...html.matchAll(/<link rel="preload" href="([^"]+)" as="font"[^>]*>/g)];
    assert.deepEqual(preloads.map(([, href]) => path.basename(href)).sort(),
      ['KaTeX_Main-Regular.woff2', 'KaTeX_Math-Italic.woff2']);
    for (const [tag, href] of preloads) {
      // A font preload is used only if it is a CORS request for the very URL the stylesheet asks for.
      assert.match(tag, /\stype="font\/woff2" crossorigin>/);
      const fromCss = path.relative(path.join(out, 'assets/katex'), path.resolve(path.dirname(path.join(out, 'lessons/x.html')), href));
      assert.ok(css.includes(`url(${fromCss})`), `${href}: katex.min.css has no url(${fromCss})`);
    }
    // A page without math preloads no font.
    const plain = await readFile(path.join(out, 'index.html'), 'utf8');
    assert.doesNotMatch(plain, /as="font"/);
  });

  test('each page with widgets loads an entry of its own, with its chunks preloaded; a page without none', async () => {
    const scripts = (html) => [...html.matchAll(/<script type="module"(?: async)? src="([^"]+)">/g)].map((m) => m[1]);
    const lesson = await readFile(path.join(out, 'lessons/what-is-a-derivative.html'), 'utf8');
    assert.deepEqual(scripts(lesson), ['../assets/site.js', '../assets/page-lesson-what-is-a-derivative.js']);
    const entry = await readFile(path.join(out, 'assets/page-lesson-what-is-a-derivative.js'), 'utf8');
    const preloads = [...lesson.matchAll(/<link rel="modulepreload" href="\.\.\/assets\/([^"]+)">/g)].map((m) => m[1]);
    // The entry's own imports are among the preloads (and so are the engine and the chunks those import).
    const imports = [...entry.matchAll(/(?:\bimport|\bfrom)\s*"\.\/([^"]+\.js)"/g)].map((m) => m[1]);
    assert.ok(imports.length > 0, entry);
    for (const i of imports) assert.ok(preloads.includes(i), `${i} not preloaded: ${preloads}`);
    assert.ok(preloads.includes('gradlab-engine.mjs'));
    for (const p of preloads) assert.ok(existsSync(path.join(out, 'assets', p)), p);
    // No widget on the widget reference: no widget code, no engine preload.
    const authoring = await readFile(path.join(out, 'authoring.html'), 'utf8');
    assert.deepEqual(scripts(authoring), ['assets/site.js']);
    assert.doesNotMatch(authoring, /<link rel="(?:modulepreload|preload)" href="[^"]*\.(?:js|mjs|wasm)"/);
  });

  test('every local link and asset exists (404-free)', async () => {
    const missing = [];
    for (const file of htmlFiles) {
      const html = await readFile(file, 'utf8');
      for (const [, url] of html.matchAll(/(?:href|src)="([^"#?]+)[^"]*"/g)) {
        if (/^[a-z]+:/i.test(url)) continue;
        if (!existsSync(path.resolve(path.dirname(file), url))) missing.push(`${path.basename(file)} -> ${url}`);
      }
    }
    const css = await readFile(path.join(out, 'assets/katex/katex.min.css'), 'utf8');
    for (const [, url] of css.matchAll(/url\(([^)]+)\)/g)) {
      if (!existsSync(path.join(out, 'assets/katex', url))) missing.push(`katex.min.css -> ${url}`);
    }
    assert.deepEqual(missing, []);
  });

  test('lesson pages link prerequisites and previous/next lessons', async () => {
    const html = await readFile(path.join(out, 'lessons/gradients.html'), 'utf8');
    assert.match(html, /rel="prev" href="what-is-a-derivative.html"/);
    assert.match(html, /rel="next" href="chain-rule.html"/);
    assert.match(html, /aria-label="Prerequisites"[\s\S]*href="..\/lessons\/what-is-a-derivative.html"/);
    // a link written as lesson.md is rewritten to the built page
    assert.match(html, /href="what-is-a-derivative.html#the-slope-of-a-curve"/);
  });
});

describe('widget attribute schema', () => {
  test('every entry is well formed', () => {
    for (const [tag, entry] of Object.entries(widgets)) {
      assert.match(tag, /^gradlab-[a-z0-9-]+$/);
      assert.equal(typeof entry.description, 'string', tag);
      for (const [name, spec] of Object.entries(entry.attributes)) {
        assert.ok(['number', 'enum', 'boolean', 'string', 'numbers'].includes(spec.type), `${tag} ${name}`);
        const def = parseAttribute(spec, null);
        assert.ok(def.ok, `${tag} ${name}`);
        if (spec.type === 'number') {
          assert.ok(parseAttribute(spec, String(spec.default)).ok, `${tag} ${name}: default out of range`);
        }
        if (spec.type === 'enum') assert.ok(spec.values.includes(spec.default), `${tag} ${name}`);
        if (spec.type === 'numbers' && spec.lengths) {
          assert.ok(spec.lengths.includes(spec.default.length), `${tag} ${name}: default has a refused length`);
        }
      }
    }
  });

  test('numbers: range, integers, garbage', () => {
    const spec = { type: 'number', default: 0.01, min: 0.0001, max: 1 };
    assert.deepEqual(parseAttribute(spec, '0.5'), { ok: true, value: 0.5 });
    for (const bad of ['', 'abc', '2', '0', 'NaN', 'Infinity', '1e400']) {
      const r = parseAttribute(spec, bad);
      assert.equal(r.ok, false, bad);
      assert.equal(r.value, 0.01);
    }
    assert.equal(parseAttribute({ type: 'number', default: 1, integer: true }, '1.5').ok, false);
  });

  test('enum, boolean, string, numbers', () => {
    const en = { type: 'enum', default: 'sgd', values: ['sgd', 'adam'] };
    assert.equal(parseAttribute(en, 'adam').value, 'adam');
    assert.equal(parseAttribute(en, 'Adam').ok, false);
    const bool = { type: 'boolean', default: false };
    assert.equal(parseAttribute(bool, '').value, true);
    assert.equal(parseAttribute(bool, 'false').value, false);
    assert.equal(parseAttribute(bool, 'yes').ok, false);
    assert.equal(parseAttribute({ type: 'string', default: '', maxLength: 3 }, 'abcd').ok, false);
    const list = { type: 'numbers', default: [], min: 0, minLength: 2 };
    assert.deepEqual(parseAttribute(list, '1, 2 3').value, [1, 2, 3]);
    assert.equal(parseAttribute(list, '1').ok, false);
    assert.equal(parseAttribute(list, '1, -2').ok, false);
    // `lengths`: only the listed counts (a point is none or x y, never one number).
    const point = { type: 'numbers', default: [], lengths: [0, 2], min: -3, max: 3 };
    assert.deepEqual(parseAttribute(point, ''), { ok: true, value: [] });
    assert.deepEqual(parseAttribute(point, '1 -2'), { ok: true, value: [1, -2] });
    for (const [raw, n] of [['1', 1], ['1 2 3', 3]]) {
      const r = parseAttribute(point, raw);
      assert.equal(r.ok, false, raw);
      assert.deepEqual(r.value, []);
      assert.equal(r.message, `expected none or 2 numbers, got ${n}`);
    }
  });

  test('a point attribute takes none or two numbers, never one', () => {
    for (const [tag, name] of [['gradlab-curvature-hessian', 'point'], ['gradlab-optim-race', 'start'],
      ['gradlab-descent-map', 'start']]) {
      assert.equal(validateAttribute(tag, name, '0.5').ok, false, `${tag} ${name}="0.5"`);
      assert.match(validateAttribute(tag, name, '0.5').message, /expected (none or |at least )?2 numbers, got 1/);
      assert.deepEqual(validateAttribute(tag, name, '0.5 -1').value, [0.5, -1]);
    }
  });

  test('validateAttribute knows global attributes and rejects unknown ones', () => {
    assert.equal(validateAttribute('gradlab-engine-check', 'id', 'x').ok, true);
    assert.equal(validateAttribute('gradlab-engine-check', 'data-foo', 'x').ok, true);
    assert.equal(validateAttribute('gradlab-engine-check', 'colour', 'x').ok, false);
    assert.equal(validateAttribute('gradlab-nope', 'id', 'x').ok, false);
  });
});
