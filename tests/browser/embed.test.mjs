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
  assertNoProblems, deepText, distDir, launchBrowser, openPage, startSite, waitForWidgets,
  withSiteAndBrowser,
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
    // The readout is redrawn on the next animation frame: wait for it, then check the number.
    await stepOut.filter({ hasText: /^\s*2\s*$/ }).waitFor({ timeout: 5000 }).catch(() => {});
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
        rootSize: parseFloat(getComputedStyle(document.documentElement).fontSize),
        probeBackground: getComputedStyle(probe).backgroundColor,
        probeColor: getComputedStyle(probe).color,
        courseButtonDisplay: getComputedStyle(courseButton).display,
      };
    });
    assert.notEqual(styles.buttonDisplay, 'none', 'page CSS "button {display:none}" hid a widget button');
    assert.ok(styles.buttonVisible);
    assert.notEqual(styles.titleColor, 'rgb(255, 0, 0)', 'page CSS colour leaked into the widget');
    // Widgets size their text in rem: they follow the root font size (the reader's setting), not
    // font sizes inherited from the page around them (* { font-size: 40px } sets the root too).
    assert.ok(Math.abs(styles.titleSize - 1.05 * styles.rootSize) < 0.5, `title ${styles.titleSize}px vs root ${styles.rootSize}px`);
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
    // The height once it has settled (charts size themselves after the widget's first frames;
    // on a loaded machine an early reading can be a passing state).
    let first = -1;
    for (let k = 0; k < 40; k += 1) {
      await expectFits(fit);
      const { box } = await fit();
      if (box === first) break;
      first = box;
      await new Promise((r) => setTimeout(r, 300));
    }
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
      first, { timeout: 20000 });
    assert.deepEqual(await cspViolations(frame), []);
  });

  test('the course page receives learning records from widgets and from the iframe', async () => {
    const frame = page.frames().find((f) => f.url().includes('embed.html'));
    await frame.locator('gradlab-recipe-curve').getByRole('button', { name: 'Take a gradient step' }).click();
    await page.waitForFunction(() => window.courseRecords.some((r) => r.source === 'iframe'), null, { timeout: 10000 });
    const records = await page.evaluate(() => window.courseRecords);
    const fromPage = records.filter((r) => r.source === 'page').map((r) => `${r.verb.display['en-US']} ${r.object.id}`);
    const fromFrame = records.filter((r) => r.source === 'iframe').map((r) => `${r.verb.display['en-US']} ${r.object.id}`);
    assert.ok(fromPage.includes('interacted gradlab-exam-score'), fromPage.join(', '));
    assert.ok(fromPage.includes('interacted gradlab-exam-step'), fromPage.join(', '));
    assert.deepEqual(fromFrame, ['interacted gradlab-recipe-curve']);
    assert.match(await page.locator('#records').textContent(), /record\(s\); last: interacted gradlab-recipe-curve/);
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

describe('share links, state files and learning records', () => {
  let site, browser;
  withSiteAndBrowser((s, b) => { site = s; browser = b; }, { viewport: { width: 1200, height: 2400 } });

  const shareButton = (widget) => widget.getByRole('button', { name: 'Share / Embed' });
  const field = (widget, label) => widget.getByLabel(label, { exact: true });

  test('state link round-trip: exam-score trained some steps reopens at the same W, B, step', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/exam-score.html`);
    await waitForWidgets(page, 30000);
    const exam = page.locator('gradlab-exam-score').first();
    await exam.scrollIntoViewIfNeeded();
    for (let i = 0; i < 7; i += 1) await exam.getByRole('button', { name: 'Step', exact: true }).click();
    const before = await exam.evaluate((el) => ({ w: el.weight, b: el.bias, step: el.step, loss: el.loss }));
    assert.equal(before.step, 7);
    await shareButton(exam).click();
    assert.equal(await shareButton(exam).getAttribute('aria-expanded'), 'true');
    const link = await field(exam, 'Link to this state').inputValue();
    assert.match(link, /lessons\/exam-score\.html\?state=[A-Za-z0-9_-]+$/);
    assert.match(await field(exam, 'Iframe embed code').inputValue(), /<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html\?widget=gradlab-exam-score/);
    assert.match(await field(exam, 'Script-tag embed code').inputValue(), /<script type="module" src="http:\/\/127\.0\.0\.1:\d+\/gradlab-widgets\.js"><\/script>\n<gradlab-exam-score/);
    // Escape closes the panel and gives focus back to the button.
    await field(exam, 'Link to this state').focus();
    await page.keyboard.press('Escape');
    assert.equal(await shareButton(exam).getAttribute('aria-expanded'), 'false');

    const { page: again, problems: p2 } = await openPage(browser, link);
    await waitForWidgets(again, 30000);
    const after = await again.locator('gradlab-exam-score').first().evaluate((el) => ({ w: el.weight, b: el.bias, step: el.step, loss: el.loss }));
    assert.deepEqual(after, before);
    assertNoProblems(problems, 'lesson');
    assertNoProblems(p2, 'lesson opened from the link');
    await page.close();
    await again.close();
  });

  test('backprop-net: trained parameters travel in the link', async () => {
    const { page } = await openPage(browser, `${site.url}embed.html?widget=gradlab-backprop-net&width=4`);
    await waitForWidgets(page, 30000);
    const net = page.locator('gradlab-backprop-net');
    await net.evaluate((el) => el.step(40));
    const params = await net.evaluate((el) => Array.from(el.parameters));
    await shareButton(net).click();
    const link = await field(net, 'Link to this state').inputValue();
    assert.match(link, /embed\.html\?widget=gradlab-backprop-net&width=4&state=/);
    const { page: again } = await openPage(browser, link);
    await waitForWidgets(again, 30000);
    const restored = await again.locator('gradlab-backprop-net').evaluate((el) => Array.from(el.parameters));
    assert.deepEqual(restored, params);
    await page.close();
    await again.close();
  });

  test('JSON export and import round-trip; a bad file gives a message', async () => {
    const { page, problems } = await openPage(browser, `${site.url}embed.html?widget=gradlab-exam-score`);
    await waitForWidgets(page, 30000);
    const exam = page.locator('gradlab-exam-score');
    for (let i = 0; i < 4; i += 1) await exam.getByRole('button', { name: 'Step', exact: true }).click();
    const before = await exam.evaluate((el) => ({ w: el.weight, b: el.bias, step: el.step }));
    await shareButton(exam).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exam.getByRole('button', { name: 'Export state (JSON)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'gradlab-exam-score-state.json');
    const text = await readFile(await download.path(), 'utf8');
    const json = JSON.parse(text);
    assert.equal(json.v, 1);
    assert.equal(json.tag, 'gradlab-exam-score');
    assert.equal(json.state.steps, 4);

    await exam.getByRole('button', { name: 'Reset' }).click();
    assert.equal(await exam.evaluate((el) => el.step), 0);
    await exam.getByLabel('Import state (JSON):').setInputFiles({ name: 'state.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForFunction(() => document.querySelector('gradlab-exam-score').step === 4);
    assert.deepEqual(await exam.evaluate((el) => ({ w: el.weight, b: el.bias, step: el.step })), before);

    await exam.getByLabel('Import state (JSON):').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"v":1,"tag":"gradlab-exam-score","attrs":{},"state":{"start":{"w":"x"}}}') });
    await page.waitForFunction(() => /bad\.json” could not be used/.test(document.querySelector('gradlab-exam-score').shadowRoot.textContent));
    await exam.getByLabel('Import state (JSON):').setInputFiles({ name: 'junk.json', mimeType: 'application/json', buffer: Buffer.from('not json at all') });
    await page.waitForFunction(() => /junk\.json” could not be used: it is not JSON/.test(document.querySelector('gradlab-exam-score').shadowRoot.textContent));
    assert.equal(await exam.evaluate((el) => el.step), 4, 'a bad file changed nothing');
    assertNoProblems(problems, 'export/import');
    await page.close();
  });

  test('getState/setState round-trip in every widget that has them', async () => {
    const tags = ['gradlab-exam-score', 'gradlab-exam-step', 'gradlab-recipe-curve', 'gradlab-recipe-2d',
      'gradlab-descent-curve', 'gradlab-descent-map', 'gradlab-backprop-net', 'gradlab-linreg-code'];
    for (const tag of tags) {
      const { page, problems } = await openPage(browser, `${site.url}embed.html?widget=${tag}`);
      await waitForWidgets(page, 30000);
      const r = await page.locator(tag).evaluate((el) => {
        // Move away from the start: a few steps with whatever stepping the widget has.
        if (el.stepOnce) for (let i = 0; i < 3; i += 1) el.stepOnce();
        else if (el.takeStep) el.takeStep();
        else if (el.step instanceof Function) el.step(5);
        const a = el.getState();
        el.setState(JSON.parse(JSON.stringify(a)));
        const b = el.getState();
        // backprop-net restores settings and parameters; its step count (and Adam's moments) restart.
        if (el.localName === 'gradlab-backprop-net') { delete a.steps; delete b.steps; }
        let rejected = '';
        try { el.setState({ nonsense: true }); } catch (e) { rejected = e.message; }
        const after = el.getState();
        if (el.localName === 'gradlab-backprop-net') delete after.steps;
        return { a: JSON.stringify(a), b: JSON.stringify(b), rejected, after: JSON.stringify(after) };
      });
      assert.equal(r.b, r.a, `${tag}: state changed in a round-trip`);
      assert.ok(r.rejected, `${tag}: setState accepted nonsense`);
      assert.equal(r.after, r.a, `${tag}: rejected state changed the widget`);
      assertNoProblems(problems, tag);
      await page.close();
    }
  });

  test('a corrupt state in the link shows a message, the widget still works', async () => {
    const { page, problems } = await openPage(browser, `${site.url}embed.html?widget=gradlab-exam-score&state=%%%not-base64`);
    await waitForWidgets(page, 30000);
    const exam = page.locator('gradlab-exam-score');
    assert.match(await deepText(page), /The shared state in this link could not be used/);
    await exam.getByRole('button', { name: 'Step', exact: true }).click();
    assert.equal(await exam.evaluate((el) => el.step), 1);
    assertNoProblems(problems, 'corrupt state');
    await page.close();
  });

  test('xAPI statements: interacted, completed (exam-score goal), answered (practice-set)', async () => {
    const { page } = await openPage(browser, `${site.url}embed.html?widget=gradlab-exam-score&learning-rate=0.02`);
    await page.evaluate(() => {
      window.__xapi = [];
      document.addEventListener('gradlab-xapi', (e) => window.__xapi.push(e.detail));
    });
    await waitForWidgets(page, 30000);
    const exam = page.locator('gradlab-exam-score');
    await exam.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.__xapi.some((s) => s.verb.display['en-US'] === 'completed'), null, { timeout: 20000 });
    const records = await page.evaluate(() => window.__xapi);
    assert.equal(records[0].verb.id, 'http://adlnet.gov/expapi/verbs/interacted');
    const done = records.find((s) => s.verb.id === 'http://adlnet.gov/expapi/verbs/completed');
    assert.equal(done.object.id, 'gradlab-exam-score#loss-below-goal');
    assert.equal(done.result.success, true);
    assert.equal(done.result.completion, true);
    assert.ok(done.result.extensions['urn:gradlab:xapi:loss'] <= 40);
    assert.ok(!('actor' in done));
    assert.equal(records.filter((s) => s.verb.display['en-US'] === 'interacted').length, 1, 'interacted once');
    await page.close();

    // practice-set: its gradlab-answer events become 'answered' statements.
    const { page: ps } = await openPage(browser, `${site.url}embed.html?widget=gradlab-practice-set`);
    await ps.evaluate(() => {
      window.__xapi = [];
      document.addEventListener('gradlab-xapi', (e) => window.__xapi.push(e.detail));
    });
    await waitForWidgets(ps, 30000);
    const q = await ps.locator('gradlab-practice-set').evaluate((el) => el.questions[0]);
    const form = ps.locator('gradlab-practice-set form').first();
    if (typeof q.expected === 'number') await form.locator('input[type=text]').fill(String(q.expected));
    else await form.locator(`input[type=radio][value="${q.expected}"]`).check();
    await form.getByRole('button', { name: 'Check' }).click();
    await ps.waitForFunction(() => window.__xapi.some((s) => s.verb.display['en-US'] === 'answered'));
    const answered = await ps.evaluate(() => window.__xapi.find((s) => s.verb.display['en-US'] === 'answered'));
    assert.equal(answered.verb.id, 'http://adlnet.gov/expapi/verbs/answered');
    assert.equal(answered.object.id, `gradlab-practice-set#${q.id}`);
    assert.equal(answered.result.success, true);
    assert.deepEqual(answered.result.score, { scaled: 1, raw: 1, min: 0, max: 1 });
    await ps.close();
  });
});
