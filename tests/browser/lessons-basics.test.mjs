// The first lessons in headless Chromium: derivatives (secant → tangent on x²), partial
// derivatives (three weights, nudges, gradient map) and gradient descent (1-D and 2-D landscapes).
// Every number a widget shows is checked against a value computed here independently (closed
// forms, finite differences, a plain JavaScript gradient descent), controls are driven with the
// keyboard and the mouse, and each page must have no console errors, no NaN/Infinity and no
// serious axe violations. Needs dist/ (bash scripts/build.sh); GRADLAB_DIST overrides.

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  assertNoProblems, checkPage, close, expectNoBadNumbers, frames, openPage, readout, screenshot, shown,
  waitForWidgets, widgetShot, withSiteAndBrowser,
} from './helpers.mjs';

// --- independent oracles --------------------------------------------------------------------

const square = (x) => x * x;
/** The engine's 'wells1d': f(x) = x²/10 + (1 − cos 2x). */
const wells1d = { f: (x) => (x * x) / 10 + (1 - Math.cos(2 * x)), df: (x) => x / 5 + 2 * Math.sin(2 * x) };

/** Plain gradient descent, stopping like the engine's trainer (|gradient| < tol) or at n steps. */
function descend(df, x0, lr, n = 5000, tol = 1e-6) {
  let x = x0;
  for (let k = 0; k < n; k += 1) {
    if (Math.abs(df(x)) < tol) return { x, steps: k };
    x -= lr * df(x);
  }
  return { x, steps: n };
}






