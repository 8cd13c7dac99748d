// Embedding Gradlab in other sites, in headless Chromium:
//   - a course page of ANOTHER origin (tests/browser/fixtures/course/) with a strict CSP header
//     loads dist/gradlab-widgets.js by one script tag and uses three widgets, plus one widget in
//     an iframe (dist/embed.html) that resizes itself with H5P's resizer protocol;
//   - hostile page CSS does not break the widgets, widget CSS does not leak out;
//   - embed.html: unknown widget and invalid attributes give readable messages;
//   - strict CSP on the lesson pages and embed.html: no violations, no EvalError.
// Needs a built site: GRADLAB_DIST=/path or dist/ (bash scripts/build.sh).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCourseSite } from './fixtures/course/server.mjs';
import {
  assertNoProblems, deepText, distDir, launchBrowser, openPage, repoRoot, startSite, waitForWidgets,
} from './helpers.mjs';

const num = (text) => Number(String(text).replace(/\u2212/g, '-').replace(/[^\d.eE+-]/g, ''));

/** Record CSP violations (securitypolicyviolation) in every frame, before any page script. */
async function watchCsp(page) {
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`);
    });
  });
}

async function cspViolations(frame) {
  return frame.evaluate(() => window.__cspViolations ?? ['(listener missing)']);
}

describe('embedding Gradlab in a course page of another origin', () => {
  let site, course, browser, page, problems, engineRequests;

  before(async () => {
    site = await startSite(distDir());
    course = await startCourseSite(site.url.replace(/\/$/, ''));
    browser = await launchBrowser({ viewport: { width: 1100, height: 900 } });
    const warm = await browser.context.newPage();
    await watchCsp(warm);
    engineRequests = [];
    warm.on('request', (r) => { if (r.url().endsWith('gradlab-engine.mjs')) engineRequests.push(r.url()); });
    await warm.close();
  });
  after(async () => {
    await browser?.close();
    await course?.close();
    await site?.close();
  });

  test('one script tag + elements work under a strict CSP', async () => {
    const p = await browser.context.newPage();
    await watchCsp(p);
    const requests = [];
    p.on('request', (r) => {
      if (r.url().endsWith('gradlab-engine.mjs') && r.frame() === p.mainFrame()) requests.push(r.url());
    });
    problems = [];
    p.on('console', (msg) => {
      if (msg.type() === 'error' || /Content.Security.Policy|Refused to|EvalError/i.test(msg.text())) {
        problems.push(`console: ${msg.text()}`);
      }
    });
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await p.goto(course.url, { waitUntil: 'load' });
    page = p;
    await waitForWidgets(page, 30000);
    // Three widgets by script tag, one engine module load: they share one engine instance.
    assert.equal(requests.length, 1, `engine loaded ${requests.length} times: ${requests.join(', ')}`);
    assert.ok(requests[0].startsWith(site.url), 'the engine comes from the Gradlab origin');

    const exam = page.locator('#exam');
    const stepOut = exam.locator('.gl-readout').filter({ hasText: /^Step/ }).locator('output');
    const wOut = exam.locator('.gl-readout').filter({ has: page.locator('.gl-readout-label', { hasText: /^W$/ }) }).locator('output');
    const w0 = num(await wOut.textContent());
    await exam.getByRole('button', { name: 'Step', exact: true }).click();
    await exam.getByRole('button', { name: 'Step', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('#exam').step === 2);
    assert.equal(num(await stepOut.textContent()), 2);
    assert.notEqual(num(await wOut.textContent()), w0, 'a step moved the weight');
    const lr = await page.evaluate(() => document.querySelector('#exam').learningRate);
    assert.equal(lr, 0.02, 'the learning-rate attribute of the course page is used');

    // exam-step: move the weight slider with the keyboard; the prediction follows.
    const step = page.locator('#step');
    const range = step.getByRole('slider').first();
    const before = await deepText(page);
    await range.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.notEqual(await deepText(page), before, 'moving a slider changed the shown numbers');

    assert.deepEqual(await cspViolations(page), []);
    assertNoProblems(problems, 'course page');
  });

  test('hostile page CSS does not break widgets, widget CSS does not leak', async () => {
    const styles = await page.evaluate(() => {
      const exam = document.querySelector('#exam');
      const button = [...exam.shadowRoot.querySelectorAll('button')].find((b) => b.textContent === 'Step');
      const title = exam.shadowRoot.querySelector('.gl-title');
      const probe = document.querySelector('#leak-probe');
      const courseButton = document.querySelector('#course-button');
      return {
        buttonDisplay: getComputedStyle(button).display,
        buttonVisible: button.getBoundingClientRect().height > 0,
        titleColor: getComputedStyle(title).color,
        titleSize: parseFloat(getComputedStyle(title).fontSize),
        probeBackground: getComputedStyle(probe).backgroundColor,
        probeColor: getComputedStyle(probe).color,
        courseButtonDisplay: getComputedStyle(courseButton).display,
      };
    });
    assert.notEqual(styles.buttonDisplay, 'none', 'page CSS "button {display:none}" hid a widget button');
    assert.ok(styles.buttonVisible);
    assert.notEqual(styles.titleColor, 'rgb(255, 0, 0)', 'page CSS colour leaked into the widget');
    assert.ok(styles.titleSize < 30, `page font-size leaked into the widget (${styles.titleSize}px)`);
    // The page's own rules still apply to the page, and the widgets' rules do not.
    assert.equal(styles.probeColor, 'rgb(255, 0, 0)');
    assert.equal(styles.courseButtonDisplay, 'none');
    assert.equal(styles.probeBackground, 'rgba(0, 0, 0, 0)', 'widget CSS (.gl-notice) leaked into the page');
  });

  test('iframe embed resizes to its content (H5P resizer protocol) and stays in sync', async () => {
    const frameEl = page.locator('#frame');
    // (Chromium does not render cross-origin iframes out of view: scroll to it like a reader.)
    await frameEl.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => Number(document.querySelector('#frame').dataset.resizes || 0) >= 1, null, { timeout: 20000 });
    const frame = page.frames().find((f) => f.url().includes('embed.html'));
    assert.ok(frame, 'the embed frame is there');
    await frame.waitForFunction(() => {
      const el = document.querySelector('gradlab-recipe-curve');
      return el?.shadowRoot?.querySelector('.gl-loading')?.hidden === true;
    }, null, { timeout: 20000 });
    const fit = async () => {
      const content = await frame.evaluate(() => Math.ceil(document.getElementById('gradlab-embed').getBoundingClientRect().bottom));
      const box = await frameEl.evaluate((f) => f.clientHeight);
      return { content, box };
    };
    await expectFits(fit);
    const first = (await fit()).box;
    assert.ok(first > 300, `the iframe grew from 150px to fit the widget (now ${first}px)`);
    // The widget's height changes when the page gets narrower (charts keep their aspect): the
    // iframe follows.
    await page.setViewportSize({ width: 420, height: 900 });
    await frameEl.scrollIntoViewIfNeeded();
    await page.waitForFunction((h) => Math.abs(document.querySelector('#frame').clientHeight - h) > 20,
      first, { timeout: 10000 });
    await expectFits(fit);
    await page.setViewportSize({ width: 1100, height: 900 });
    await frameEl.scrollIntoViewIfNeeded();
    await page.waitForFunction((h) => Math.abs(document.querySelector('#frame').clientHeight - h) < 10,
      first, { timeout: 10000 });
    assert.deepEqual(await cspViolations(frame), []);
  });

  test('embed.html: unknown widget lists the valid ones; invalid attributes fall back', async () => {
    const { page: p, problems: probs } = await openPage(browser, `${site.url}embed.html?widget=gradlab-nope`);
    const text = await p.locator('.embed-message').textContent();
    assert.match(text, /“gradlab-nope” is not a Gradlab widget/);
    assert.match(text, /gradlab-exam-score/);
    assertNoProblems(probs, 'embed.html (unknown widget)');
    await p.close();

    const { page: q, problems: probs2 } = await openPage(browser,
      `${site.url}embed.html?widget=gradlab-exam-score&learning-rate=banana&points=12&onload=alert(1)`);
    await waitForWidgets(q, 20000);
    const all = await deepText(q);
    assert.match(all, /Attribute “learning-rate”: expected a number from 0\.0001 to 1\. Using the default, 0\.01\./);
    assert.match(all, /Ignored unknown parameter onload/);
    assert.equal(await q.evaluate(() => document.querySelector('gradlab-exam-score').learningRate), 0.01);
    assert.equal(await q.evaluate(() => document.querySelector('gradlab-exam-score').data.length), 12);
    assert.equal(await q.evaluate(() => document.querySelector('gradlab-exam-score').hasAttribute('onload')), false);
    assertNoProblems(probs2, 'embed.html (invalid attribute)');
    await q.close();
  });

  test('lesson pages and embed.html: no CSP violation, no EvalError', async () => {
    for (const url of [`${site.url}lessons/exam-score.html`, `${site.url}embed.html?widget=gradlab-backprop-net`,
      `${site.url}reference.html`]) {
      const p = await browser.context.newPage();
      await watchCsp(p);
      const probs = [];
      p.on('console', (m) => { if (m.type() === 'error' || /Security.Policy|EvalError|Refused/i.test(m.text())) probs.push(m.text()); });
      p.on('pageerror', (e) => probs.push(e.message));
      await p.goto(url, { waitUntil: 'load' });
      await waitForWidgets(p, 30000);
      assert.deepEqual(await cspViolations(p), [], url);
      assertNoProblems(probs, url);
      await p.close();
    }
  });

  test('reference.html documents attributes, events and properties of every widget', async () => {
    const html = await readFile(path.join(distDir(), 'reference.html'), 'utf8');
    assert.match(html, /&lt;gradlab-exam-score&gt;/);
    assert.match(html, /learning-rate/);
    assert.match(html, /gradlab-change/);
    assert.match(html, /embed\.html\?widget=gradlab-backprop-net/);
  });
});

/** The iframe's height equals its content's height (within a few pixels), eventually. */
async function expectFits(fit, timeout = 10000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fit();
    if (Math.abs(last.content - last.box) <= 4) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`iframe height ${last.box}px does not fit its content (${last.content}px)`);
}
