// How a page loads (README "Performance" → "Interaction budget"): widgets in view are set up
// first and the rest follow without any scrolling; a widget still loading says so and offers no
// control; lesson sections off screen (content-visibility: auto) still hold working widgets and
// keyboard-reachable wide equations; the math's main fonts are preloaded and used; a lesson loads
// only its own widgets' code, and says so in each widget's box when that code does not arrive;
// the service worker is registered only after the load event.
// No timing is asserted: each test waits on conditions, and the engine is held back explicitly
// where the order of events matters.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { allWidgetsHtml, fixturePage, startFixtureSite, TAGS } from './fixture-page.mjs';
import {
  assertNoProblems, frames, launchBrowser, openPage, startSite, waitForWidgets,
} from './helpers.mjs';

// Every widget once, then a long run of text, then one more widget: scrolled to the end, only the
// last one is on screen.
const FILLER = Array.from({ length: 150 }, (_, i) => `<p>Filler paragraph ${i + 1}.</p>`).join('\n');
const ORDER_PAGE = fixturePage(`${allWidgetsHtml()}
${FILLER}
<section id="target"><h2>Target</h2><gradlab-descent-curve id="target-widget"></gradlab-descent-curve></section>`);

// A long run of text, then two widgets, the one whose class is defined second first: the bundle of
// every widget these pages load (gradlab-widgets.js, as embedders do) defines the classes in
// alphabetical order (web/widgets/index.js), exam-score's before exam-step's.
const LATE_PAGES = {
  'late-exam.html': fixturePage(`${FILLER}\n<gradlab-exam-step></gradlab-exam-step>\n<gradlab-exam-score></gradlab-exam-score>`),
  'late-backprop.html': fixturePage(`${FILLER}\n<gradlab-backprop-steps></gradlab-backprop-steps>\n<gradlab-backprop-net></gradlab-backprop-net>`),
};

/** Records the order of `gradlab-ready` events (by id, or tag) in window.__readyOrder. */
function recordReadyOrder() {
  window.__readyOrder = [];
  document.addEventListener('gradlab-ready', (event) => {
    window.__readyOrder.push(event.target.id || event.target.localName);
  }, true);
}

