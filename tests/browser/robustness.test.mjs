// Bad input, everywhere a reader or an author can type it. Generic over web/widgets/schema.js:
// every tag × every attribute gets NaN, ±Infinity, '', text, 1e308, negatives, values far out of
// range and an HTML-injection string — at connect time and live — and must show a readable
// notice inside the widget, fall back to the default and keep working, with no NaN/Infinity/
// undefined shown anywhere and no console error. Then the number boxes of every slider, learning
// rates that diverge, the exam-score data table and CSV import, and (from Node) the engine
// itself with bad numbers. Needs a built site (GRADLAB_DIST or dist/).

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { widgets } from '../../web/widgets/schema.js';
import { assertNoProblems, distDir, launchBrowser, openPage, repoRoot, screenshot } from './helpers.mjs';
import { allWidgetsHtml, fixturePage, startFixtureSite, TAGS, waitForReady } from './fixture-page.mjs';

const INJECTION = '<img src=x onerror=alert(1)>';

/** Values an attribute of this spec must refuse (each one falls back to the default). */
function badValues(spec) {
  const out = [];
  switch (spec.type) {
    case 'number': {
      out.push('NaN', 'Infinity', '-Infinity', '', '   ', 'abc', '1e308', '-1e308', '12px', INJECTION);
      if (spec.min !== undefined && spec.min > -5) out.push('-5');
      if (spec.max !== undefined) out.push(String(spec.max * 10 + 1000));
      if (spec.min !== undefined) out.push(String(spec.min - Math.abs(spec.min) * 10 - 1000));
      if (spec.integer) out.push(String((spec.min ?? 0) + 0.5));
      break;
    }
    case 'enum':
      out.push('', 'abc', spec.values[0].toUpperCase() === spec.values[0] ? 'x' : spec.values[0].toUpperCase(), INJECTION);
      break;
    case 'boolean':
      out.push('abc', '1', INJECTION);
      break;
    case 'string':
      if (spec.maxLength !== undefined) out.push('x'.repeat(spec.maxLength + 1));
      if (spec.pattern) out.push('abc', INJECTION);
      break;
    case 'numbers':
      out.push('NaN', '1 abc', 'Infinity', '1e308', '1,,x', INJECTION);
      if (spec.maxLength !== undefined) out.push(Array(spec.maxLength + 1).fill(String(spec.min ?? 0)).join(' '));
      if ((spec.minLength ?? 0) > 0) out.push('');
      // A count outside `lengths` (e.g. one number where a point needs none or two).
      for (let n = 1; spec.lengths && n <= Math.max(...spec.lengths) + 1; n += 1) {
        if (!spec.lengths.includes(n)) out.push(Array(n).fill(String(spec.min ?? 0)).join(' '));
      }
      break;
    default:
      break;
  }
  return out;
}

/** Valid extreme values worth trying live (min and max of numbers). */
function extremeValues(spec) {
  if (spec.type !== 'number') return [];
  return [spec.min, spec.max].filter((v) => v !== undefined && v !== spec.default).map(String);
}

const catalogue = Object.fromEntries(TAGS.map((tag) => [tag,
  Object.entries(widgets[tag].attributes).map(([name, spec]) => ({
    name, default: spec.default, bad: badValues(spec), extremes: extremeValues(spec),
  }))]));

