// The gulab-jamun lesson's widgets in headless Chromium: the sugar curve (tangent, slope, steps)
// and the two-knob heat map (gradient, arrow, steps), driven with real keyboard and mouse input.
// Expected numbers are the lesson's hand-derived ones for the engine's default kitchen:
//   E(s) = ((s − 250)/50)²,  E′(s) = (s − 250)/1250
//   E(s, t) = u² + 0.5·u·v + v²,  u = (s − 250)/50, v = (t − 120)/30
// Needs dist/ (bash scripts/build.sh).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertNoProblems, dragRange, expectNoBadNumbers, frames, launchBrowser, openPage, startSite, waitForWidgets, widgetShot,
} from './helpers.mjs';

const num = (text) => Number(String(text).replace(/\u2212/g, '-').replace(/[^\d.eE+-]/g, ''));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function readout(widget, label) {
  return widget.locator('.gl-readout')
    .filter({ has: widget.page().locator('.gl-readout-label', { hasText: new RegExp(`^${escape(label)}$`) }) })
    .locator('output');
}

function slider(widget, label) {
  return {
    range: widget.getByRole('slider', { name: label, exact: true }),
    number: widget.getByRole('spinbutton', { name: `${label}, exact value`, exact: true }),
  };
}


async function waitText(locator, expected, timeout = 3000) {
  const startedAt = Date.now();
  let text;
  for (;;) {
    text = (await locator.textContent())?.trim();
    if (text === expected || Date.now() - startedAt > timeout) break;
    await new Promise((r) => setTimeout(r, 30));
  }
  assert.equal(text, expected);
}

