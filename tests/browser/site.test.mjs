// The built site in headless Chromium: home page, lesson pages, progress, the engine check,
// no console errors under the strict CSP, no NaN/Infinity, axe on a phone screen. axe on every
// page at desktop size is a11y.test.mjs's job (before and after use), so it is not repeated here.
// Screenshots with GRADLAB_SCREENSHOTS=1.
// Needs dist/ (bash scripts/build.sh). GRADLAB_DIST + GRADLAB_LESSONS test another build.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadLessons } from '../../web/site/build.mjs';
import { widgets } from '../../web/widgets/schema.js';
import {
  assertNoProblems, distDir, expectNoBadNumbers, formatViolations, frames, launchBrowser, openPage,
  repoRoot, runAxe, screenshot, screenshotPixels, screenshotWidgets, startSite, waitForWidgets,
} from './helpers.mjs';

const PHONE = { width: 375, height: 740 };
const TALL = { width: 1280, height: 1600 };

describe('site', () => {
  let site;
  let browser;
  let lessons;

  before(async () => {
    const dist = distDir();
    ({ lessons } = await loadLessons(path.resolve(repoRoot, process.env.GRADLAB_LESSONS ?? 'lessons')));
    assert.ok(lessons.length > 0, 'no lessons to test');
    site = await startSite(dist);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('home page lists every lesson in order, with summaries and progress badges', async () => {
    const { page, problems } = await openPage(browser, `${site.url}index.html`);
    await waitForWidgets(page);
    const cards = await page.$$eval('.lesson-card', (els) => els.map((el) => ({
      slug: el.dataset.slug,
      title: el.querySelector('h3 a').textContent.trim(),
      href: el.querySelector('h3 a').getAttribute('href'),
      summary: el.querySelector('.summary').textContent.trim(),
      badge: el.querySelector('[data-progress-badge]').textContent.trim(),
    })));
    assert.deepEqual(cards.map((c) => c.slug), lessons.map((l) => l.slug));
    for (const [i, card] of cards.entries()) {
      assert.equal(card.title, lessons[i].title);
      assert.equal(card.summary, lessons[i].summary);
      assert.equal(card.href, `lessons/${lessons[i].slug}.html`);
      assert.equal(card.badge, 'Not started');
    }
    assert.equal(await page.title(), 'Gradlab — the calculus behind machine learning');
    assert.equal(await page.locator('h1').count(), 1);
    await expectNoBadNumbers(page, 'home');
    await screenshot(page, 'home-desktop');
    assertNoProblems(problems, 'home');
    await page.close();
  });

  test('the engine check on the home page shows 0.10 computed by the engine', async () => {
    const { page, problems } = await openPage(browser, `${site.url}index.html`);
    await waitForWidgets(page);
    // The engine (module and wasm) came from assets/, with status 200. Read from the page's
    // resource timing: both are preloaded from <head>, so they may arrive before 'load'.
    const engine = await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((e) => /\/assets\/gradlab-engine\.(mjs|wasm)$/.test(e.name))
      .map((e) => `${e.name.split('/').pop()} ${e.responseStatus}`).sort());
    assert.deepEqual(engine, ['gradlab-engine.mjs 200', 'gradlab-engine.wasm 200']);
    const widget = page.locator('gradlab-engine-check').first();
    await widget.scrollIntoViewIfNeeded();
    await assert.doesNotReject(widget.locator('output').filter({ hasText: '0.10' }).waitFor());
    const loss = await widget.evaluate((el) => el.state.loss);
    assert.ok(Math.abs(loss - 0.1) < 1e-12, `engine computed ${loss}`);

    // Attributes are validated in the browser too: a bad value shows a notice and the default.
    await widget.evaluate((el) => el.setAttribute('digits', 'lots'));
    await assert.doesNotReject(widget.locator('.gl-notice-warning')
      .filter({ hasText: 'Attribute “digits”' }).waitFor());
    await widget.evaluate((el) => el.setAttribute('digits', '4'));
    await assert.doesNotReject(widget.locator('output').filter({ hasText: '0.1000' }).waitFor());
    assert.equal(await widget.locator('.gl-notice-warning').count(), 0);
    await expectNoBadNumbers(page, 'home');
    assertNoProblems(problems, 'home');
    await page.close();
  });

  test('every lesson page loads cleanly, links its neighbours and prerequisites', async () => {
    for (const [i, lesson] of lessons.entries()) {
      const { page, problems } = await openPage(browser, `${site.url}lessons/${lesson.slug}.html`,
        { viewport: TALL });
      await waitForWidgets(page);
      assert.equal(await page.locator('h1').textContent(), lesson.title);
      const [prev, next] = await page.evaluate(() => ['prev', 'next']
        .map((rel) => document.querySelector(`a[rel=${rel}]`)?.getAttribute('href') ?? null));
      assert.equal(prev, i > 0 ? `${lessons[i - 1].slug}.html` : null, `${lesson.slug}: previous link`);
      assert.equal(next, i < lessons.length - 1 ? `${lessons[i + 1].slug}.html` : null, `${lesson.slug}: next link`);
      const prereqs = await page.locator('nav[aria-label=Prerequisites] a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(prereqs, lesson.prerequisites.map((p) => `../lessons/${p}.html`));
      await frames(page, 3); // let widgets draw a frame or two
      await expectNoBadNumbers(page, lesson.slug);
      await screenshot(page, `lesson-${lesson.slug}`, { fullPage: false });
      await screenshotWidgets(page, `lesson-${lesson.slug}`);
      assertNoProblems(problems, lesson.slug);
      await page.close();
    }
  });

  test('pages fit a 375 px phone screen without sideways scrolling', async () => {
    for (const url of ['index.html', `lessons/${lessons[0].slug}.html`]) {
      const { page, problems } = await openPage(browser, `${site.url}${url}`, { viewport: PHONE });
      await waitForWidgets(page);
      await frames(page, 3);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${url} is ${overflow}px wider than the phone screen`);
      await screenshot(page, `phone-${url.replace(/\W+/g, '-')}`, { fullPage: false });
      const violations = await runAxe(page);
      assert.deepEqual(violations, [], `${url} (phone):\n${formatViolations(violations)}`);
      assertNoProblems(problems, url);
      await page.close();
    }
  });

  test('progress: visiting marks a lesson visited; "mark complete" completes it', async () => {
    const { page, problems } = await openPage(browser, `${site.url}index.html`);
    const badge = (slug) => page.locator(`.lesson-card[data-slug="${slug}"] [data-progress-badge]`);
    const first = lessons[0].slug;
    const last = lessons[lessons.length - 1].slug;

    await page.click(`.lesson-card[data-slug="${first}"] h3 a`);
    await page.waitForURL(`**/lessons/${first}.html`);
    await page.goBack();
    await assert.doesNotReject(badge(first).filter({ hasText: 'Visited' }).waitFor());

    await page.goto(`${site.url}lessons/${last}.html`);
    // The widgets above the button first, so nothing above it changes height any more: in a
    // fresh-clone CI run (two test files at once) a click at the button's place hit nothing
    // while the page was still settling.
    await waitForWidgets(page);
    const button = page.locator('[data-mark-complete]');
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    // Pressed from the keyboard: a mouse click at the button's place could still miss it in a
    // fresh-clone CI run, as the sections scrolled into view on the way took their real heights.
    await button.focus();
    await page.keyboard.press('Enter');
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    await assert.doesNotReject(page.locator('[data-progress-status]')
      .filter({ hasText: 'marked as complete' }).waitFor());
    await page.reload();
    assert.equal(await button.getAttribute('aria-pressed'), 'true', 'completion survives a reload');

    await page.goto(`${site.url}index.html`);
    await assert.doesNotReject(badge(last).filter({ hasText: 'Completed' }).waitFor());
    const summary = await page.locator('[data-progress-summary]').textContent();
    assert.match(summary, new RegExp(`^1 of ${lessons.length} lessons completed`));
    const cont = page.locator('[data-continue] a');
    assert.equal(await cont.getAttribute('href'), `lessons/${first}.html`);
    assert.equal(await cont.textContent(), `Continue: ${lessons[0].title}`);
    await screenshot(page, 'home-with-progress');

    // Reset clears everything.
    await page.click('[data-reset-progress]');
    await assert.doesNotReject(badge(first).filter({ hasText: 'Not started' }).waitFor());
    assertNoProblems(problems, 'progress');
    await page.close();
  });

  test('the authoring reference lists every widget of the schema', async () => {
    const { page, problems } = await openPage(browser, `${site.url}authoring.html`);
    const tags = await page.locator('main h2').evaluateAll((hs) => hs.map((h) => h.textContent.trim()));
    assert.deepEqual(tags, Object.keys(widgets).map((t) => `<${t}>`));
    assertNoProblems(problems, 'authoring');
    await page.close();
  });

  test('the skip link moves focus to the main content', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/${lessons[0].slug}.html`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    assertNoProblems(problems, 'skip link');
    await page.close();
  });

  test('a focused link keeps its whole outline in text blocks skipped while off screen', async () => {
    // Sections and paragraphs have content-visibility: auto, whose paint containment clips at the
    // box's edge; a link on a paragraph's first line draws its outline 2-5 px above that edge.
    const { page, problems } = await openPage(browser, `${site.url}lessons/gradient-descent.html`);
    await waitForWidgets(page);
    // A paragraph like the lesson's own, first in the first section, starting with a link.
    await page.evaluate(() => {
      const p = document.createElement('p');
      const a = Object.assign(document.createElement('a'), { href: '#main', textContent: 'a link' });
      a.dataset.testTarget = '';
      p.append(a, ' on the first line of a paragraph.');
      document.querySelector('.lesson-section').prepend(p);
      window.scrollTo(0, 0);
    });
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('[data-test-target]')
      .closest('p')).contentVisibility), 'auto');
    await page.keyboard.press('Tab'); // keyboard modality, so that focus() shows :focus-visible
    await page.evaluate(() => document.querySelector('[data-test-target]').focus());
    await frames(page, 2);
    const box = await page.evaluate(() => {
      const r = document.querySelector('[data-test-target]').getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width };
    });
    // The outline's top edge: 3 px, from 5 to 2 px above the link's box (site.css :focus-visible).
    const shot = await screenshotPixels(page, { x: box.x, y: box.y - 5, width: box.width, height: 3 });
    let hits = 0; // the focus colour, #f0a500
    for (let y = 0; y < shot.height; y += 1) {
      for (let x = 0; x < shot.width; x += 1) {
        const [r, g, b] = shot.at(x, y);
        if (r > 200 && g > 130 && g < 200 && b < 80) hits += 1;
      }
    }
    const drawn = hits / (shot.width * shot.height);
    assert.ok(drawn > 0.9, `only ${(drawn * 100).toFixed(0)} % of the outline's top edge is drawn`);
    assertNoProblems(problems, 'focus outline');
    await page.close();
  });
});