describe('loading order and lazy parts of the page', () => {
  let site;
  let fixtures;
  let browser;
  before(async () => {
    site = await startSite();
    fixtures = await startFixtureSite({ 'order.html': ORDER_PAGE, ...LATE_PAGES });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await fixtures?.close();
    await site?.close();
  });

  test('the widget in view is set up first, shows a loading state until then, and the rest follow without scrolling', async () => {
    const page = await browser.context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await page.addInitScript(recordReadyOrder);
    // Hold the engine back until the page has laid itself out and scrolled to #target.
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    await page.route('**/gradlab-engine.wasm', async (route) => {
      await gate;
      await route.continue();
    });
    await page.goto(`${fixtures.url}order.html`, { waitUntil: 'domcontentloaded' });
    const target = page.locator('#target-widget');
    await target.locator('.gl-loading').waitFor({ state: 'visible' });
    await target.evaluate((el) => el.scrollIntoView({ block: 'center', behavior: 'instant' }));
    await frames(page, 3); // the visibility observers have reported
    const waiting = await target.evaluate((el) => ({
      status: el.shadowRoot.querySelector('.gl-loading').getAttribute('role'),
      text: el.shadowRoot.querySelector('.gl-loading').textContent,
      controls: el.shadowRoot.querySelectorAll('input:not([disabled]), button:not([disabled]), select:not([disabled])').length,
      top: el.getBoundingClientRect().top,
      innerHeight,
    }));
    assert.equal(waiting.status, 'status');
    assert.match(waiting.text, /Loading the engine/);
    assert.equal(waiting.controls, 0, 'a widget still loading offers no control');
    assert.ok(waiting.top >= 0 && waiting.top < waiting.innerHeight, `#target is on screen (top ${waiting.top})`);
    release();

    await waitForWidgets(page, 60000);
    const order = await page.evaluate(() => window.__readyOrder);
    assert.equal(order.length, TAGS.length + 1, `every widget became ready: ${order.join(', ')}`);
    assert.equal(order[0], 'target-widget', `first ready: ${order.join(', ')}`);
    // (The reader never scrolled up: the widgets above were set up while the page was idle.)
    // The one in view works by keyboard.
    const range = target.locator('input[type=range]').first();
    const before = await range.getAttribute('aria-valuetext');
    await range.focus();
    await page.keyboard.press('ArrowRight');
    assert.notEqual(await range.getAttribute('aria-valuetext'), before);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('with no widget in view, the widgets are set up in the order of the page', async () => {
    // Both widgets far below the first screen, the second one's class defined first (LATE_PAGES).
    // (A lesson's own entry imports its widgets in the order of the page; other pages may not.)
    for (const [lesson, expected] of [['late-exam.html', ['gradlab-exam-step', 'gradlab-exam-score']],
      ['late-backprop.html', ['gradlab-backprop-steps', 'gradlab-backprop-net']]]) {
      const page = await browser.context.newPage();
      await page.addInitScript(recordReadyOrder);
      await page.goto(`${fixtures.url}${lesson}`);
      await waitForWidgets(page, 60000);
      const { order, tops, height } = await page.evaluate(() => ({
        order: window.__readyOrder,
        height: innerHeight,
        tops: [...document.querySelectorAll('*')].filter((e) => e.localName.startsWith('gradlab-'))
          .map((e) => e.getBoundingClientRect().top),
      }));
      assert.ok(tops.every((top) => top > height), `${lesson}: a widget starts on the first screen (${tops})`);
      assert.deepEqual(order, expected, `${lesson}: ready in the order ${order.join(', ')}`);
      await page.close();
    }
  });

  test('lesson sections: a widget at the end of a lesson works when scrolled to', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/derivatives.html`);
    const sections = await page.evaluate(() => [...document.querySelectorAll('.lesson-body > .lesson-section')]
      .map((s) => getComputedStyle(s).contentVisibility));
    assert.ok(sections.length > 3, `${sections.length} sections`);
    assert.ok(sections.every((v) => v === 'auto'), sections.join(', '));
    await waitForWidgets(page, 30000);
    const w = page.locator('gradlab-derivative-slope').last();
    await w.scrollIntoViewIfNeeded();
    const secant = w.locator('.gl-readout', { hasText: 'Secant slope' }).first().locator('output');
    const before = await secant.textContent();
    await w.getByLabel('Point x', { exact: true }).focus();
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(([el, text]) => el.textContent !== text, [await secant.elementHandle(), before]);
    assertNoProblems(problems, 'derivatives');
    await page.close();
  });

  test('wide equations join the tab order only while they overflow, also in sections rendered late', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/backpropagation.html`,
      { viewport: { width: 375, height: 800 } });
    await waitForWidgets(page, 30000);
    const count = await page.evaluate(() => document.querySelectorAll('.math-display').length);
    const wrong = [];
    let overflowing = 0;
    for (let i = 0; i < count; i += 1) {
      await page.evaluate((k) => document.querySelectorAll('.math-display')[k].scrollIntoView({ block: 'center' }), i);
      await frames(page, 2);
      const m = await page.evaluate((k) => {
        const el = document.querySelectorAll('.math-display')[k];
        return { scrolls: el.scrollWidth > el.clientWidth + 1, tabindex: el.getAttribute('tabindex') };
      }, i);
      if (m.scrolls) overflowing += 1;
      if (m.scrolls !== (m.tabindex === '0')) wrong.push(`#${i}: overflows ${m.scrolls}, tabindex ${m.tabindex}`);
    }
    assert.ok(overflowing > 0, 'the lesson has no equation wider than 375 px: pick another lesson');
    assert.deepEqual(wrong, []);
    // Wider again: nothing overflows, nothing stays in the tab order.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForFunction(() => document.querySelectorAll('.math-display[tabindex]').length === 0);
    assertNoProblems(problems, 'backpropagation at 375 px');
    await page.close();
  });

  test('the KaTeX fonts preloaded from <head> are fetched once and used by the math', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.url}lessons/exam-score.html`, { waitUntil: 'load' });
    const seen = await page.evaluate(async () => {
      await document.fonts.ready;
      const name = (url) => url.split('/').pop();
      return {
        preloaded: [...document.querySelectorAll('link[rel=preload][as=font]')].map((l) => name(l.href)),
        fetched: performance.getEntriesByType('resource').map((e) => name(e.name)).filter((n) => n.endsWith('.woff2')),
        loaded: [...document.fonts].filter((f) => f.status === 'loaded').map((f) => `${f.family} ${f.style}`),
      };
    });
    assert.deepEqual(seen.preloaded.sort(), ['KaTeX_Main-Regular.woff2', 'KaTeX_Math-Italic.woff2']);
    // A preload the stylesheet did not match would be fetched a second time, and a face the math
    // does not use would never load.
    for (const file of seen.preloaded) assert.equal(seen.fetched.filter((n) => n === file).length, 1, `${file}: ${seen.fetched}`);
    assert.ok(seen.loaded.includes('KaTeX_Main normal'), String(seen.loaded));
    assert.ok(seen.loaded.includes('KaTeX_Math italic'), String(seen.loaded));
    await page.close();
  });

  test('a lesson loads the code of its own widgets only: its entry and the chunks it preloads, each once', async () => {
    for (const [slug, own, other] of [['optimizers', ['gradlab-optim-race'], 'gradlab-exam-score'],
      ['backpropagation', ['gradlab-backprop-steps', 'gradlab-backprop-net'], 'gradlab-optim-race']]) {
      const { page, problems } = await openPage(browser, `${site.url}lessons/${slug}.html`);
      await waitForWidgets(page);
      const seen = await page.evaluate(({ own, other }) => {
        const name = (url) => new URL(url, location.href).pathname.split('/').pop();
        return {
          entry: [...document.querySelectorAll('script[type=module][src*="/page-"]')].map((s) => name(s.src)),
          preloaded: [...document.querySelectorAll('link[rel=modulepreload]')].map((l) => name(l.href)),
          fetched: performance.getEntriesByType('resource').map((e) => name(e.name))
            .filter((n) => /\.(m?js)$/.test(n) && n !== 'site.js' && n !== 'sw.js'),
          defined: own.map((tag) => Boolean(customElements.get(tag))),
          otherDefined: Boolean(customElements.get(other)),
        };
      }, { own, other });
      assert.deepEqual(seen.entry, [`page-lesson-${slug}.js`]);
      // Every module the page runs was preloaded from <head> (no import found only after its
      // importer arrived), each fetched once; the bundle of every widget is not among them.
      assert.deepEqual([...seen.fetched].sort(), [...seen.entry, ...seen.preloaded].sort(), slug);
      assert.ok(seen.preloaded.includes('gradlab-engine.mjs'));
      assert.ok(!seen.fetched.includes('gradlab-widgets.js'));
      assert.deepEqual(seen.defined, own.map(() => true), slug);
      assert.equal(seen.otherDefined, false, `${slug} defined ${other}, a widget it does not use`);
      assertNoProblems(problems, slug);
      await page.close();
    }
  });

  test('a widget whose code does not arrive says so, and "Load the page again" brings it back', async () => {
    // A server of its own: a new origin, where no earlier test's service worker answers requests
    // (page.route does not see what a service worker serves).
    const own = await startSite();
    try {
      const page = await browser.context.newPage();
      const url = `${own.url}lessons/backpropagation.html`;
      // One chunk of the page's widget code fails to download.
      const chunk = await (await fetch(url)).text().then((html) => /modulepreload" href="\.\.\/assets\/(chunk-[^"]+)"/.exec(html)[1]);
      const blocked = `**/assets/${chunk}`;
      await page.route(blocked, (route) => route.abort());
      await page.goto(url, { waitUntil: 'load' });
      const boxes = page.locator('gradlab-backprop-steps .widget-load-error, gradlab-backprop-net .widget-load-error');
      await boxes.first().waitFor();
      assert.equal(await boxes.count(), 2);
      for (const box of await boxes.all()) {
        assert.equal(await box.getAttribute('role'), 'alert');
        assert.match(await box.textContent(), /could not be loaded/);
      }
      // The way out: with the file back, the button loads the page again and the widgets work.
      await page.unroute(blocked);
      await Promise.all([page.waitForEvent('load'),
        page.locator('gradlab-backprop-steps').getByRole('button', { name: 'Load the page again' }).click()]);
      await waitForWidgets(page);
      assert.equal(await page.locator('.widget-load-error').count(), 0);
      await page.close();
    } finally {
      await own.close();
    }
  });

  test('the service worker is registered after the load event', async () => {
    const page = await browser.context.newPage();
    await page.addInitScript(() => {
      window.__swRegisteredAt = [];
      const register = navigator.serviceWorker.register.bind(navigator.serviceWorker);
      navigator.serviceWorker.register = (...args) => {
        window.__swRegisteredAt.push(document.readyState);
        return register(...args);
      };
    });
    await page.goto(`${site.url}lessons/practice.html`, { waitUntil: 'load' });
    // (The pages of the tests above may have registered the worker already: wait for this page's
    // own call, not just for a registration.)
    await page.waitForFunction(() => window.__swRegisteredAt.length > 0, null, { timeout: 15000 });
    assert.deepEqual(await page.evaluate(() => window.__swRegisteredAt), ['complete']);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, site.url);
    await page.close();
  });
});
