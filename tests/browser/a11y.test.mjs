// Accessibility of the built site: axe-core (shadow roots included) on every page, before and
// after using each widget and in diverged states; keyboard-only use of every widget (Tab reaches
// every control, each has an accessible name, Enter/Space press buttons, arrow keys move
// sliders); text alternatives for charts; prefers-reduced-motion; 200 % zoom (640 px at 2×) and a
// 375 px phone without horizontal scrolling. Screenshots (GRADLAB_SCREENSHOTS=1):
// test-output/screenshots/a11y-*.png.
// Needs a built site (GRADLAB_DIST or dist/).

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import {
  assertNoProblems, chromiumPath, distDir, formatViolations, frames, launchBrowser, openPage, repoRoot,
  runAxe, screenshot, screenshotsOn, startSite, waitForWidgets,
} from './helpers.mjs';
import { allWidgetsHtml, fixturePage, startFixtureSite, TAGS, waitForReady } from './fixture-page.mjs';

const TOOLS = path.join(repoRoot, 'tests/browser/page-tools.js');
const PAGES = ['index.html', 'authoring.html',
  ...readdirSync(path.join(distDir(), 'lessons')).filter((f) => f.endsWith('.html')).sort().map((f) => `lessons/${f}`)];
const shortName = (p) => p.replace(/^lessons\//, '').replace(/\.html$/, '');

/** Press the main action buttons of every widget on the page and wait for loops to end. */
async function useEveryWidget(page) {
  await page.evaluate(async () => {
    for (const el of __t.widgets()) {
      el.scrollIntoView({ block: 'center', behavior: 'instant' });
      for (const re of [/^(Step|Take|Forward)/, /^Run$/]) {
        const b = __t.button(el, re);
        if (b && !b.disabled) {
          b.click();
          // A long run is paused after a second: the state mid-run is what a reader sees too.
          if (!(await __t.settle(el, 1000))) __t.button(el, /^Pause$/)?.click();
          await __t.settle(el, 2000);
        }
      }
    }
  });
}

describe('accessibility: axe on every page, before and after use', () => {
  let site;
  let browser;
  before(async () => {
    site = await startSite();
    browser = await launchBrowser();
    await browser.context.addInitScript({ path: TOOLS });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const name of PAGES) {
    test(`${name}: no serious or critical axe violations, before and after using the widgets`, async () => {
      const { page, problems } = await openPage(browser, site.url + name);
      await waitForWidgets(page, 30000);
      let violations = await runAxe(page);
      assert.deepEqual(violations, [], `${name} (as loaded):\n${formatViolations(violations)}`);
      await useEveryWidget(page);
      // Only the widgets changed: the rest of the page was checked just above.
      violations = await runAxe(page, { widgetsOnly: true });
      assert.deepEqual(violations, [], `${name} (after Step/Run):\n${formatViolations(violations)}`);
      assertNoProblems(problems, name);
      await page.close();
    });
  }
});

describe('accessibility of every widget: keyboard, names, charts, diverged state', () => {
  let site;
  let browser;
  let page;
  let problems;
  before(async () => {
    site = await startFixtureSite({
      'all.html': fixturePage(allWidgetsHtml(), { title: 'Every widget' }),
      'diverged.html': fixturePage([
        '<gradlab-exam-score learning-rate="1"></gradlab-exam-score>',
        '<gradlab-descent-curve learning-rate="40"></gradlab-descent-curve>',
        '<gradlab-descent-map learning-rate="40"></gradlab-descent-map>',
        '<gradlab-linreg-code learning-rate="0.2"></gradlab-linreg-code>',
        '<gradlab-recipe-curve learning-rate="5000"></gradlab-recipe-curve>',
        '<gradlab-recipe-2d learning-rate="5000"></gradlab-recipe-2d>',
        '<gradlab-exam-score learning-rate="NaN"></gradlab-exam-score>',
      ].join('\n'), { title: 'Diverged widgets' }),
    });
    browser = await launchBrowser();
    await browser.context.addInitScript({ path: TOOLS });
    ({ page, problems } = await openPage(browser, `${site.url}all.html`));
    await waitForReady(page);
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('diverged widgets and attribute notices: no serious or critical axe violations', async () => {
    const { page: p, problems: probs } = await openPage(browser, `${site.url}diverged.html`);
    await waitForReady(p);
    // Reduced motion: Run jumps straight to the diverged state (the state is what is checked here;
    // the step-by-step animation is covered by the lesson tests).
    await p.emulateMedia({ reducedMotion: 'reduce' });
    await p.evaluate(async () => {
      for (const el of __t.widgets()) {
        el.scrollIntoView({ block: 'center', behavior: 'instant' });
        __t.button(el, /^Run$/)?.click();
        await __t.settle(el, 30000);
      }
    });
    const diverged = await p.evaluate(() => __t.widgets().map((el) => /diverg/i.test(__t.text(el))));
    assert.deepEqual(diverged.slice(0, 6), Array(6).fill(true));
    const violations = await runAxe(p);
    assert.deepEqual(violations, [], formatViolations(violations));
    await screenshot(p, 'a11y-diverged', { fullPage: false });
    assertNoProblems(probs, 'diverged');
    await p.close();
  });

  for (const tag of TAGS) {
    test(`${tag}: Tab reaches every control, each has an accessible name`, async () => {
      // Mark every visible, enabled, focusable element of the widget, then Tab from a button
      // placed just before it until focus leaves the widget.
      const info = await page.evaluate((tag) => {
        const el = document.querySelector(tag);
        const start = document.createElement('button');
        start.id = 'kb-start';
        start.textContent = 'before';
        document.getElementById('kb-start')?.remove();
        el.before(start);
        const focusable = __t.deepAll('button, input, select, textarea, summary, a[href], [tabindex]', el.shadowRoot)
          .filter((n) => !n.disabled && n.tabIndex >= 0 && n.checkVisibility?.({ visibilityProperty: true }) !== false
            && n.getClientRects().length > 0);
        const nameOf = (n) => {
          const labelled = n.getAttribute('aria-labelledby');
          const root = n.getRootNode();
          const byIds = labelled ? labelled.split(/\s+/).map((id) => root.getElementById(id)?.textContent ?? '').join(' ') : '';
          return (n.getAttribute('aria-label') || byIds || [...(n.labels ?? [])].map((l) => l.textContent).join(' ')
            || ((n.localName === 'button' || n.localName === 'summary' || n.localName === 'a') ? n.textContent : '')
            || n.getAttribute('title') || '').trim();
        };
        window.__kb = focusable;
        focusable.forEach((n, i) => { n.dataset.kb = String(i); });
        start.focus();
        return focusable.map((n) => ({ tag: n.localName, type: n.type ?? '', name: nameOf(n), group: n.name ?? '' }));
      }, tag);
      const unnamed = info.filter((n) => !n.name).map((n) => `${n.tag}[${n.type}]`);
      assert.deepEqual(unnamed, [], `${tag}: controls without an accessible name`);
      const reached = new Set();
      for (let i = 0; i < info.length * 2 + 10; i += 1) {
        await page.keyboard.press('Tab');
        const where = await page.evaluate((tag) => {
          const a = __t.deepActive();
          const inside = document.querySelector(tag).shadowRoot.contains(a) || a?.getRootNode()?.host?.closest?.(tag);
          return { inside: Boolean(inside), kb: a?.dataset?.kb ?? null };
        }, tag);
        if (!where.inside) {
          if (reached.size) break; // left the widget
          continue;
        }
        if (where.kb !== null) reached.add(Number(where.kb));
      }
      // A radio group is one Tab stop (arrow keys move inside it): one reached radio is enough.
      const groupReached = new Set(info.filter((n, i) => n.type === 'radio' && reached.has(i)).map((n) => n.group));
      const missed = info.map((n, i) => ({ ...n, i }))
        .filter((n) => !reached.has(n.i) && !(n.type === 'radio' && groupReached.has(n.group)))
        .map((n) => `${n.tag} "${n.name}"`);
      assert.deepEqual(missed, [], `${tag}: not reached with Tab`);
    });
  }

  test('Enter and Space press buttons; arrow keys move every slider', async () => {
    const w = page.locator('gradlab-exam-score');
    await w.scrollIntoViewIfNeeded();
    const stepButton = w.getByRole('button', { name: 'Step', exact: true });
    await stepButton.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    assert.equal(await w.evaluate((el) => el.step), 2, 'Enter and Space should each take one step');
    await w.getByRole('button', { name: 'Reset' }).press('Enter');
    assert.equal(await w.evaluate((el) => el.step), 0);

    const count = await page.evaluate(() => { window.__ranges = __t.deepAll('input[type=range]'); return window.__ranges.length; });
    assert.ok(count >= TAGS.length, `only ${count} sliders`);
    const stuck = [];
    for (let i = 0; i < count; i += 1) {
      const before = await page.evaluate((k) => {
        const r = window.__ranges[k];
        if (r.disabled || !r.getClientRects().length) return null;
        r.scrollIntoView({ block: 'center', behavior: 'instant' });
        r.focus();
        return { value: r.value, atMax: Number(r.value) >= Number(r.max) - 1e-12, label: r.labels?.[0]?.textContent ?? r.id };
      }, i);
      if (!before) continue;
      await page.keyboard.press(before.atMax ? 'ArrowLeft' : 'ArrowRight');
      const after = await page.evaluate((k) => window.__ranges[k].value, i);
      if (after === before.value) stuck.push(before.label);
    }
    assert.deepEqual(stuck, [], 'sliders that arrow keys did not move');
    await page.evaluate(() => __t.widgets().forEach((el) => __t.button(el, /^Reset/)?.click()));
    assertNoProblems(problems, 'keyboard');
  });

  test('the widgets-only axe run (after use, in lesson tests) sees inside shadow roots', async () => {
    // A nameless button and an image without alt, put inside one widget's shadow root.
    await page.evaluate(() => {
      const root = document.querySelector('gradlab-exam-score').shadowRoot;
      const probe = document.createElement('div');
      probe.id = 'axe-probe';
      probe.innerHTML = '<button></button><img src="data:,">';
      root.append(probe);
    });
    try {
      const ids = (await runAxe(page, { widgetsOnly: true })).map((v) => v.id).sort();
      assert.deepEqual(ids, ['button-name', 'image-alt']);
    } finally {
      await page.evaluate(() => document.querySelector('gradlab-exam-score').shadowRoot.getElementById('axe-probe').remove());
    }
  });

  test('every chart canvas has a text alternative (role=img + label, and a caption)', async () => {
    const canvases = await page.evaluate(() => __t.deepAll('canvas').map((c) => ({
      host: c.getRootNode().host?.localName, role: c.getAttribute('role'), label: c.getAttribute('aria-label') ?? '',
      hidden: c.getAttribute('aria-hidden') === 'true',
      caption: (c.closest('figure')?.querySelector('figcaption')?.textContent ?? '').trim().length,
    })));
    assert.ok(canvases.length >= 15, `only ${canvases.length} canvases`);
    const bad = canvases.filter((c) => !(c.hidden ? c.caption > 0 : c.role === 'img' && c.label.trim().length > 10));
    assert.deepEqual(bad, [], 'canvases without a text alternative');
  });
});

describe('prefers-reduced-motion', () => {
  let site;
  let browser;
  before(async () => {
    site = await startFixtureSite({ 'all.html': fixturePage(allWidgetsHtml(), { title: 'Every widget' }) });
    browser = await launchBrowser({ reducedMotion: 'reduce' });
    await browser.context.addInitScript({ path: TOOLS });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('Run jumps to the result (no step-by-step animation) and CSS animations are off', async () => {
    const { page, problems } = await openPage(browser, `${site.url}all.html`);
    await waitForReady(page);
    const runs = await page.evaluate(async () => {
      const out = [];
      for (const el of __t.widgets()) {
        const run = __t.button(el, /^Run$/);
        if (!run) continue;
        el.scrollIntoView({ block: 'center', behavior: 'instant' });
        await __t.frames(2);
        let frames = 0;
        let counting = true;
        const count = () => { if (counting) { frames += el.looping ? 1 : 0; requestAnimationFrame(count); } };
        requestAnimationFrame(count);
        run.click();
        await __t.settle(el, 30000);
        counting = false;
        out.push({ tag: el.localName, frames, reduced: el.reducedMotion });
      }
      return out;
    });
    assert.ok(runs.length >= 6, JSON.stringify(runs));
    for (const r of runs) {
      assert.ok(r.reduced, `${r.tag}: reducedMotion is false`);
      // backprop-net trains up to thousands of steps: it jumps 50 per frame instead of animating.
      const limit = r.tag === 'gradlab-backprop-net' ? 80 : 3;
      assert.ok(r.frames <= limit, `${r.tag}: Run took ${r.frames} animation frames with reduced motion`);
    }
    const spinner = await page.evaluate(() => {
      const s = __t.deepAll('.gl-spinner')[0];
      return s ? getComputedStyle(s).animationName + ' ' + getComputedStyle(s).animationDuration : 'none 0s';
    });
    assert.match(spinner, /none|(^| )0s/, `spinner still animates: ${spinner}`);
    assertNoProblems(problems, 'reduced motion');
    await page.close();
  });
});

describe('zoom 200 % and a phone: no horizontal scrolling', () => {
  let site;
  let browser;
  before(async () => {
    site = await startSite();
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'] });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const [label, viewport] of [['zoom200', { width: 640, height: 900 }], ['phone375', { width: 375, height: 800 }]]) {
    test(`${label}: every page fits ${viewport.width} px`, async () => {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 2 });
      const wide = [];
      const problems = [];
      try {
        for (const name of PAGES) {
          const page = await context.newPage();
          page.on('pageerror', (e) => problems.push(`${name}: ${e.message}`));
          page.on('console', (m) => { if (m.type() === 'error') problems.push(`${name}: ${m.text()}`); });
          await page.goto(site.url + name);
          await waitForWidgets(page, 30000);
          await frames(page, 3);
          const m = await page.evaluate(() => {
            const over = [];
            for (const el of document.querySelectorAll('body *')) {
              const r = el.getBoundingClientRect();
              if (r.right > innerWidth + 1 && r.width > 0) over.push(`${el.localName}.${el.className}`.slice(0, 60));
            }
            return { scroll: document.scrollingElement.scrollWidth, inner: innerWidth, over: over.slice(0, 5) };
          });
          if (m.scroll > m.inner + 1) wide.push(`${name}: scrollWidth ${m.scroll} > ${m.inner} (${m.over.join(', ')})`);
          if (screenshotsOn) {
            await screenshot(page, `a11y-${label}-${shortName(name)}`, { fullPage: false });
            const widget = await page.evaluate(() => {
              const el = [...document.querySelectorAll('*')].find((n) => n.localName.startsWith('gradlab-'));
              if (!el) return false;
              el.scrollIntoView({ block: 'start', behavior: 'instant' });
              return true;
            });
            if (widget) {
              await frames(page, 3);
              await screenshot(page, `a11y-${label}-${shortName(name)}-widget`, { fullPage: false });
            }
          }
          await page.close();
        }
      } finally {
        await context.close();
      }
      assert.deepEqual(wide, [], 'pages that scroll sideways');
      assert.deepEqual(problems, [], 'console errors');
    });
  }
});