function close(actual, expected, tol, what) {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

/** Pin a widget's attributes (the test does not depend on the lesson's choices) and reset it. */
async function pin(widget, attrs) {
  await widget.evaluate((el, a) => {
    for (const [k, v] of Object.entries(a)) el.setAttribute(k, String(v));
    el.reset();
  }, attrs);
}

const E1 = (s) => ((s - 250) / 50) ** 2;
const dE1 = (s) => (s - 250) / 1250;
function E2(s, t) {
  const u = (s - 250) / 50, v = (t - 120) / 30;
  return { loss: u * u + 0.5 * u * v + v * v, dS: (2 * u + 0.5 * v) / 50, dT: (0.5 * u + 2 * v) / 30 };
}

describe('gulab-jamun lesson widgets', () => {
  let site, browser, page, problems;

  before(async () => {
    site = await startSite();
    browser = await launchBrowser({ viewport: { width: 1280, height: 2000 } });
    ({ page, problems } = await openPage(browser, `${site.url}lessons/gulab-jamun.html`));
    await waitForWidgets(page);
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('<gradlab-recipe-curve>: value, slope and tangent at 350 g, then the lesson\'s steps', async () => {
    const w = page.locator('gradlab-recipe-curve').first();
    await pin(w, { sugar: 350, 'learning-rate': 500 });
    await w.scrollIntoViewIfNeeded();
    await waitText(readout(w, 'Sugar'), '350 g');
    await waitText(readout(w, 'Taste error E'), '4');
    await waitText(readout(w, 'Slope E′ (per gram)'), '0.08');
    assert.equal(await w.evaluate((el) => el.slope), dE1(350));
    // The tangent drawn on the chart has the printed slope and touches the curve at (350, 4).
    await frames(page, 2); // charts redraw on the frame after an input
    const tangent = await w.evaluate((el) => el.chart.chart.data.datasets[1].data.map((p) => [p.x, p.y]));
    const slope = (tangent[1][1] - tangent[0][1]) / (tangent[1][0] - tangent[0][0]);
    close(slope, 0.08, 1e-12, 'tangent slope');
    close((tangent[0][1] + tangent[1][1]) / 2, 4, 1e-9, 'tangent touches the curve');

    const step = w.getByRole('button', { name: 'Take a gradient step' });
    await step.click();
    await w.getByText('new sugar = 350 − 500 × 0.08 = 310 g').waitFor();
    await waitText(readout(w, 'Taste error E'), '1.44');
    await step.click();
    await w.getByText('new sugar = 310 − 500 × 0.048 = 286 g').waitFor();
    await step.click();
    await w.getByText('new sugar = 286 − 500 × 0.0288 = 271.6 g').waitFor();
    close(await w.evaluate((el) => el.sugar), 271.6, 1e-9, 'sugar after three steps');
    await frames(page, 2); // charts redraw on the frame after an input
    const path3 = await w.evaluate((el) => el.chart.chart.data.datasets[2].data.length);
    assert.equal(path3, 4, 'the three steps are drawn on the curve');

    await w.getByRole('button', { name: 'Reset' }).click();
    await waitText(readout(w, 'Sugar'), '350 g');
    assert.equal(await w.evaluate((el) => el.step), 0);
  });

  test('<gradlab-recipe-curve>: nudging sugar by keyboard and mouse updates error and slope', async () => {
    const w = page.locator('gradlab-recipe-curve').first();
    const sugar = slider(w, 'Sugar (g) — nudge by hand');
    await sugar.range.focus();
    await page.keyboard.press('ArrowRight');
    await waitText(readout(w, 'Sugar'), '351 g');
    await waitText(readout(w, 'Taste error E'), '4.0804'); // the lesson's check: E(351)
    await waitText(readout(w, 'Slope E′ (per gram)'), '0.0808');
    await page.keyboard.press('Home');
    await waitText(readout(w, 'Sugar'), '0 g');
    await waitText(readout(w, 'Taste error E'), String(E1(0)));
    await dragRange(page, sugar.range, 0.625); // about 250 g: the bottom of the bowl
    const s = await w.evaluate((el) => el.sugar);
    close(s, 250, 12, 'sugar after dragging the slider');
    close(num(await readout(w, 'Slope E′ (per gram)').textContent()), dE1(s), 1e-4, 'slope after the drag');
    await w.getByRole('button', { name: 'Reset' }).click();
  });

  test('<gradlab-recipe-curve>: Run converges; a too-large learning rate diverges, never NaN', async () => {
    const w = page.locator('gradlab-recipe-curve').first();
    await pin(w, { sugar: 350, 'learning-rate': 1000 });
    await w.getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction((el) => el.step >= 3, await w.elementHandle(), { timeout: 10000 });
    await w.getByRole('button', { name: 'Pause' }).click();
    const s = await w.evaluate((el) => el.sugar);
    assert.ok(Math.abs(s - 250) < 10, `after a few steps at η = 1000 the sugar is near 250 g (got ${s})`);
    await widgetShot(w, 'recipe-curve');

    await w.getByRole('button', { name: 'Reset' }).click();
    const lr = slider(w, 'Learning rate');
    await lr.number.fill('3000'); // factor 1 − 3000/1250 = −1.4: each step overshoots further
    await lr.number.press('Enter');
    await w.getByRole('button', { name: 'Run' }).click();
    await w.getByText('Diverged — the steps grew instead of shrinking. Lower the learning rate and press Reset.')
      .waitFor({ timeout: 20000 });
    await expectNoBadNumbers(page, 'recipe curve after divergence');
    await widgetShot(w, 'recipe-curve-diverged');
    await pin(w, { sugar: 350, 'learning-rate': 500 });
  });

  test('<gradlab-recipe-2d>: gradient components, one step with numbers, click on the map', async () => {
    const w = page.locator('gradlab-recipe-2d').first();
    await pin(w, { sugar: 350, soak: 90, 'learning-rate': 300 });
    await w.scrollIntoViewIfNeeded();
    const at = E2(350, 90); // u = 2, v = −1: E = 4, gradient (0.07, −1/30)
    await waitText(readout(w, 'Taste error E'), '4');
    await waitText(readout(w, '∂E/∂s (per gram)'), '0.07');
    await waitText(readout(w, '∂E/∂t (per minute)'), '−0.033333');
    const g = await w.evaluate((el) => el.gradient);
    close(g[0], at.dS, 1e-12, 'dE/ds'); close(g[1], at.dT, 1e-12, 'dE/dt');
    // The arrow on the map is the next step −η∇E, from (350, 90) to (329, 100).
    await frames(page, 2); // charts redraw on the frame after an input
    const arrow = await w.evaluate((el) => el.map.chart.data.datasets[3].data.slice(0, 2).map((p) => [p.x, p.y]));
    close(arrow[1][0], 350 - 300 * at.dS, 1e-9, 'arrow tip, sugar');
    close(arrow[1][1], 90 - 300 * at.dT, 1e-9, 'arrow tip, soak');

    await w.getByRole('button', { name: 'Step', exact: true }).click();
    await w.getByText('new sugar = 350 − 300 × 0.07 = 329 g').waitFor();
    await w.getByText('new soaking time = 90 − 300 × (−0.033333) = 100 min').waitFor();
    close(await w.evaluate((el) => el.sugar), 329, 1e-9, 'sugar after a step');
    close(await w.evaluate((el) => el.soak), 100, 1e-9, 'soak after a step');

    // Click the map at (250 g, 120 min): the bottom of the valley.
    const target = await w.evaluate((el) => {
      const c = el.map.chart;
      c.canvas.scrollIntoView({ block: 'center', behavior: 'instant' });
      const r = c.canvas.getBoundingClientRect();
      return { x: r.left + c.scales.x.getPixelForValue(250), y: r.top + c.scales.y.getPixelForValue(120) };
    });
    await page.mouse.click(target.x, target.y);
    close(await w.evaluate((el) => el.sugar), 250, 3, 'sugar after the click');
    close(await w.evaluate((el) => el.soak), 120, 3, 'soak after the click');
    assert.ok(await w.evaluate((el) => el.loss) < 0.01);

    // Keyboard on the soak slider.
    const soak = slider(w, 'Soaking time (min)');
    await soak.range.focus();
    await page.keyboard.press('End');
    close(await w.evaluate((el) => el.soak), 240, 1e-9, 'soak after End');
    const e = E2(await w.evaluate((el) => el.sugar), 240);
    close(await w.evaluate((el) => el.loss), e.loss, 1e-9, 'loss after End');
  });

  test('<gradlab-recipe-2d>: Run reaches the valley floor; a too-large rate diverges', async () => {
    const w = page.locator('gradlab-recipe-2d').first();
    await pin(w, { sugar: 350, soak: 90, 'learning-rate': 600 });
    await w.getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction((el) => el.step >= 12, await w.elementHandle(), { timeout: 15000 });
    await w.getByRole('button', { name: 'Pause' }).click();
    assert.ok(await w.evaluate((el) => el.loss) < 0.05, 'twelve steps get close to the bottom');
    await widgetShot(w, 'recipe-2d');

    await pin(w, { sugar: 350, soak: 90, 'learning-rate': 2000 });
    await w.getByRole('button', { name: 'Run' }).click();
    await w.getByText('Diverged — the steps grew instead of shrinking. Lower the learning rate and press Reset.')
      .waitFor({ timeout: 20000 });
    await expectNoBadNumbers(page, 'recipe 2d after divergence');
    await widgetShot(w, 'recipe-2d-diverged');
    await pin(w, { sugar: 350, soak: 90, 'learning-rate': 300 });
  });

  test('the gulab-jamun page: no console errors, no NaN, phone layout', async () => {
    await expectNoBadNumbers(page, 'gulab-jamun page');
    assertNoProblems(problems, 'gulab-jamun page');
    const phone = await openPage(browser, `${site.url}lessons/gulab-jamun.html`, { viewport: { width: 375, height: 1600 } });
    await waitForWidgets(phone.page);
    for (const tag of ['gradlab-recipe-curve', 'gradlab-recipe-2d']) {
      const w = phone.page.locator(tag).first();
      const overflow = await w.evaluate((el) => {
        const host = el.getBoundingClientRect();
        return [...el.shadowRoot.querySelectorAll('*')].filter((c) => c.getBoundingClientRect().right > host.right + 1)
          .map((c) => `${c.localName}.${c.className}`);
      });
      assert.deepEqual(overflow, [], `${tag} fits a 375 px phone`);
    }
    await widgetShot(phone.page.locator('gradlab-recipe-2d').first(), 'recipe-2d-phone');
    assertNoProblems(phone.problems, 'gulab-jamun page on a phone');
    await phone.page.close();
  });
});
