// Hosting without a network, in headless Chromium:
//   - the service worker precaches the site: after one visit, a lesson page reloads and works
//     with the network gone (server stopped and the browser offline);
//   - sub-path hosting: the site served under /courses/ml/ (links, assets, engine, worker scope);
//   - the portable build (web/site/portable.mjs) opened from disk over file://, no server;
//   - no external URLs in the generated HTML/CSS/JS (everything is local).
// Needs a built site: GRADLAB_DIST=/path or dist/ (bash scripts/build.sh).

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../scripts/serve.mjs';
import { buildPortable } from '../../web/site/portable.mjs';
import {
  assertNoProblems, distDir, launchBrowser, openPage, startSite, waitForWidgets,
} from './helpers.mjs';

const num = (text) => Number(String(text).replace(/\u2212/g, '-').replace(/[^\d.eE+-]/g, ''));

/** Press Step on the page's first exam-score twice and check that the step count and W move. */
async function driveExamScore(page) {
  const exam = page.locator('gradlab-exam-score').first();
  await exam.scrollIntoViewIfNeeded();
  const w0 = await exam.evaluate((el) => el.weight);
  await exam.getByRole('button', { name: 'Step', exact: true }).click();
  await exam.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('gradlab-exam-score').step === 2);
  // The readout is redrawn on the next animation frame: wait for it, then check the number.
  const stepOut = exam.locator('.gl-readout').filter({ hasText: /^Step/ }).locator('output');
  await stepOut.filter({ hasText: /^\s*2\s*$/ }).waitFor({ timeout: 5000 }).catch(() => {});
  assert.equal(num(await stepOut.textContent()), 2);
  assert.notEqual(await exam.evaluate((el) => el.weight), w0);
}

async function listFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await listFiles(full));
    else out.push(full);
  }
  return out;
}

describe('offline and static hosting', () => {
  let browser;
  before(async () => {
    browser = await launchBrowser({ viewport: { width: 1200, height: 2400 } });
  });
  after(async () => {
    await browser?.close();
  });

  test('no external URLs in generated HTML, CSS and JS (besides text links)', async () => {
    const dist = distDir();
    const bad = [];
    for (const file of await listFiles(dist)) {
      if (!/\.(html|css|js|mjs)$/.test(file)) continue;
      const text = await readFile(file, 'utf8');
      // Loads: src=, href= of stylesheets/scripts/icons, url(), import, fetch of http(s) URLs.
      const loads = [
        ...text.matchAll(/<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc="(https?:[^"]+)"/g),
        ...text.matchAll(/<link\b[^>]*\bhref="(https?:[^"]+)"/g),
        ...text.matchAll(/url\(\s*['"]?(https?:[^)'"]+)/g),
        ...text.matchAll(/\bimport\s*\(?\s*['"](https?:[^'"]+)/g),
      ];
      for (const m of loads) bad.push(`${path.relative(dist, file)}: ${m[1]}`);
    }
    assert.deepEqual(bad, []);
  });

  test('service worker: a visited lesson works after the network is gone', async () => {
    const site = await startSite();
    const url = `${site.url}lessons/exam-score.html`;
    const { page, problems } = await openPage(browser, url);
    await waitForWidgets(page, 30000);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, site.url);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    assertNoProblems(problems, 'online visit');
    // No server, no network.
    await site.close();
    await browser.context.setOffline(true);
    try {
      problems.length = 0;
      await page.reload({ waitUntil: 'load' });
      await waitForWidgets(page, 30000);
      await driveExamScore(page);
      // Another page that was never opened is precached too.
      await page.goto(url.replace('exam-score.html', 'derivatives.html'), { waitUntil: 'load' });
      await waitForWidgets(page, 30000);
      await page.goto(url.replace('lessons/exam-score.html', 'embed.html?widget=gradlab-exam-score'), { waitUntil: 'load' });
      await waitForWidgets(page, 30000);
      await driveExamScore(page);
      assertNoProblems(problems, 'offline pages');
    } finally {
      await browser.context.setOffline(false);
      await page.close();
    }
  });

  test('sub-path hosting: the site under /courses/ml/', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'gradlab-subpath-'));
    await mkdir(path.join(root, 'courses'), { recursive: true });
    await symlink(distDir(), path.join(root, 'courses/ml'), 'dir');
    const server = await startServer({ root, port: 0 });
    const base = `${server.url}courses/ml/`;
    try {
      const { page, problems } = await openPage(browser, base);
      const engine = [];
      page.on('request', (r) => { if (r.url().includes('gradlab-engine')) engine.push(r.url()); });
      await waitForWidgets(page, 30000);
      // Follow the home page's own link to the exam-score lesson.
      await page.locator('a[href="lessons/exam-score.html"]').first().click();
      await page.waitForURL(`${base}lessons/exam-score.html`);
      await waitForWidgets(page, 30000);
      await driveExamScore(page);
      const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
      assert.equal(scope, base);
      for (const u of engine) assert.ok(u.startsWith(`${base}assets/`), u);
      // The stable script-tag entry and the iframe route under the sub-path.
      await page.goto(`${base}embed.html?widget=gradlab-exam-score`, { waitUntil: 'load' });
      await waitForWidgets(page, 30000);
      await driveExamScore(page);
      const entry = await page.request.get(`${base}gradlab-widgets.js`);
      assert.equal(entry.status(), 200);
      assertNoProblems(problems, 'sub-path pages');
      await page.close();
    } finally {
      await server.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  test('portable build works from file:// (no server)', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'gradlab-portable-'));
    try {
      await buildPortable({ dist: distDir(), out });
      const html = await readFile(path.join(out, 'lessons/exam-score.html'), 'utf8');
      assert.doesNotMatch(html, /type="module"/);
      // The wasm is inlined into the classic bundle: no engine files, no preloads of them.
      assert.doesNotMatch(html, /assets\/gradlab-engine/);
      const assets = await readdir(path.join(out, 'assets'));
      assert.deepEqual(assets.filter((f) => f.startsWith('gradlab-engine')), []);
      // A page's own module entry and its chunks give way to the one classic bundle.
      assert.match(html, /<script defer src="\.\.\/assets\/gradlab-widgets\.js"><\/script>/);
      assert.doesNotMatch(html, /modulepreload|assets\/(page|chunk)-/);
      assert.deepEqual(assets.filter((f) => /^(page|chunk)-/.test(f)), []);
      const { page, problems } = await openPage(browser, pathToFileURL(path.join(out, 'index.html')).href);
      await waitForWidgets(page, 30000);
      await page.locator('a[href="lessons/exam-score.html"]').first().click();
      await page.waitForURL(/exam-score\.html$/);
      await waitForWidgets(page, 30000);
      await driveExamScore(page);
      assertNoProblems(problems, 'portable pages');
      await page.close();
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
