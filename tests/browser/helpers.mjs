// Shared helpers for the browser tests (node:test + playwright-core + Debian's Chromium).
//
//   const site = await startSite();            // serves dist/ (built by scripts/build.sh)
//   const browser = await launchBrowser();
//   const { page, problems } = await openPage(browser, site.url + 'index.html');
//   ... assertions ...; assertNoProblems(problems); await expectNoBadNumbers(page);
//   await screenshot(page, 'home'); const violations = await runAxe(page);
//   await browser.close(); await site.close();
//
// GRADLAB_DIST=/path overrides the site folder; CHROMIUM=/path the browser binary.
// Screenshots (test-output/screenshots/) are for people to look at: no test compares them, so
// they are taken only with GRADLAB_SCREENSHOTS=1 (software rendering makes them slow).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const screenshotDir = path.join(repoRoot, 'test-output', 'screenshots');
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** True when GRADLAB_SCREENSHOTS=1: the screenshot helpers below write files; else they do nothing. */
export const screenshotsOn = process.env.GRADLAB_SCREENSHOTS === '1';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The built site folder; throws a clear message when it has not been built. */
export function distDir() {
  const dir = process.env.GRADLAB_DIST ?? path.join(repoRoot, 'dist');
  for (const file of ['index.html', 'assets/gradlab-widgets.js', 'assets/gradlab-engine.mjs', 'assets/gradlab-engine.wasm']) {
    if (!existsSync(path.join(dir, file))) {
      throw new Error(`${path.join(dir, file)} is missing: build the site first (bash scripts/build.sh)`);
    }
  }
  return dir;
}

/** Serve a built site on a free port. @returns {{url, port, close}} */
export async function startSite(root = distDir()) {
  return startServer({ root, port: 0 });
}

