// Memory and stability under long use. For every widget on every lesson page: 10,000 slider
// 'input' events (an in-page loop, one animation frame every 100 events) and 1,000 Run/Reset
// cycles (or action/Reset where a widget has no Run). The engine's malloc'd bytes and the JS heap
// (after a forced garbage collection) are measured after a warm-up and at the end: engine memory
// must come back to the warm-up level and the JS heap must not keep growing. A table of the
// numbers is printed. Also: three exam-score widgets running at once on one page each follow their
// own learning rate, checked against a plain JavaScript gradient descent.
// Needs a built site (GRADLAB_DIST or dist/). SOAK_EVENTS / SOAK_CYCLES / SOAK_BUDGET_MS scale the work.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  assertNoProblems, distDir, launchBrowser, openPage, repoRoot, startSite, waitForWidgets,
} from './helpers.mjs';
import { fixturePage, startFixtureSite, waitForReady } from './fixture-page.mjs';

const TOOLS = path.join(repoRoot, 'tests/browser/page-tools.js');
const EVENTS = Number(process.env.SOAK_EVENTS ?? 10000);
const CYCLES = Number(process.env.SOAK_CYCLES ?? 1000);
// Widgets that redo real work on every input event (landscapes, races) are stopped by a time
// budget instead, so the whole soak stays within a few minutes; the table shows the counts.
const BUDGET_MS = Number(process.env.SOAK_BUDGET_MS ?? 3000); // per widget, events (+ half for cycles)
const MALLOC_SLACK = 64 * 1024; // bytes
const JS_HEAP_SLACK = 4 * 1024 * 1024; // bytes
const LESSONS = readdirSync(path.join(distDir(), 'lessons')).filter((f) => f.endsWith('.html')).sort();

/**
 * In the page: drive widget k with `events` slider inputs and `cycles` Run/Reset cycles.
 * Returns what was done. Runs entirely in the page (no round-trip per event).
 */
function drive({ k, events, cycles, budgetMs }) {
  return (async () => {
    const el = __t.widgets()[k];
    el.scrollIntoView({ block: 'center', behavior: 'instant' });
    await __t.frames(1);
    const ranges = [...el.shadowRoot.querySelectorAll('input[type=range]')].filter((r) => !r.disabled);
    let seed = 12345 + k;
    const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    let sent = 0;
    let deadline = performance.now() + budgetMs;
    for (let i = 0; ranges.length && i < events && performance.now() < deadline; i += 1) {
      const r = ranges[i % ranges.length];
      if (r.disabled) continue;
      const lo = Number(r.min);
      const hi = Number(r.max);
      r.value = String(lo + (hi - lo) * random());
      r.dispatchEvent(new Event('input', { bubbles: true }));
      if (i % 100 === 99) {
        r.dispatchEvent(new Event('change', { bubbles: true }));
        await __t.frame();
      }
      sent += 1;
    }
    // Run, or else the first action button; Reset, where there is one.
    const run = __t.button(el, /^Run$/) ?? __t.button(el, /^(Step|Take|Forward|Check)/)
      ?? [...el.shadowRoot.querySelectorAll('button')].find((b) => !/^Reset/.test(b.textContent.trim()) && !b.disabled);
    const reset = __t.button(el, /^Reset/);
    let done = 0;
    deadline = performance.now() + budgetMs / 2;
    for (let i = 0; run && i < cycles && performance.now() < deadline; i += 1) {
      if (__t.button(el, /^Pause$/)) __t.button(el, /^Pause$/).click();
      run.click();
      if (i % 10 === 0) await __t.frame(); // let a running loop take a few steps
      reset?.click();
      done += 1;
    }
    await __t.settle(el, 10000);
    return { tag: el.localName, ranges: ranges.length, sent, cycles: done,
      run: run?.textContent.trim() ?? '', bad: __t.badNumber(__t.text(el)) };
  })();
}

async function measure(page, cdp) {
  await page.evaluate(async () => {
    for (const el of __t.widgets()) __t.button(el, /^Reset/)?.click();
    // At rest: until half a second after a slider's last move a widget may leave work for the
    // moment the hand rests (optim-race builds its racers' engine models then).
    const end = performance.now() + 5000;
    while (__t.widgets().some((el) => el.moving) && performance.now() < end) await __t.frame();
    await __t.frames(3);
  });
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const engine = await page.evaluate(() => __t.widgets().find((el) => el.engine)?.engine.memoryStats());
  return { jsHeap: heap.usedSize, ...engine };
}

const kb = (bytes) => (bytes / 1024).toFixed(1);