describe('lessons: derivatives, partial derivatives, gradient descent', () => {
  let site;
  let browser;
  withSiteAndBrowser((s, b) => { site = s; browser = b; });

  test('derivatives: secant slope 6.01 and derivative 6 at x = 3, h = 0.01; controls work', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/derivatives.html`);
    await waitForWidgets(page);
    const widgets = page.locator('gradlab-derivative-slope');
    assert.equal(await widgets.count(), 2);
    const w = widgets.first();
    await w.scrollIntoViewIfNeeded();

    // Opening state, against the closed forms.
    await assert.doesNotReject(readout(w, 'Secant slope').filter({ hasText: /^6\.01$/ }).waitFor());
    assert.equal(await readout(w, 'engine gradient').textContent(), '6');
    assert.equal(await readout(w, 'f(x + h)').textContent(), '9.0601');
    close(await w.evaluate((el) => el.secantSlope), (square(3.01) - square(3)) / 0.01, 1e-9, 'secant');
    assert.equal(await w.evaluate((el) => el.derivative), 6);
    close(await w.evaluate((el) => el.centralDifference), 6, 1e-9, 'central difference');
    assert.match(await w.locator('.ds-sign').textContent(), /move left/);
    // The table of shrinking steps: 7, 6.1, 6.01, 6.001.
    const table = await w.locator('tbody tr td:nth-child(3)').allTextContents();
    assert.deepEqual(table.map(Number), [7, 6.1, 6.01, 6.001]);
    await widgetShot(w, 'widget-derivative-slope');

    // Keyboard: the x slider, ten steps of 0.1 to the left -> x = 2.
    const xRange = w.getByLabel('Point x', { exact: true });
    await xRange.focus();
    for (let i = 0; i < 10; i += 1) await page.keyboard.press('ArrowLeft');
    await assert.doesNotReject(readout(w, 'engine gradient').filter({ hasText: /^4$/ }).waitFor());
    close(await w.evaluate((el) => el.x), 2, 1e-9, 'x after ArrowLeft');
    close(await shown(readout(w, 'Secant slope')), (square(2.01) - square(2)) / 0.01, 1e-6, 'secant at 2');

    // Typed value in the number box.
    const xNumber = w.getByLabel('Point x, exact value');
    await xNumber.fill('-1.5');
    await xNumber.press('Enter');
    await assert.doesNotReject(readout(w, 'engine gradient').filter({ hasText: /^−3$/ }).waitFor());
    assert.match(await w.locator('.ds-sign').textContent(), /move right/);

    // Mouse: h ÷ 10 -> h = 0.001; the secant slope is 2x + h.
    await w.getByRole('button', { name: 'h ÷ 10' }).click();
    close(await w.evaluate((el) => el.h), 0.001, 1e-12, 'h after ÷10');
    close(await shown(readout(w, 'Secant slope')), -3 + 0.001, 1e-6, 'secant at −1.5, h = 0.001');
    // Mouse on the h slider itself: click near its right end -> a large h, checked against x².
    const hRange = w.getByLabel('Step h (log scale)', { exact: true });
    const box = await hRange.boundingBox();
    await page.mouse.click(box.x + box.width * 0.95, box.y + box.height / 2);
    const [x, hh, secant] = await w.evaluate((el) => [el.x, el.h, el.secantSlope]);
    assert.ok(hh > 0.3, `h after clicking the slider's right end: ${hh}`);
    close(secant, (square(x + hh) - square(x)) / hh, 1e-9, 'secant after mouse');

    // Reset, then zoom in at x = 3 with h = 0.1: the secant and the tangent nearly coincide.
    await w.getByRole('button', { name: 'Reset' }).click();
    await assert.doesNotReject(readout(w, 'Secant slope').filter({ hasText: /^6\.01$/ }).waitFor());
    await w.getByRole('button', { name: 'h × 10' }).click();
    await w.getByLabel('Zoom in on the point').check();
    await assert.doesNotReject(readout(w, 'Secant slope').filter({ hasText: /^6\.1$/ }).waitFor());
    await page.waitForTimeout(100);
    await widgetShot(w, 'widget-derivative-slope-zoomed');
    await w.getByRole('button', { name: 'Reset' }).click();
    assert.equal(await w.getByLabel('Zoom in on the point').isChecked(), false);

    // Removed and put back: engine objects are released and rebuilt, numbers come back.
    await w.evaluate((el) => {
      const parent = el.parentNode;
      const next = el.nextSibling;
      el.remove();
      parent.insertBefore(el, next);
    });
    await waitForWidgets(page);
    await assert.doesNotReject(readout(w, 'Secant slope').filter({ hasText: /^6\.01$/ }).waitFor());

    // The second copy: x = −2, h = 0.001; downhill is to the right.
    const w2 = widgets.nth(1);
    await w2.scrollIntoViewIfNeeded();
    assert.equal(await readout(w2, 'engine gradient').textContent(), '−4');
    assert.match(await w2.locator('.ds-sign').textContent(), /negative.*move right/);
    await widgetShot(w2, 'widget-derivative-sign');

    await screenshot(page, 'lesson-derivatives-tested');
    await checkPage(page, problems, 'derivatives');
    await page.close();
  });

  test('partial derivatives: loss 16, gradient (−8, −16, −24), nudges, steps and the map', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/partial-derivatives.html`);
    await waitForWidgets(page);
    const w = page.locator('gradlab-partials-gradient');
    await w.scrollIntoViewIfNeeded();
    const inputs = [1, 2, 3];
    const target = 10;
    const lossOf = (ws) => (ws.reduce((s, v, j) => s + v * inputs[j], 0) - target) ** 2;
    const gradOf = (ws) => {
      const r = ws.reduce((s, v, j) => s + v * inputs[j], 0) - target;
      return inputs.map((x) => 2 * r * x);
    };

    await assert.doesNotReject(readout(w, 'Loss L').filter({ hasText: /^16$/ }).waitFor());
    for (const [j, g] of [[1, -8], [2, -16], [3, -24]]) {
      assert.equal(await shown(readout(w, `∂L/∂w${'₁₂₃'[j - 1]}`)), g, `∂L/∂w${j}`);
    }
    assert.deepEqual(await w.evaluate((el) => el.gradient), [-8, -16, -24]);
    close(await shown(readout(w, 'against')), lossOf([1.08, 1.16, 1.24]), 1e-9, 'loss after a step against');
    close(await shown(readout(w, 'along')), lossOf([0.92, 0.84, 0.76]), 1e-9, 'loss after a step along');
    close(await shown(readout(w, 'Gradient length')), Math.sqrt(896), 1e-4, '|∇L|');

    // "Try w₃ + h": the others held; change ÷ h is the finite difference.
    await w.getByRole('button', { name: 'Try w₃ + h' }).click();
    const nudge = w.locator('.pg-nudge').nth(2);
    await assert.doesNotReject(nudge.filter({ hasText: '15.7609' }).waitFor());
    const fd = (lossOf([1, 1, 1.01]) - lossOf([1, 1, 1])) / 0.01;
    close(await w.evaluate((el) => el.nudgeResult(2, 1).ratio), fd, 1e-9, 'nudge ratio w₃');
    assert.match(await nudge.textContent(), /w₁ and w₂ held/);
    await w.getByRole('button', { name: 'Try w₁ − h' }).click();
    const fd1 = (lossOf([1, 1, 1]) - lossOf([0.99, 1, 1])) / 0.01;
    close(await w.evaluate((el) => el.nudgeResult(0, -1).ratio), fd1, 1e-9, 'nudge ratio w₁');
    await widgetShot(w, 'widget-partials-gradient');
    // Every small gradient arrow stands out from the colour under it: WCAG contrast ≥ 3:1 (the
    // minimum for graphics), white on the dark part of the colour scale, ink on the light part.
    const lum = (hex) => {
      const rgb = typeof hex === 'string' ? [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)) : hex;
      const lin = (v) => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
    };
    const fieldArrows = await w.evaluate((el) => el.map.fieldColors);
    assert.ok(fieldArrows.length > 30, `${fieldArrows.length} arrows`);
    // Each points along the gradient in the map's plane (w₂, w₃) at its middle, w₁ held at 1.
    const held = (await w.evaluate((el) => el.weights))[0];
    for (const a of fieldArrows) {
      const [, g2, g3] = gradOf([held, a.x + a.dx / 2, a.y + a.dy / 2]);
      const cross = (a.dx * g3 - a.dy * g2) / (Math.hypot(a.dx, a.dy) * Math.hypot(g2, g3));
      assert.ok(Math.abs(cross) < 1e-9 && a.dx * g2 + a.dy * g3 > 0, `arrow at (${a.x}, ${a.y}) not along the gradient`);
    }
    for (const a of fieldArrows) {
      const [hi, lo] = [lum(a.color), lum(a.under)].sort((p, q) => q - p);
      assert.ok((hi + 0.05) / (lo + 0.05) >= 3, `arrow at (${a.x}, ${a.y}): ${a.color} on rgb(${a.under})`);
    }
    assert.deepEqual([...new Set(fieldArrows.map((a) => a.color))].sort(), ['#1b1f24', '#ffffff']);

    // Keyboard on the w₁ slider: four steps of 0.05 -> w₁ = 1.2.
    await w.getByLabel('Weight w₁', { exact: true }).focus();
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowRight');
    const after = await w.evaluate((el) => ({ w: el.weights, g: el.gradient, loss: el.loss }));
    close(after.w[0], 1.2, 1e-9, 'w₁');
    after.g.forEach((g, j) => close(g, gradOf(after.w)[j], 1e-9, `∂L/∂w${j + 1} at w₁ = 1.2`));
    close(after.loss, lossOf(after.w), 1e-9, 'loss at w₁ = 1.2');

    // The map (w₂ across, w₃ up, w₁ held): while the w₁ slider moves it is drawn on a 41 × 41
    // grid, half a second after the last move on 81 × 81; either way the loss at its grid points.
    const maps = await w.getByLabel('Weight w₁', { exact: true }).evaluate(async (range) => {
      const el = range.getRootNode().host;
      const grid = () => ({ n: el.map.grid.nx, ny: el.map.grid.ny, values: Array.from(el.map.grid.values),
        w: el.weights, moving: el.moving });
      const moveTo = (v) => {
        range.value = String(v);
        range.dispatchEvent(new Event('input', { bubbles: true }));
        return grid();
      };
      const out = [moveTo(1.25), moveTo(1.2)];
      await new Promise((r) => setTimeout(r, 700));
      out.push(grid());
      return out;
    });
    const checkMap = (m, n, what) => {
      assert.equal(m.n, n, `${what}: grid size`);
      assert.equal(m.ny, n, `${what}: grid rows`);
      const step = 7 / (n - 1); // −2 … 5
      for (let r = 0; r < n; r += 1) {
        for (let c = 0; c < n; c += 1) {
          const expected = lossOf([m.w[0], -2 + c * step, -2 + r * step]);
          close(m.values[r * n + c], expected, 1e-9 * Math.max(1, expected), `${what}: loss at cell (${c}, ${r})`);
        }
      }
    };
    assert.deepEqual(maps.map((m) => [m.w[0], m.moving]), [[1.25, true], [1.2, true], [1.2, false]]);
    checkMap(maps[0], 41, 'w₁ = 1.25, moving');
    checkMap(maps[1], 41, 'w₁ = 1.2, moving');
    checkMap(maps[2], 81, 'w₁ = 1.2, at rest');

    // A step against the gradient lowers the loss by the predicted amount.
    await w.getByRole('button', { name: 'Step against the gradient' }).press('Enter');
    const stepped = await w.evaluate((el) => ({ w: el.weights, loss: el.loss }));
    stepped.w.forEach((v, j) => close(v, after.w[j] - 0.01 * after.g[j], 1e-9, `w${j + 1} after the step`));
    assert.ok(stepped.loss < after.loss, `loss went from ${after.loss} to ${stepped.loss}`);

    // Mouse on the heat map (w₂ across, w₃ up, range −2 … 5): the point follows the click.
    const canvas = w.locator('canvas[role=img]');
    const cb = await canvas.boundingBox();
    await page.mouse.click(cb.x + cb.width * 0.5, cb.y + cb.height * 0.5);
    const clicked = await w.evaluate((el) => ({ w: el.weights, g: el.gradient }));
    assert.ok(clicked.w[1] > 0.5 && clicked.w[1] < 2.5 && clicked.w[2] > 0.5 && clicked.w[2] < 2.5,
      `weights after clicking the map centre: ${clicked.w}`);
    clicked.g.forEach((g, j) => close(g, gradOf(clicked.w)[j], 1e-9, `∂L/∂w${j + 1} after the click`));
    // Keyboard on the map: ArrowUp raises w₃ by 1/50 of the range.
    await canvas.focus();
    await page.keyboard.press('ArrowUp');
    close((await w.evaluate((el) => el.weights))[2], clicked.w[2] + 0.14, 0.006, 'w₃ after ArrowUp on the map');
    // Another pair of axes.
    await w.getByLabel('Heat map over').selectOption('w1-w2');
    await frames(page);
    assert.match(await canvas.getAttribute('aria-label'), /loss over w₁ .* and w₂/);
    await widgetShot(w, 'widget-partials-gradient-w1-w2');
    await w.getByRole('button', { name: 'Reset' }).click();
    await assert.doesNotReject(readout(w, 'Loss L').filter({ hasText: /^16$/ }).waitFor());

    await screenshot(page, 'lesson-partial-derivatives-tested');
    await checkPage(page, problems, 'partial-derivatives');
    await page.close();
  });

  test('gradient descent on the 1-D curve: small steps settle, huge steps diverge', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/gradient-descent.html`);
    await waitForWidgets(page);
    const w = page.locator('gradlab-descent-curve');
    await w.scrollIntoViewIfNeeded();
    const waitStatus = (re, timeout = 20000) => readout(w, 'Trainer status').filter({ hasText: re }).waitFor({ timeout });

    // Keyboard: one Step from the start x = 4 with η = 0.05.
    await w.getByRole('button', { name: 'Step', exact: true }).press('Enter');
    close((await w.evaluate((el) => el.point))[0], 4 - 0.05 * wells1d.df(4), 1e-12, 'x after one step');
    close(await w.evaluate((el) => el.loss), wells1d.f(4 - 0.05 * wells1d.df(4)), 1e-12, 'loss after one step');

    // "Too small" (η = 0.01): the loss goes down every step and settles in the valley at 2.99.
    await w.getByRole('button', { name: /Too small/ }).click();
    await waitStatus(/^converged$/);
    const small = await w.evaluate((el) => ({ x: el.point[0], history: el.history, steps: el.steps, min: el.minimumFound }));
    for (let k = 1; k < small.history.length; k += 1) {
      assert.ok(small.history[k] <= small.history[k - 1], `loss rose at step ${k}`);
    }
    const oracle = descend(wells1d.df, 4, 0.01);
    close(small.x, oracle.x, 1e-5, 'end point with η = 0.01');
    assert.ok(Math.abs(small.steps - oracle.steps) <= 2, `steps ${small.steps} vs ${oracle.steps}`);
    assert.equal(small.min.global, false, 'x = 4 leads to a local minimum');
    assert.match(await w.locator('.dw-status').textContent(), /local minimum/);
    await widgetShot(w, 'widget-descent-curve-small');

    // Keyboard on the start slider: 30 steps of 0.1 to the left -> start 1, then Run -> global.
    await w.getByRole('button', { name: /About right/ }).click();
    await waitStatus(/^converged$/);
    await w.getByLabel('Start x', { exact: true }).focus();
    for (let i = 0; i < 30; i += 1) await page.keyboard.press('ArrowLeft');
    close((await w.evaluate((el) => el.point))[0], 1, 1e-9, 'start after ArrowLeft');
    await w.getByRole('button', { name: 'Run' }).click();
    await waitStatus(/^converged$/);
    assert.equal((await w.evaluate((el) => el.minimumFound)).global, true);
    close((await w.evaluate((el) => el.point))[0], 0, 1e-5, 'global minimum');

    // "Far too large" (η = 12): diverged, shown in words, never NaN.
    await w.getByRole('button', { name: /Far too large/ }).click();
    await waitStatus(/^diverged$/);
    assert.match(await w.locator('.dw-diverged').textContent(), /Diverged/);
    assert.ok(Number.isFinite(await w.evaluate((el) => el.loss)));
    await expectNoBadNumbers(page, 'gradient-descent (diverged)');
    await widgetShot(w, 'widget-descent-curve-diverged');

    // "Too large" (η = 1): keeps jumping until the step budget runs out.
    await w.getByRole('button', { name: /^Too large/ }).click();
    await waitStatus(/^max-steps$/, 30000);
    await widgetShot(w, 'widget-descent-curve-too-large');

    // Reset: back to x = 4, η = 0.05, step 0.
    await w.getByRole('button', { name: 'Reset' }).click();
    assert.deepEqual(await w.evaluate((el) => [el.point[0], el.learningRate, el.steps]), [4, 0.05, 0]);
    await page.close();
    assertNoProblems(problems, 'gradient-descent (1-D)');
  });

  test('gradient descent on the 2-D landscape: start by click, converge, diverge', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/gradient-descent.html`);
    await waitForWidgets(page);
    const w = page.locator('gradlab-descent-map');
    await w.scrollIntoViewIfNeeded();
    const waitStatus = (re, timeout = 20000) => readout(w, 'Trainer status').filter({ hasText: re }).waitFor({ timeout });

    // Default start (−2.5, −2.5), η = 0.3: the nearest, shallowest well.
    await w.getByRole('button', { name: 'Run' }).click();
    await waitStatus(/^converged$/);
    let res = await w.evaluate((el) => ({ p: el.point, history: el.history, min: el.minimumFound }));
    assert.equal(res.min.global, false);
    close(res.p[0], -0.767, 0.01, 'x of the shallow well');
    close(res.p[1], -1.549, 0.01, 'y of the shallow well');
    assert.ok(res.history.at(-1) < res.history[0], 'loss decreased');
    await widgetShot(w, 'widget-descent-map');

    // Mouse: click on the map near (2, 2) -> new start; Run -> the deepest well.
    const canvas = w.locator('canvas[role=img]').first();
    const area = await canvas.evaluate((c) => {
      const host = c.getRootNode().host;
      const chart = host.map.chart;
      return { left: chart.chartArea.left, right: chart.chartArea.right, top: chart.chartArea.top,
        bottom: chart.chartArea.bottom };
    });
    const cb = await canvas.boundingBox();
    const px = (x) => cb.x + area.left + ((x + 3) / 6) * (area.right - area.left);
    const py = (y) => cb.y + area.bottom - ((y + 3) / 6) * (area.bottom - area.top);
    await page.mouse.click(px(2), py(2));
    res = await w.evaluate((el) => ({ p: el.point, steps: el.steps }));
    close(res.p[0], 2, 0.1, 'start x from the click');
    close(res.p[1], 2, 0.1, 'start y from the click');
    assert.equal(res.steps, 0);
    await w.getByRole('button', { name: 'Run' }).press('Enter');
    // The status readout still says "converged" (the first run's) until the next frame draws
    // the restarted run: wait for the new run itself to converge.
    await page.waitForFunction((el) => el.steps > 0 && el.minimumFound !== null, await w.elementHandle(), { timeout: 20000 });
    await waitStatus(/^converged$/);
    assert.equal((await w.evaluate((el) => el.minimumFound)).global, true, 'from (2, 2): the deepest well');

    // Far too large: diverged.
    await w.getByRole('button', { name: /Far too large/ }).click();
    await waitStatus(/^diverged$/);
    assert.match(await w.locator('.dw-diverged').textContent(), /Diverged/);
    await widgetShot(w, 'widget-descent-map-diverged');

    await screenshot(page, 'lesson-gradient-descent-tested');
    await checkPage(page, problems, 'gradient-descent');
    await page.close();
  });
});