/** Chromium in a fresh, throw-away profile. @returns {{context, close}} */
export async function launchBrowser({ viewport = { width: 1280, height: 900 }, reducedMotion } = {}) {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}`);
  const profile = await mkdtemp(path.join(os.tmpdir(), 'gradlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    reducedMotion,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * For the enclosing describe(): serves the built site and launches a browser before its tests
 * (handing both to `ready`), and closes them after.
 *   let site, browser;
 *   withSiteAndBrowser((s, b) => { site = s; browser = b; });
 */
export function withSiteAndBrowser(ready, browserOptions) {
  let site;
  let browser;
  before(async () => {
    site = await startSite(distDir());
    browser = await launchBrowser(browserOptions);
    ready(site, browser);
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });
}

/**
 * Open a page and record everything that went wrong on it: console errors and warnings about
 * CSP, uncaught exceptions, failed requests and HTTP errors (404s).
 * @returns {{page: import('playwright-core').Page, problems: string[]}}
 */
export async function openPage(browser, url, { viewport, waitFor = 'load' } = {}) {
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const problems = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error') problems.push(`console error: ${text}`);
    else if (/Content.Security.Policy|Refused to/i.test(text)) problems.push(`console: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (req) => {
    const reason = req.failure()?.errorText ?? '';
    // A navigation cancels requests still in flight: that is not a fault of the page.
    if (!reason.includes('ERR_ABORTED')) problems.push(`request failed: ${req.url()} (${reason})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(url, { waitUntil: waitFor });
  return { page, problems };
}

export function assertNoProblems(problems, what = 'page') {
  assert.deepEqual(problems, [], `${what} reported problems:\n${problems.join('\n')}`);
}

/** Wait until every <gradlab-*> widget on the page has finished loading (or failed). */
export async function waitForWidgets(page, timeout = 15000) {
  await page.waitForFunction(() => {
    const all = [...document.querySelectorAll('*')].filter((el) => el.localName.startsWith('gradlab-'));
    return all.every((el) => {
      if (!customElements.get(el.localName) || !el.shadowRoot) return false;
      const loading = el.shadowRoot.querySelector('.gl-loading');
      return !loading || loading.hidden;
    });
  }, null, { timeout });
}

/** All text of the page, including text inside (nested) open shadow roots. */
export async function deepText(page) {
  return page.evaluate(() => {
    const parts = [];
    const walk = (root) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let node = walker.currentNode; node; node = walker.nextNode()) {
        if (node.nodeType === Node.TEXT_NODE) parts.push(node.data);
        else {
          if (node.shadowRoot) walk(node.shadowRoot);
          if (node.localName === 'input' || node.localName === 'output') parts.push(node.value ?? '');
          const label = node.getAttribute?.('aria-label');
          if (label) parts.push(label);
        }
      }
    };
    walk(document.body);
    return parts.join('\n');
  });
}

/** Assert that no "NaN" or "Infinity" is visible anywhere (light DOM, shadow roots, inputs). */
export async function expectNoBadNumbers(page, what = 'page') {
  const text = await deepText(page);
  const bad = text.match(/.{0,40}\b(NaN|-?Infinity|undefined)\b.{0,40}/);
  assert.equal(bad, null, `${what} shows a bad number: "${bad?.[0]}"`);
}

/**
 * Screenshot to test-output/screenshots/<name>.png (full page by default; pass a Locator as
 * `target` to capture one element); returns the path, or null when screenshots are off.
 */
export async function screenshot(page, name, { target, fullPage = true } = {}) {
  if (!screenshotsOn) return null;
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  if (target) await target.screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage });
  return file;
}

/**
 * The page as the browser shows it inside `clip` ({x, y, width, height}, CSS pixels): a screenshot
 * decoded in the page. Returns {width, height, at(x, y) -> [r, g, b, a]} (x, y rounded, relative to
 * the clip).
 */
export async function screenshotPixels(page, clip) {
  const png = await page.screenshot({ clip });
  const { width, height, rgba } = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const bytes = g.getImageData(0, 0, c.width, c.height).data;
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { width: c.width, height: c.height, rgba: btoa(text) };
  }, png.toString('base64'));
  const data = Buffer.from(rgba, 'base64');
  return {
    width,
    height,
    at(x, y) {
      const o = (Math.round(y) * width + Math.round(x)) * 4;
      return [data[o], data[o + 1], data[o + 2], data[o + 3]];
    },
  };
}

/**
 * One screenshot per <gradlab-*> widget on the page: <prefix>-<n>-<tag>.png. Each widget is
 * scrolled to the top of the viewport and clipped to it (full-page captures of long pages full
 * of charts are very slow in software rendering). Returns the file paths.
 */
export async function screenshotWidgets(page, prefix) {
  if (!screenshotsOn) return [];
  await mkdir(screenshotDir, { recursive: true });
  const count = await page.evaluate(() => {
    window.__glWidgets = [...document.querySelectorAll('*')].filter((el) => el.localName.startsWith('gradlab-'));
    return window.__glWidgets.length;
  });
  const files = [];
  for (let i = 0; i < count; i += 1) {
    const box = await page.evaluate(async (k) => {
      const el = window.__glWidgets[k];
      el.scrollIntoView({ block: 'start', behavior: 'instant' });
      await new Promise(requestAnimationFrame);
      await new Promise(requestAnimationFrame);
      const r = el.getBoundingClientRect();
      return { tag: el.localName, x: r.x, y: r.y, width: r.width,
        height: Math.min(r.height, window.innerHeight - r.y) };
    }, i);
    if (!(box.width > 0 && box.height > 0)) continue;
    const file = path.join(screenshotDir, `${prefix}-${i + 1}-${box.tag}.png`);
    await page.screenshot({ path: file, clip: { x: box.x, y: box.y, width: box.width, height: box.height } });
    files.push(file);
  }
  return files;
}

let axeSource = null;

/**
 * Run axe-core on the page (shadow DOM included). Injected through the DevTools protocol, so
 * the page's strict CSP stays on. Returns the violations (filtered by impact).
 *
 * `widgetsOnly: true` checks only the <gradlab-*> elements (their shadow roots included): for a
 * page already checked whole as loaded (a11y.test.mjs), after use only the widgets have changed,
 * and the lesson text — thousands of KaTeX spans, most of axe's time — need not be checked again.
 */
export async function runAxe(page, { impacts = ['serious', 'critical'], disable = [], widgetsOnly = false } = {}) {
  axeSource ??= await readFile(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
  if (!await page.evaluate(() => Boolean(window.axe))) await page.evaluate(axeSource);
  const result = await page.evaluate(async ({ rulesOff, onlyWidgets }) => {
    const rules = Object.fromEntries(rulesOff.map((id) => [id, { enabled: false }]));
    let context = document;
    if (onlyWidgets) {
      const tags = [...new Set([...document.querySelectorAll('*')].map((el) => el.localName)
        .filter((n) => n.startsWith('gradlab-')))];
      if (!tags.length) return [];
      context = { include: tags.map((t) => [t]) };
    }
    // Lesson sections and text blocks off screen are not rendered (content-visibility: auto),
    // and axe cannot judge what is not rendered: it finds the colours behind a text by
    // hit-testing, which skips such content and lands on whatever else is there (it reported a
    // lesson's dark bold text as sitting on a widget's blue button). Render them all for the
    // check, as they are when the reader scrolls to them.
    const sections = [...document.querySelectorAll('.lesson-section, .lesson-section > *')];
    for (const s of sections) s.style.contentVisibility = 'visible';
    let r;
    try {
      r = await window.axe.run(context, { rules, resultTypes: ['violations'] });
    } finally {
      for (const s of sections) s.style.removeProperty('content-visibility');
    }
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  }, { rulesOff: disable, onlyWidgets: widgetsOnly });
  return result.filter((v) => impacts.includes(v.impact));
}

export function formatViolations(violations) {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.join(', ')}`).join('\n');
}