describe('soak: every widget on every lesson page', () => {
  let site;
  let browser;
  const table = [];
  before(async () => {
    site = await startSite();
    browser = await launchBrowser();
    await browser.context.addInitScript({ path: TOOLS });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    if (table.length) {
      const head = '| page | widgets | input events | Run/Reset cycles | seconds | engine malloc warm-up → end (KiB) | wasm heap warm-up → end (KiB) | JS heap warm-up → end (KiB) |';
      const lines = [head, '|---|---|---|---|---|---|---|---|', ...table.map((r) =>
        `| ${r.page} | ${r.widgets} | ${r.events} | ${r.cycles} | ${r.seconds} | ${kb(r.warm.allocated)} → ${kb(r.end.allocated)} | ` +
        `${kb(r.warm.heap)} → ${kb(r.end.heap)} | ${kb(r.warm.jsHeap)} → ${kb(r.end.jsHeap)} |`)];
      console.log(`\nSoak results (up to ${EVENTS} slider events and ${CYCLES} Run/Reset cycles per widget, time budget ${BUDGET_MS} ms + ${BUDGET_MS / 2} ms per widget):\n${lines.join("\n")}\n`);
    }
  });

  for (const lesson of LESSONS) {
    test(`lessons/${lesson}: memory returns to the warm-up level, no errors`, async () => {
      const { page, problems } = await openPage(browser, `${site.url}lessons/${lesson}`);
      await waitForWidgets(page, 30000);
      const count = await page.evaluate(() => __t.widgets().length);
      if (!count) {
        await page.close();
        return;
      }
      const cdp = await browser.context.newCDPSession(page);
      const t0 = Date.now();
      for (let k = 0; k < count; k += 1) {
        await page.evaluate(drive, { k, events: Math.min(300, EVENTS), cycles: Math.min(30, CYCLES), budgetMs: 600 });
      }
      const warm = await measure(page, cdp);
      const results = [];
      for (let k = 0; k < count; k += 1) results.push(await page.evaluate(drive, { k, events: EVENTS, cycles: CYCLES, budgetMs: BUDGET_MS }));
      const end = await measure(page, cdp);
      const row = { page: lesson.replace('.html', ''), widgets: count,
        events: results.reduce((s, r) => s + r.sent, 0), cycles: results.reduce((s, r) => s + r.cycles, 0),
        seconds: ((Date.now() - t0) / 1000).toFixed(1), warm, end };
      table.push(row);
      for (const r of results) assert.equal(r.bad, null, `${r.tag} shows a bad value after the soak: ${r.bad}`);
      assert.ok(end.allocated <= warm.allocated + MALLOC_SLACK,
        `engine malloc grew from ${warm.allocated} to ${end.allocated} bytes`);
      assert.ok(end.jsHeap <= warm.jsHeap + JS_HEAP_SLACK, `JS heap grew from ${warm.jsHeap} to ${end.jsHeap} bytes`);
      assertNoProblems(problems, lesson);
      await cdp.detach();
      await page.close();
    });
  }
});

describe('several widgets at once', () => {
  let site;
  let browser;
  before(async () => {
    site = await startFixtureSite({
      'three.html': fixturePage([
        '<gradlab-exam-score id="a" learning-rate="0.01"></gradlab-exam-score>',
        '<gradlab-exam-score id="b" learning-rate="0.05"></gradlab-exam-score>',
        '<gradlab-exam-score id="c" learning-rate="0.02" seed="7" points="50"></gradlab-exam-score>',
      ].join('\n'), { title: 'Three fits at once' }),
    });
    // A tall viewport keeps all three on screen (loops pause off-screen).
    browser = await launchBrowser({ viewport: { width: 1280, height: 6000 } });
    await browser.context.addInitScript({ path: TOOLS });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('three exam-score fits running together each follow their own learning rate', async () => {
    const { page, problems } = await openPage(browser, `${site.url}three.html`);
    await waitForReady(page);
    const states = await page.evaluate(async () => {
      const ws = ['a', 'b', 'c'].map((id) => document.getElementById(id));
      const visible = ws.map((el) => el.visible);
      ws.forEach((el) => __t.button(el, /^Run$/).click());
      const end = performance.now() + 2500;
      while (performance.now() < end && ws.some((el) => el.looping)) await __t.frame();
      ws.forEach((el) => el.looping && __t.button(el, /^Pause$/).click());
      await __t.frames(2);
      return ws.map((el, i) => ({ id: el.id, visible: visible[i], lr: el.learningRate, step: el.step, status: el.status,
        weight: el.weight, bias: el.bias, loss: el.loss, data: el.data, bad: __t.badNumber(__t.text(el)) }));
    });
    // Plain gradient descent on the mean squared error, L = mean((w·x + b − y)²).
    const descend = (data, lr, steps) => {
      let w = 0;
      let b = 0;
      const n = data.length;
      for (let s = 0; s < steps; s += 1) {
        let gw = 0;
        let gb = 0;
        for (const [x, y] of data) {
          const e = w * x + b - y;
          gw += (2 / n) * e * x;
          gb += (2 / n) * e;
        }
        w -= lr * gw;
        b -= lr * gb;
      }
      return { w, b };
    };
    const [a, b, c] = states;
    for (const s of states) {
      assert.ok(s.visible, `${s.id} not on screen`);
      assert.equal(s.bad, null, `${s.id} shows ${s.bad}`);
    }
    assert.equal(b.status, 'diverged', 'lr 0.05 diverges');
    assert.notEqual(a.status, 'diverged');
    assert.notEqual(c.status, 'diverged');
    assert.ok(a.step > 50 && c.step > 50, `too few steps ran: ${a.step}, ${c.step}`);
    assert.notDeepEqual(c.data, a.data, 'c has its own data');
    for (const s of [a, c]) {
      const expected = descend(s.data, s.lr, s.step);
      const tol = (v) => 1e-6 * Math.max(1, Math.abs(v));
      assert.ok(Math.abs(s.weight - expected.w) <= tol(expected.w), `${s.id}: W ${s.weight}, expected ${expected.w} after ${s.step} steps`);
      assert.ok(Math.abs(s.bias - expected.b) <= tol(expected.b), `${s.id}: B ${s.bias}, expected ${expected.b} after ${s.step} steps`);
    }
    assertNoProblems(problems, 'three fits');
    await page.close();
  });
});