describe('robustness: bad input in every widget', () => {
  let site;
  let browser;
  let page;
  let problems;

  before(async () => {
    site = await startFixtureSite({
      'all.html': fixturePage(allWidgetsHtml(), { title: 'Every widget' }),
      'empty.html': fixturePage('<div id="host"></div>', { title: 'Widgets made at test time' }),
    });
    browser = await launchBrowser();
    await browser.context.addInitScript({ path: path.join(repoRoot, 'tests/browser/page-tools.js') });
    browser.context.on('dialog', (dialog) => dialog.dismiss()); // an alert() would be an injection
    ({ page, problems } = await openPage(browser, `${site.url}all.html`));
    page.on('dialog', (d) => problems.push(`dialog opened: ${d.message()}`));
    await waitForReady(page);
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('every widget is ready, with no bad numbers and no problems', async () => {
    const report = await page.evaluate(() => __t.widgets().map((el) => ({
      tag: el.localName, ready: el._ready, bad: __t.badNumber(__t.text(el)),
      alert: el.shadowRoot.querySelector('.gl-alert')?.textContent ?? '',
    })));
    assert.equal(report.length, TAGS.length);
    for (const r of report) {
      assert.ok(r.ready, `${r.tag} is not ready: ${r.alert}`);
      assert.equal(r.bad, null, `${r.tag} shows a bad value: ${r.bad}`);
    }
    assertNoProblems(problems, 'all widgets');
  });

  for (const tag of TAGS) {
    test(`${tag}: every attribute refuses bad values live, with a notice, and the widget keeps working`, async () => {
      const failures = await page.evaluate(async ({ tag, entries, injection }) => {
        const el = document.querySelector(tag);
        el.scrollIntoView({ block: 'center', behavior: 'instant' });
        const fails = [];
        const noticeFor = (name) => [...el.shadowRoot.querySelectorAll('.gl-notices .gl-notice')]
          .find((n) => n.textContent.includes(`“${name}”`));
        const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
        for (const a of entries) {
          for (const value of a.extremes) {
            el.setAttribute(a.name, value);
            if (noticeFor(a.name)) fails.push(`${a.name}="${value}" (valid) shows a notice: ${noticeFor(a.name).textContent}`);
            await __t.frames(1);
          }
          for (const value of a.bad) {
            el.setAttribute(a.name, value);
            const notice = noticeFor(a.name);
            if (!notice) fails.push(`${a.name}="${value}": no notice`);
            else if (!/default/.test(notice.textContent)) fails.push(`${a.name}="${value}": notice does not mention the default: ${notice.textContent}`);
            if (!same(el.attrs[a.name], a.default)) {
              fails.push(`${a.name}="${value}": attrs.${a.name} = ${JSON.stringify(el.attrs[a.name])}, not the default`);
            }
          }
          el.removeAttribute(a.name);
          if (noticeFor(a.name)) fails.push(`${a.name}: notice stays after removing the attribute`);
          await __t.frames(1);
        }
        await __t.settle(el);
        // Still working: the readouts show numbers, and a first action button works.
        const act = __t.button(el, /^(Step|Take|Forward|Check|Run|Compute)/);
        if (act) {
          act.click();
          await __t.settle(el);
        }
        const text = __t.text(el);
        const bad = __t.badNumber(text);
        if (bad) fails.push(`shows a bad value: ${bad}`);
        const outputs = [...el.shadowRoot.querySelectorAll('output')].map((o) => o.textContent.trim());
        if (outputs.length && !outputs.some((o) => /\d/.test(o))) fails.push(`no readout shows a number: ${outputs.join(' | ')}`);
        if (el.shadowRoot.querySelector('.gl-alert')?.textContent) fails.push(`error box: ${el.shadowRoot.querySelector('.gl-alert').textContent}`);
        if (el.shadowRoot.querySelector('.gl-notice-error')) fails.push(`error notice: ${el.shadowRoot.querySelector('.gl-notice-error').textContent}`);
        if (__t.deepAll('img', el.shadowRoot).length) fails.push('an <img> appeared in the shadow root');
        void injection;
        return fails;
      }, { tag, entries: catalogue[tag], injection: INJECTION });
      assert.deepEqual(failures, [], `${tag}:\n${failures.join('\n')}`);
      assertNoProblems(problems, tag);
    });
  }

  test('connect time: every widget made with all attributes bad shows one notice per attribute and works', async () => {
    const { page: p2, problems: probs2 } = await openPage(browser, `${site.url}empty.html`);
    p2.on('dialog', (d) => probs2.push(`dialog opened: ${d.message()}`));
    const values = ['NaN', '-Infinity', '', '1e308', INJECTION];
    const failures = await p2.evaluate(async ({ catalogue, values }) => {
      const fails = [];
      const host = document.getElementById('host');
      for (const [tag, entries] of Object.entries(catalogue)) {
        for (const value of values) {
          const el = document.createElement(tag);
          const expected = [];
          for (const a of entries) {
            if (!a.bad.includes(value)) continue; // a valid value for this attribute
            el.setAttribute(a.name, value);
            expected.push(a);
          }
          host.replaceChildren(el);
          const end = performance.now() + 20000;
          while (!el._ready && !el.shadowRoot.querySelector('.gl-alert')?.textContent && performance.now() < end) await __t.frame();
          await __t.frames(2);
          const where = `${tag} with all attributes "${value}"`;
          if (!el._ready) { fails.push(`${where}: not ready`); continue; }
          const notices = [...el.shadowRoot.querySelectorAll('.gl-notices .gl-notice')].map((n) => n.textContent);
          for (const a of expected) {
            if (!notices.some((n) => n.includes(`“${a.name}”`))) fails.push(`${where}: no notice for ${a.name}`);
            if (JSON.stringify(el.attrs[a.name]) !== JSON.stringify(a.default)) fails.push(`${where}: ${a.name} not defaulted`);
          }
          const bad = __t.badNumber(__t.text(el, { skip: '.gl-notices' }));
          if (bad) fails.push(`${where}: shows a bad value: ${bad}`);
          if (__t.deepAll('img', el.shadowRoot).length) fails.push(`${where}: an <img> appeared`);
          if (el.shadowRoot.querySelector('.gl-notice-error, .gl-alert:not(:empty)')) fails.push(`${where}: error shown`);
        }
      }
      host.replaceChildren();
      return fails;
    }, { catalogue, values });
    assert.deepEqual(failures, [], failures.join('\n'));
    assertNoProblems(probs2, 'connect-time bad attributes');
    await p2.close();
  });

  test('HTML in text attributes is shown as text, never parsed', async () => {
    const tags = TAGS.filter((tag) => Object.values(widgets[tag].attributes).some((s) => s.type === 'string' && !s.pattern));
    assert.ok(tags.length > 0);
    const result = await page.evaluate(async ({ tags, injection }) => {
      const out = [];
      for (const tag of tags) {
        const el = document.querySelector(tag);
        const names = Object.keys(el.attrs).filter((n) => typeof el.attrs[n] === 'string');
        for (const name of names) el.setAttribute(name, injection);
        await __t.frames(2);
        out.push({ tag, imgs: __t.deepAll('img', el.shadowRoot).length,
          shown: __t.text(el).includes(injection), notices: el.shadowRoot.querySelectorAll('.gl-notice').length });
        for (const name of names) el.removeAttribute(name);
      }
      return { out, imgsOnPage: __t.deepAll('img').length };
    }, { tags, injection: INJECTION });
    for (const r of result.out) {
      assert.equal(r.imgs, 0, `${r.tag}: an <img> was created`);
      assert.ok(r.shown || r.notices > 0, `${r.tag}: the text was neither shown literally nor refused`);
    }
    assert.equal(result.imgsOnPage, 0);
    assertNoProblems(problems, 'injection');
  });

  test('number boxes: text, huge and negative numbers are refused or clamped with a message', async () => {
    const failures = await page.evaluate(async () => {
      const fails = [];
      for (const el of __t.widgets()) {
        el.scrollIntoView({ block: 'center', behavior: 'instant' });
        const boxes = [...el.shadowRoot.querySelectorAll('input[type=number]')];
        for (const box of boxes) {
          const min = Number(box.min);
          const max = Number(box.max);
          const name = `${el.localName} "${box.getAttribute('aria-label')}"`;
          const hint = el.shadowRoot.getElementById(box.getAttribute('aria-describedby'));
          for (const typed of ['abc', 'NaN', '1e308', '-1e308', '-5', String(max * 100 + 7), '']) {
            box.value = typed; // a number input turns unparsable text into ''
            box.dispatchEvent(new Event('input', { bubbles: true }));
            box.dispatchEvent(new Event('change', { bubbles: true }));
            const v = Number(box.value);
            const valid = typed !== '' && Number.isFinite(Number(typed)) && Number(typed) >= min && Number(typed) <= max;
            if (!valid && !hint?.textContent.trim()) fails.push(`${name}: typed "${typed}", no message`);
            if (box.value === '' || !Number.isFinite(v) || v < min - 1e-9 || v > max + 1e-9) {
              fails.push(`${name}: typed "${typed}", box shows "${box.value}" (range ${min}..${max})`);
            }
          }
        }
        await __t.settle(el);
        const bad = __t.badNumber(__t.text(el));
        if (bad) fails.push(`${el.localName}: shows a bad value: ${bad}`);
      }
      return fails;
    });
    assert.deepEqual(failures, [], failures.join('\n'));
    assertNoProblems(problems, 'number boxes');
  });

  // Learning rates that diverge: the widget says so, and never shows NaN.
  const diverging = [
    ['gradlab-exam-score', { 'learning-rate': '1' }],
    ['gradlab-descent-curve', { 'learning-rate': '40' }],
    ['gradlab-descent-map', { 'learning-rate': '40' }],
    ['gradlab-linreg-code', { 'learning-rate': '0.2' }],
    ['gradlab-recipe-curve', { 'learning-rate': '5000' }],
    ['gradlab-recipe-2d', { 'learning-rate': '5000' }],
  ];
  for (const [tag, attrs] of diverging) {
    test(`${tag} ${JSON.stringify(attrs)}: Run says "diverged", no NaN`, async () => {
      const { page: p, problems: probs } = await openPage(browser, `${site.url}empty.html`);
      const r = await p.evaluate(async ({ tag, attrs }) => {
        const el = document.createElement(tag);
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        document.getElementById('host').append(el);
        while (!el._ready) await __t.frame();
        __t.button(el, /^Run$/).click();
        const settled = await __t.settle(el, 30000);
        return { settled, status: el.status, text: __t.text(el) };
      }, { tag, attrs });
      assert.ok(r.settled, 'Run did not stop');
      assert.match(r.text, /diverg/i, `${tag} does not say it diverged (status ${r.status})`);
      assert.equal(r.text.match(/.{0,50}\b(NaN|-?Infinity|undefined)\b.{0,50}/)?.[0] ?? null, null);
      await screenshot(p, `robustness-diverged-${tag.slice(8)}`, { target: p.locator(tag) });
      assertNoProblems(probs, `${tag} diverged`);
      await p.close();
    });
  }

  describe('exam-score data: edge cases and bad CSV', () => {
    let p;
    let probs;
    before(async () => {
      ({ page: p, problems: probs } = await openPage(browser, `${site.url}empty.html`));
      // Reduced motion: Run finishes in one frame (up to the widget's 20,000-step limit).
      await p.emulateMedia({ reducedMotion: 'reduce' });
      await p.evaluate(async () => {
        const el = document.createElement('gradlab-exam-score');
        document.getElementById('host').append(el);
        while (!el._ready) await __t.frame();
        el.shadowRoot.querySelector('details').open = true;
        await __t.frames(2);
      });
    });
    after(() => p?.close());

    /** Load CSV through the textarea and button, run to the end, report what is shown. */
    const useCsv = (csv) => p.evaluate(async (text) => {
      const el = document.querySelector('gradlab-exam-score');
      el.scrollIntoView({ block: 'start', behavior: 'instant' });
      el.shadowRoot.querySelector('textarea').value = text;
      __t.button(el, /^Use this CSV$/).click();
      await __t.frames(2);
      const info = el.shadowRoot.querySelector('.es-info:not([role])')?.textContent ?? '';
      const messages = [...el.shadowRoot.querySelectorAll('.es-messages li')].map((li) => li.textContent);
      __t.button(el, /^(Run|Pause)$/).click();
      await __t.settle(el, 30000);
      return { info, messages, rows: el.data.length, status: el.status, weight: el.weight, bias: el.bias,
        loss: el.loss, text: __t.text(el, { skip: '.es-messages, textarea' }),
        imgs: __t.deepAll('img', el.shadowRoot).length };
    }, csv);

    const noBad = (r, what) => {
      const bad = r.text.match(/.{0,50}\b(NaN|-?Infinity|undefined)\b.{0,50}/)?.[0] ?? null;
      assert.equal(bad, null, `${what}: shows a bad value`);
      assert.ok(Number.isFinite(r.loss) || r.status === 'diverged', `${what}: loss ${r.loss}`);
    };

    test('duplicate points, a single point, collinear points: a fit, no NaN', async () => {
      let r = await useCsv('hours,score\n4,75\n4,75\n4,75\n4,75');
      assert.equal(r.rows, 4);
      noBad(r, 'duplicates');
      assert.ok(Math.abs(r.weight * 4 + r.bias - 75) < 0.5, `duplicates: line misses the point (${r.weight}, ${r.bias})`);
      r = await useCsv('4,75');
      assert.equal(r.rows, 1);
      assert.match(r.info, /Loaded 1 student\b/);
      noBad(r, 'single point');
      r = await useCsv('1,10\n2,20\n3,30\n4,40');
      noBad(r, 'collinear');
      assert.equal(r.status, 'converged');
      assert.ok(Math.abs(r.weight - 10) < 0.05 && Math.abs(r.bias) < 0.2, `collinear: W ${r.weight}, B ${r.bias}`);
      assertNoProblems(probs, 'data edge cases');
    });

    test('malformed CSV, non-numbers and out-of-range rows are reported by line', async () => {
      const r = await useCsv(['hours,score', '1,50', '2,60,70', 'abc,5', ',', '3;', 'Infinity,4', '1e999,4',
        'NaN,3', '0x10,4', '5,1e6', `${INJECTION},1`, '2,55'].join('\n'));
      assert.equal(r.rows, 2);
      assert.match(r.info, /Loaded 2 students; skipped 10 lines/);
      for (const line of [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
        assert.ok(r.messages.some((m) => m.startsWith(`line ${line}:`)), `no message for line ${line}: ${r.messages.join(' | ')}`);
      }
      assert.equal(r.imgs, 0);
      noBad(r, 'malformed');
      const none = await useCsv('abc,def\nfoo,bar\n');
      assert.match(none.info, /No usable rows/);
      assert.equal(none.rows, 2, 'the data must not change');
      const empty = await useCsv('');
      assert.match(empty.info, /No usable rows/);
      assertNoProblems(probs, 'malformed CSV');
    });

    test('a CSV over the row limit is cut with a message', async () => {
      const lines = ['hours,score'];
      for (let i = 0; i < 1005; i += 1) lines.push(`${(i % 100) / 10},${50 + (i % 40)}`);
      const r = await useCsv(lines.join('\n'));
      assert.equal(r.rows, 1000);
      assert.ok(r.messages.some((m) => /more than 1000 rows/.test(m)), r.messages.join(' | '));
      noBad(r, 'row limit');
      assertNoProblems(probs, 'row limit');
    });

    test('removing every row is refused at one; bad cell edits are refused with a message', async () => {
      await useCsv('1,50\n2,60\n3,70');
      const r = await p.evaluate(async () => {
        const el = document.querySelector('gradlab-exam-score');
        for (let i = 0; i < 5; i += 1) {
          el.shadowRoot.querySelector('tbody button')?.click();
          await __t.frames(2);
        }
        const afterRemove = { rows: el.data.length, info: el.shadowRoot.querySelector('.es-info[role]').textContent };
        const cell = el.shadowRoot.querySelector('tbody input');
        const edits = [];
        for (const typed of ['abc', 'NaN', '1e308', '-5', '', '<b>x</b>']) {
          cell.value = typed;
          cell.dispatchEvent(new Event('change'));
          await __t.frames(1);
          edits.push({ typed, info: el.shadowRoot.querySelector('.es-info[role]').textContent, value: cell.value,
            invalid: cell.getAttribute('aria-invalid') });
        }
        return { afterRemove, edits, data: el.data, text: __t.text(el, { skip: '.es-messages, .es-info, textarea' }) };
      });
      assert.equal(r.afterRemove.rows, 1);
      assert.match(r.afterRemove.info, /at least one student/);
      for (const e of r.edits) {
        assert.equal(e.invalid, 'true', `cell "${e.typed}" accepted`);
        assert.match(e.info, /kept/, `cell "${e.typed}": ${e.info}`);
      }
      assert.deepEqual(r.data, [[3, 70]]); // the first row was removed each time
      assert.equal(r.text.match(/\b(NaN|-?Infinity|undefined)\b/), null);
      assertNoProblems(probs, 'table edits');
    });
  });
});

// --- the engine itself, from Node ------------------------------------------------------------

describe('engine: bad numbers throw RangeError/Error with a message, never abort', () => {
  let gl;
  before(async () => {
    const { loadEngine } = await import('../../web/engine/gradlab.js');
    gl = await loadEngine({ moduleUrl: pathToFileURL(path.join(distDir(), 'assets/gradlab-engine.mjs')).href });
  });

  const throwsReadable = (fn, what) => {
    let error;
    try {
      fn();
    } catch (e) {
      error = e;
    }
    assert.ok(error, `${what}: did not throw`);
    assert.ok(error instanceof RangeError || error.constructor === Error || error instanceof TypeError,
      `${what}: threw ${error?.constructor?.name}`);
    assert.ok(typeof error.message === 'string' && error.message.length > 5 && !/abort/i.test(error.message),
      `${what}: message "${error.message}"`);
  };

  test('trainer, model, data and landscape refuse NaN, ±Infinity, huge and negative numbers', () => {
    const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 0];
    const m = gl.model({ type: 'function', name: 'wells1d' });
    try {
      for (const lr of bad) throwsReadable(() => gl.trainer(m, { type: 'sgd', lr }).delete(), `lr ${lr}`);
      const t = gl.trainer(m, { type: 'sgd', lr: 0.1 });
      try {
        for (const lr of bad) throwsReadable(() => t.setLearningRate(lr), `setLearningRate(${lr})`);
        for (const n of [Number.NaN, -1, Number.POSITIVE_INFINITY]) throwsReadable(() => t.run(n), `run(${n})`);
        throwsReadable(() => t.reset([Number.NaN]), 'reset([NaN])');
        throwsReadable(() => t.reset([1, 2, 3]), 'reset(wrong length)');
        assert.equal(t.run(5), 'running'); // still usable
        assert.ok(Number.isFinite(t.loss));
      } finally {
        t.delete();
      }
      throwsReadable(() => m.setParameters([Number.NaN]), 'setParameters NaN');
      throwsReadable(() => m.setParameters([1e308 * 10]), 'setParameters Infinity');
      throwsReadable(() => m.evaluate([Number.NEGATIVE_INFINITY]), 'evaluate -Infinity');
    } finally {
      m.delete();
    }
    for (const condition of [Number.NaN, 0, -5, 1e308 * 10]) {
      throwsReadable(() => gl.model({ type: 'function', name: 'bowl', condition }).delete(), `bowl condition ${condition}`);
    }
    for (const n of [Number.NaN, -5, 0, 1e308, 2.5]) {
      throwsReadable(() => gl.dataset('exam-scores', { n }), `dataset n ${n}`);
    }
    throwsReadable(() => gl.dataset('exam-scores', { n: 10, noise: -1 }), 'dataset noise -1');
    const lin = gl.model({ type: 'linear', inputs: 1 });
    try {
      throwsReadable(() => lin.setData({ x: [1, Number.NaN], y: [1, 2], rows: 2 }), 'setData NaN');
      throwsReadable(() => lin.setData({ x: [], y: [], rows: 0 }), 'setData zero rows');
      lin.setData({ x: [1, 2], y: [3, 5], rows: 2 });
      for (const grid of [{ nx: 0, ny: 10 }, { nx: Number.NaN, ny: 10 }, { nx: 10, ny: -3 }, { nx: 1e9, ny: 1e9 }]) {
        throwsReadable(() => lin.landscape({ i: 0, j: 1, iMin: -1, iMax: 1, jMin: -1, jMax: 1, ...grid }), `landscape ${JSON.stringify(grid)}`);
      }
      throwsReadable(() => lin.landscape({ i: 0, j: 1, iMin: Number.NaN, iMax: 1, jMin: -1, jMax: 1, nx: 5, ny: 5 }), 'landscape NaN range');
      throwsReadable(() => lin.predict([Number.NaN], 1), 'predict NaN');
      assert.ok(Number.isFinite(lin.evaluate().loss), 'still usable');
    } finally {
      lin.delete();
    }
    throwsReadable(() => gl.loss('mse', [Number.POSITIVE_INFINITY], [1]), 'loss Infinity');
    throwsReadable(() => gl.loss('mse', [1], [Number.NaN]), 'loss target NaN');
  });
});