// ---- widget assertions shared by the lesson tests ----------------------------------------------

/** A widget's readout <output>, found by (part of) its label. */
export const readout = (widget, label) =>
  widget.locator('.gl-readout').filter({ hasText: label }).locator('output');

/** A number as widgets print it ("−8" with a real minus sign, "6.01", "−2.28e-7"). */
export const parseShown = (text) => Number(text.trim().replace('−', '-'));

/**
 * The number a locator shows, read after the page's next two animation frames: widgets rewrite
 * their readouts in their frame callback, not in the event handler, so a read straight after an
 * input can see the previous value.
 */
export const shown = async (locator) => {
  await locator.page().evaluate(() => new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return parseShown(await locator.textContent());
};

/** |a − b| ≤ tol, with a message naming what was compared. */
export const close = (a, b, tol, what) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: got ${a}, expected ${b} ± ${tol}`);

/** close() element by element. */
export const closeAll = (as, bs, tol, what) => {
  assert.equal(as.length, bs.length, `${what}: lengths`);
  as.forEach((a, i) => close(a, bs[i], tol, `${what}[${i}]`));
};

/**
 * Scroll a widget into view (its animation loop runs only on screen) and, with
 * GRADLAB_SCREENSHOTS=1, screenshot it into test-output/screenshots/<name>.png after two frames.
 */
export async function widgetShot(widget, name) {
  await widget.scrollIntoViewIfNeeded();
  if (!screenshotsOn) return;
  await mkdir(screenshotDir, { recursive: true });
  await widget.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await widget.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

/**
 * Drag a range input's thumb with the real mouse from its middle to `fraction` of its width, then
 * wait for the frame that draws the result (widgets write their readouts in draw()).
 */
export async function dragRange(page, range, fraction) {
  const box = await range.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * fraction, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await frames(page);
}

/** Resolve after `n` animation frames of the page (a condition, unlike a fixed sleep). */
export async function frames(page, n = 2) {
  await page.evaluate((k) => new Promise((resolve) => {
    const tick = (left) => (left ? requestAnimationFrame(() => tick(left - 1)) : resolve());
    tick(k);
  }), n);
}

/**
 * The checks every lesson page ends with: no NaN/Infinity text, axe clean, no console errors.
 * axe looks at the widgets only (in the states the test left them in): the whole page as loaded
 * is a11y.test.mjs's check.
 */
export async function checkPage(page, problems, name) {
  await expectNoBadNumbers(page, name);
  const violations = await runAxe(page, { widgetsOnly: true });
  assert.deepEqual(violations, [], `${name}:\n${formatViolations(violations)}`);
  assertNoProblems(problems, name);
}
