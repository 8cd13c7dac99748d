// The middle lessons in headless Chromium: loss functions (MSE / MAE / Huber term by term,
// cross-entropy −ln p), the chain rule on one neuron (computational graph, finite-difference
// check, a step) and linear regression in code (seed002, gradient descent against the normal
// equations). Every number a widget shows is checked against a value computed here independently
// (closed forms, a plain JavaScript gradient-descent loop, a 2 × 2 solve), controls are driven
// with the keyboard and the mouse, and each page must have no console errors, no NaN/Infinity
// and no serious axe violations. Needs dist/ (bash scripts/build.sh); GRADLAB_DIST overrides.

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  assertNoProblems, checkPage, close, closeAll, expectNoBadNumbers, frames, openPage, readout, screenshot,
  shown, waitForWidgets, widgetShot, withSiteAndBrowser,
} from './helpers.mjs';

// --- independent oracles --------------------------------------------------------------------

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const mse = (p, y) => mean(p.map((v, i) => (v - y[i]) ** 2));
const mae = (p, y) => mean(p.map((v, i) => Math.abs(v - y[i])));
const huberTerm = (r, d = 1) => (Math.abs(r) <= d ? 0.5 * r * r : d * (Math.abs(r) - 0.5 * d));
const huber = (p, y) => mean(p.map((v, i) => huberTerm(v - y[i])));
const sigmoid = (z) => 1 / (1 + Math.exp(-z));
/** The neuron of the chain-rule lesson: Loss = 1 − σ(W X). */
const neuron = (w, x) => {
  const y = sigmoid(w * x);
  return { y, loss: 1 - y, grad: -y * (1 - y) * x };
};

const SEED002 = { x: [[1, 1], [1, 2], [2, 2], [2, 3]], y: [1, 2, 2, 3] };
/** Plain full-batch gradient descent on the mean squared error of ŷ = w·x (no bias). */
function linreg(w0, lr, steps) {
  let w = [...w0];
  const { x, y } = SEED002;
  const n = y.length;
  const lossGrad = (v) => {
    let loss = 0;
    const g = [0, 0];
    x.forEach((row, i) => {
      const r = v[0] * row[0] + v[1] * row[1] - y[i];
      loss += (r * r) / n;
      g[0] += (2 * r * row[0]) / n;
      g[1] += (2 * r * row[1]) / n;
    });
    return { loss, g };
  };
  for (let k = 0; k < steps; k += 1) {
    const { g } = lossGrad(w);
    w = [w[0] - lr * g[0], w[1] - lr * g[1]];
  }
  return { w, loss: lossGrad(w).loss };
}






describe('lessons: loss functions, chain rule, linear regression in code', () => {
  let site;
  let browser;
  withSiteAndBrowser((s, b) => { site = s; browser = b; });

  test('loss functions: MSE 0.1 term by term, MAE / Huber / outlier, cross-entropy −ln p', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/loss-functions.html`);
    await waitForWidgets(page);
    const w = page.locator('gradlab-loss-compare');
    await w.scrollIntoViewIfNeeded();
    const targets = [3, 3, 5];
    let preds = [2.5, 3.1, 4.8];

    // The seed's example: (0.25 + 0.01 + 0.04) / 3 = 0.1.
    await assert.doesNotReject(readout(w, 'MSE (engine)').filter({ hasText: /^0\.1$/ }).waitFor());
    close(await w.evaluate((el) => el.loss), 0.1, 1e-12, 'MSE');
    closeAll(await w.evaluate((el) => el.terms), [0.25, 0.01, 0.04], 1e-12, 'squared terms');
    closeAll(await w.evaluate((el) => el.gradient), preds.map((p, i) => (2 / 3) * (p - targets[i])), 1e-12, 'gradient');
    assert.deepEqual((await w.locator('tbody tr td:nth-child(5)').allTextContents()).map(Number), [0.25, 0.01, 0.04]);
    assert.match(await w.locator('.lc-sum').textContent(), /^MSE = \(0\.25 \+ 0\.01 \+ 0\.04\) \/ 3 = 0\.3 \/ 3 = 0\.1$/);
    assert.equal(await shown(readout(w, '∂loss/∂ŷ₁')), -0.33333);
    close(await shown(readout(w, 'MAE (engine)')), mae(preds, targets), 1e-4, 'MAE readout');
    close(await shown(readout(w, 'Huber, δ = 1 (engine)')), huber(preds, targets), 1e-4, 'Huber readout');
    await widgetShot(w, 'widget-loss-compare');

    // Keyboard: the third prediction 4.8 → 5.0 (two steps of 0.1): its term and slope vanish.
    await w.getByLabel('Prediction ŷ₃', { exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    preds = [2.5, 3.1, 5];
    await assert.doesNotReject(readout(w, '∂loss/∂ŷ₃').filter({ hasText: /^0$/ }).waitFor());
    close(await w.evaluate((el) => el.loss), mse(preds, targets), 1e-12, 'MSE after ŷ₃ = 5');

    // Typed value: ŷ₁ = 3 exactly.
    const box = w.getByLabel('Prediction ŷ₁, exact value');
    await box.fill('3');
    await box.press('Enter');
    preds = [3, 3.1, 5];
    close(await w.evaluate((el) => el.loss), mse(preds, targets), 1e-12, 'MSE after ŷ₁ = 3');
    close(await w.evaluate((el) => el.loss), 0.01 / 3, 1e-12, 'only the 0.01 term is left');

    // Mouse: MAE and Huber from the menu, checked against the closed forms.
    await w.getByLabel('Loss', { exact: true }).selectOption('mae');
    close(await w.evaluate((el) => el.loss), mae(preds, targets), 1e-12, 'MAE');
    closeAll(await w.evaluate((el) => el.gradient), [0, 1 / 3, 0], 1e-12, 'MAE slopes');
    await w.getByLabel('Loss', { exact: true }).selectOption('huber');
    close(await w.evaluate((el) => el.loss), huber(preds, targets), 1e-12, 'Huber');

    // Reset, then the outlier: MSE 25.075, MAE 2.7, Huber 2.4125 (the lesson's numbers).
    await w.getByRole('button', { name: 'Reset' }).click();
    assert.equal(await w.evaluate((el) => el.kind), 'mse');
    await w.getByLabel(/Add an outlier/).check();
    await frames(page); // the rows, the sum and the chart are written at the next drawn frame
    const four = { p: [2.5, 3.1, 4.8, 3], y: [3, 3, 5, 13] };
    const losses = await w.evaluate((el) => el.losses);
    close(losses.mse, mse(four.p, four.y), 1e-9, 'MSE with the outlier');
    close(losses.mse, 25.075, 1e-9, 'MSE 25.075');
    close(losses.mae, 2.7, 1e-9, 'MAE 2.7');
    close(losses.huber, huber(four.p, four.y), 1e-9, 'Huber with the outlier');
    assert.equal(await w.locator('tbody tr').count(), 4);
    assert.match(await w.locator('.lc-sum').textContent(), /= 100\.3 \/ 4 = 25\.075$/);
    assert.match(await w.locator('.lc-note').textContent(), /Example 4 contributes 99\.7%/);
    // The outlier's error of 10 widens the chart to ±12: each term curve is sampled every 0.15
    // (161 points, not one every 0.05), from −12 to 12 through 0, each point the closed form.
    const curves = await w.evaluate((el) => el.chart.chart.data.datasets.slice(0, 3).map((d) => d.data));
    for (const [k, term] of [[0, (r) => r * r], [1, Math.abs], [2, (r) => huberTerm(r)]]) {
      const xs = curves[k].map((q) => q.x);
      assert.equal(xs.length, 161, `curve ${k}`);
      close(xs[0], -12, 1e-9, 'left end');
      close(xs[160], 12, 1e-9, 'right end');
      close(xs[80], 0, 1e-9, 'the kink of |r| is a point');
      for (const q of curves[k]) close(q.y, term(q.x), 1e-9, `curve ${k} at ${q.x}`);
    }
    await widgetShot(w, 'widget-loss-compare-outlier');
    await w.getByRole('button', { name: 'Reset' }).click();
    await frames(page);
    assert.equal(await w.locator('tbody tr').count(), 3);
    close(await w.evaluate((el) => el.loss), 0.1, 1e-12, 'MSE after reset');
    await frames(page, 2);
    assert.equal(await w.evaluate((el) => el.chart.chart.options.scales.x.max), 2, 'errors of 0.5 or less: ±2');

    // A drag of ŷ₁ to 15 (error 12: the chart widens to ±18, the first range above 12.5) and back
    // to 2.5 keeps ±18 while the slider moves; half a second after the last move it is ±2 again.
    const drag = await w.evaluate(async (el) => {
      const range = el.shadowRoot.querySelector('input[type=range]');
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const moveTo = async (v) => {
        range.value = String(v);
        range.dispatchEvent(new Event('input', { bubbles: true }));
        await frame();
        return [el.chart.chart.options.scales.x.max, el.moving];
      };
      return [await moveTo(15), await moveTo(8), await moveTo(2.5)];
    });
    assert.deepEqual(drag, [[18, true], [18, true], [18, true]]);
    await page.waitForTimeout(700);
    await frames(page, 2);
    assert.deepEqual(await w.evaluate((el) => [el.chart.chart.options.scales.x.max, el.moving]), [2, false]);

    // Cross-entropy: −ln 0.8 = 0.2231, −ln 0.1 = 2.3026; slopes −1/p and p − 1.
    const ce = page.locator('gradlab-loss-crossentropy');
    await ce.scrollIntoViewIfNeeded();
    await assert.doesNotReject(readout(ce, 'Loss −ln p').filter({ hasText: /^0\.22314$/ }).waitFor());
    close(await ce.evaluate((el) => el.loss), -Math.log(0.8), 1e-12, '−ln 0.8');
    close(await ce.evaluate((el) => el.slope), -1.25, 1e-12, 'dL/dp at 0.8');
    close(await ce.evaluate((el) => el.scoreSlope), -0.2, 1e-12, 'dL/dz at 0.8');
    close(await ce.evaluate((el) => el.score), Math.log(4), 1e-12, 'z at 0.8');
    await widgetShot(ce, 'widget-loss-crossentropy');

    await ce.getByRole('button', { name: 'p = 0.1' }).click();
    await assert.doesNotReject(readout(ce, 'Loss −ln p').filter({ hasText: /^2\.3026$/ }).waitFor());
    close(await ce.evaluate((el) => el.loss), 2.302585092994046, 1e-12, '−ln 0.1');
    close(await ce.evaluate((el) => el.slope), -10, 1e-9, 'dL/dp at 0.1');
    assert.equal(await shown(readout(ce, 'Slope dL/dp')), -10);
    assert.match(await ce.locator('.ce-say').textContent(), /confident mistake/);
    await widgetShot(ce, 'widget-loss-crossentropy-p01');

    // A learning step on the score from p = 0.1 (η = 1): z ← z − (p − 1).
    await ce.getByRole('button', { name: 'Take a learning step' }).press('Enter');
    const z1 = Math.log(0.1 / 0.9) + 0.9;
    const step = await ce.evaluate((el) => el.lastStep);
    close(step.to, sigmoid(z1), 1e-12, 'p after a step');
    close(step.lossAfter, -Math.log(sigmoid(z1)), 1e-12, 'loss after a step');
    assert.ok(step.to > 2 * 0.1, `one step from 0.1 more than doubles p (got ${step.to})`);
    await frames(page);
    assert.match(await ce.locator('.ce-step').textContent(), /p goes from 0\.1 to 0\.21463/);

    // Keyboard on the p slider: from 0.8, three steps of 0.01 up.
    await ce.getByRole('button', { name: 'Reset' }).click();
    await ce.getByLabel('Probability p of the correct class', { exact: true }).focus();
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
    close(await ce.evaluate((el) => el.p), 0.83, 1e-9, 'p after ArrowRight');
    close(await ce.evaluate((el) => el.loss), -Math.log(0.83), 1e-9, '−ln 0.83');
    close(await ce.evaluate((el) => el.slope), -1 / 0.83, 1e-9, '−1/0.83');

    await screenshot(page, 'lesson-loss-functions-tested');
    await checkPage(page, problems, 'loss-functions');
    await page.close();
  });

  test('chain rule: graph values and partials, finite-difference check, a step', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/chain-rule.html`);
    await waitForWidgets(page);
    const w = page.locator('gradlab-chain-graph');
    await w.scrollIntoViewIfNeeded();

    const at = async () => w.evaluate((el) => ({ w: el.w, x: el.x, y: el.y, loss: el.loss, grad: el.gradient,
      gradX: el.gradientX, local: el.local, product: el.chainProduct, fd: el.finiteDifference,
      rel: el.relativeError, check: el.gradcheck }));
    const expectNeuron = (s, what) => {
      const o = neuron(s.w, s.x);
      close(s.y, o.y, 1e-12, `${what}: y`);
      close(s.loss, o.loss, 1e-12, `${what}: loss`);
      close(s.grad, o.grad, 1e-12, `${what}: dLoss/dW`);
      close(s.gradX, -o.y * (1 - o.y) * s.w, 1e-12, `${what}: dLoss/dX`);
      close(s.local.dydz, o.y * (1 - o.y), 1e-12, `${what}: dy/dz`);
      assert.equal(s.local.dLdy, -1);
      close(s.local.dzdW, s.x, 0, `${what}: dz/dW`);
      close(s.product, o.grad, 1e-12, `${what}: chain product`);
      close(s.fd, o.grad, 1e-7, `${what}: finite difference`);
      assert.ok(s.rel < 1e-6, `${what}: relative error ${s.rel}`);
      assert.ok(s.check.ok, `${what}: engine gradcheck`);
    };

    // W = 0.5, X = 2: y = 0.731059, Loss = 0.268941, dLoss/dW = −0.393224.
    await assert.doesNotReject(readout(w, '∂Loss/∂W (engine backward)').filter({ hasText: /^−0\.393224$/ }).waitFor());
    let s = await at();
    assert.deepEqual([s.w, s.x], [0.5, 2]);
    expectNeuron(s, 'start');
    const svgText = await w.locator('svg').textContent();
    for (const text of ['value 0.731059', '∂Loss/∂W', '= −0.393224', '∂y/∂z = y(1 − y)', '= 0.196612', '∂Loss/∂y', '= −1',
      'value 0.268941']) {
      assert.ok(svgText.includes(text), `graph shows "${text}"`);
    }
    assert.match(await w.locator('.cg-chain').textContent(), /\(−1\) × 0\.196612 × 2 = −0\.393224/);
    assert.match(await w.locator('svg title').textContent(), /Loss = 1 − y = 0\.268941/);
    await widgetShot(w, 'widget-chain-graph');

    // Keyboard: W up by four steps of 0.05 → 0.7.
    await w.getByLabel('Weight W', { exact: true }).focus();
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowRight');
    s = await at();
    close(s.w, 0.7, 1e-9, 'W after ArrowRight');
    expectNeuron(s, 'W = 0.7');

    // Typed X = −1.5: the gradient turns positive, a step lowers W.
    const xBox = w.getByLabel('Input X, exact value');
    await xBox.fill('-1.5');
    await xBox.press('Enter');
    s = await at();
    expectNeuron(s, 'X = −1.5');
    assert.ok(s.grad > 0);
    await w.getByRole('button', { name: 'Take a step' }).click();
    const s2 = await at();
    close(s2.w, s.w - 0.1 * s.grad, 1e-12, 'W after a step');
    assert.ok(s2.loss < s.loss, `loss fell from ${s.loss} to ${s2.loss}`);
    // The chart: the loss curve over W at X = −1.5 (161 points, −4 … 4) and the path of the two
    // points visited, each 1 − σ(W X); the graph itself is left at the current W.
    await frames(page, 2);
    const drawn = await w.evaluate((el) => ({ curve: el.chart.chart.data.datasets[0].data, path: el.chart.chart.data.datasets[2].data }));
    assert.equal(drawn.curve.length, 161);
    drawn.curve.forEach((p, k) => {
      close(p.x, -4 + (8 * k) / 160, 1e-12, `curve point ${k}: W`);
      close(p.y, neuron(p.x, -1.5).loss, 1e-12, `curve point ${k}: loss`);
    });
    assert.deepEqual(drawn.path.map((p) => p.x), [s.w, s2.w]);
    drawn.path.forEach((p, k) => close(p.y, neuron(p.x, -1.5).loss, 1e-12, `path point ${k}: loss`));
    expectNeuron(await at(), 'after drawing the curve');

    // X = 0: nothing reaches W.
    await xBox.fill('0');
    await xBox.press('Enter');
    s = await at();
    assert.equal(s.grad, 0);
    assert.equal(s.rel, 0);

    // Reset, then the lesson's step: W = 0.539322, loss 0.253763.
    await w.getByRole('button', { name: 'Reset' }).click();
    s = await at();
    assert.deepEqual([s.w, s.x], [0.5, 2]);
    await w.getByRole('button', { name: 'Take a step' }).click();
    s = await at();
    close(s.w, 0.5 + 0.1 * 0.3932238664829637, 1e-12, 'W after the lesson step');
    close(s.loss, neuron(s.w, 2).loss, 1e-12, 'loss after the lesson step');
    await frames(page);
    assert.match(await w.locator('.cg-panel').nth(1).textContent(), /= 0\.539322.*Loss 0\.268941 → 0\.253763 \(down\)/);
    assert.deepEqual(await w.evaluate((el) => el.steps.length), 2);
    await widgetShot(w, 'widget-chain-graph-step');

    // A large h: the central difference is off, and equals the one computed here.
    await w.getByRole('button', { name: 'Reset' }).click();
    const hBox = w.getByLabel('Finite-difference step h (log scale), exact value');
    await hBox.fill('0.1');
    await hBox.press('Enter');
    s = await at();
    const fd = (neuron(0.6, 2).loss - neuron(0.4, 2).loss) / 0.2;
    close(s.fd, fd, 1e-12, 'central difference with h = 0.1');
    close(s.rel, Math.abs(s.grad - fd) / Math.abs(s.grad), 1e-12, 'relative error with h = 0.1');
    assert.ok(s.rel > 1e-4);
    await frames(page);
    assert.match(await w.locator('.cg-panel').first().textContent(), /Differs/);

    // Removed and put back: the engine graph is released and rebuilt, the numbers come back.
    await w.evaluate((el) => {
      const parent = el.parentNode;
      const next = el.nextSibling;
      el.remove();
      parent.insertBefore(el, next);
    });
    await waitForWidgets(page);
    await assert.doesNotReject(readout(w, '∂Loss/∂W (engine backward)').filter({ hasText: /^−0\.393224$/ }).waitFor());
    expectNeuron(await at(), 'after reconnecting');

    await screenshot(page, 'lesson-chain-rule-tested');
    await checkPage(page, problems, 'chain-rule');
    await page.close();
  });

  test('linear regression in code: 1000 steps reach (0.0650, 0.9520); the normal equations give (0, 1)', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/linear-regression-code.html`);
    await waitForWidgets(page);
    const w = page.locator('gradlab-linreg-code');
    await w.scrollIntoViewIfNeeded();
    const state = () => w.evaluate((el) => ({ w: el.weights, loss: el.loss, steps: el.steps, status: el.status,
      distance: el.distance, exact: el.exact, start: el.startWeights }));
    const waitDone = () => page.waitForFunction(() => {
      const el = document.querySelector('gradlab-linreg-code');
      return !el.looping && ['finished', 'converged', 'diverged'].includes(el.status);
    }, null, { timeout: 20000 });

    // Before running: w = (0, 0), loss (1 + 4 + 4 + 9) / 4 = 4.5; the exact answer (0, 1).
    let s = await state();
    assert.deepEqual(s.w, [0, 0]);
    close(s.loss, 4.5, 1e-12, 'loss at the start');
    assert.equal(s.status, 'ready');
    closeAll(s.exact, [0, 1], 1e-12, 'w*');
    assert.deepEqual(await w.evaluate((el) => el.normalEquations), { xtx: [[10, 13], [13, 18]], xty: [13, 18], det: 11 });
    assert.match(await w.locator('.lr-panel').first().textContent(), /w\* = \(0, 1\) exactly/);

    // Run (mouse): 1000 steps at 0.01, against the plain loop.
    await w.getByRole('button', { name: 'Run' }).click();
    await waitDone();
    s = await state();
    const ref = linreg([0, 0], 0.01, 1000);
    assert.equal(s.steps, 1000);
    assert.equal(s.status, 'finished');
    closeAll(s.w, ref.w, 1e-9, 'w after 1000 steps');
    closeAll(s.w, [0.0650, 0.9520], 5e-5, 'w ≈ (0.0650, 0.9520)');
    close(s.loss, ref.loss, 1e-12, 'loss after 1000 steps');
    close(s.loss, 0.000651, 5e-7, 'loss ≈ 0.000651');
    close(s.distance, Math.hypot(ref.w[0], ref.w[1] - 1), 1e-9, '|w − w*|');
    assert.equal(await readout(w, 'w₁').textContent(), '0.06502');
    assert.equal(await readout(w, 'w₂').textContent(), '0.952');
    assert.match(await w.locator('.lr-code').textContent(), /prints: w = \[0\.0650, 0\.9520\] {2}loss = 0\.000651/);
    const history = await w.evaluate((el) => el.history);
    assert.equal(history.length, 1001);
    assert.ok(history.every((v, k) => k === 0 || v <= history[k - 1]), 'the loss falls at every step');
    await widgetShot(w, 'widget-linreg-code');

    // Keyboard: 5000 iterations typed, Run pressed with Enter: close to (0, 1).
    const it = w.getByLabel('Iterations (log scale), exact value');
    await it.fill('5000');
    await it.press('Enter');
    await w.getByRole('button', { name: 'Run' }).press('Enter');
    await waitDone();
    s = await state();
    const ref5 = linreg([0, 0], 0.01, 5000);
    assert.equal(s.steps, 5000);
    closeAll(s.w, ref5.w, 1e-9, 'w after 5000 steps');
    assert.ok(s.distance < 1e-4, `distance after 5000 steps: ${s.distance}`);

    // Too large a learning rate: diverges, and the page still shows no NaN/Infinity.
    const lr = w.getByLabel('Learning rate (log scale), exact value');
    await lr.fill('0.15');
    await lr.press('Enter');
    await w.getByRole('button', { name: 'Run' }).click();
    await waitDone();
    s = await state();
    assert.equal(s.status, 'diverged');
    assert.match(await w.locator('.lr-diverged').textContent(), /Diverged after \d+ iterations/);
    await expectNoBadNumbers(page, 'diverged run');
    await widgetShot(w, 'widget-linreg-code-diverged');

    // Reset, a random (seeded) start, Step once, then Run: the plain loop from the same start.
    await w.getByRole('button', { name: 'Reset' }).click();
    s = await state();
    assert.deepEqual([s.w, s.steps, s.status], [[0, 0], 0, 'ready']);
    await w.getByLabel('Start', { exact: true }).selectOption('random');
    s = await state();
    assert.ok(s.start.every((v) => v >= -1 && v <= 1) && s.start.some((v) => v !== 0), `random start ${s.start}`);
    assert.deepEqual(s.w, s.start);
    await w.getByRole('button', { name: 'Step once' }).click();
    s = await state();
    closeAll(s.w, linreg(s.start, 0.01, 1).w, 1e-12, 'one step from the random start');
    await w.getByRole('button', { name: 'Run' }).click();
    await waitDone();
    s = await state();
    closeAll(s.w, linreg(s.start, 0.01, 1000).w, 1e-9, 'w after 1000 steps from the random start');
    const first = s.start;
    await w.getByRole('button', { name: 'New random start' }).click();
    s = await state();
    assert.notDeepEqual(s.start, first);
    await widgetShot(w, 'widget-linreg-code-random');

    // Removed and put back: a fresh model and trainer at the attribute values.
    await w.evaluate((el) => {
      const parent = el.parentNode;
      const next = el.nextSibling;
      el.remove();
      parent.insertBefore(el, next);
    });
    await waitForWidgets(page);
    s = await state();
    assert.deepEqual([s.w, s.steps, s.status], [[0, 0], 0, 'ready']);
    assert.match(await w.locator('.lr-code').textContent(), /after 0 of 1000 steps/);

    await screenshot(page, 'lesson-linear-regression-code-tested');
    await checkPage(page, problems, 'linear-regression-code');
    await page.close();
  });

  test('narrow screen: the three pages fit a phone width', async () => {
    for (const name of ['loss-functions', 'chain-rule', 'linear-regression-code']) {
      const { page, problems } = await openPage(browser, `${site.url}lessons/${name}.html`,
        { viewport: { width: 390, height: 844 } });
      await waitForWidgets(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name}: page wider than the screen by ${overflow}px`);
      const widget = page.locator(name === 'loss-functions' ? 'gradlab-loss-compare'
        : name === 'chain-rule' ? 'gradlab-chain-graph' : 'gradlab-linreg-code');
      await widgetShot(widget, `widget-${name}-narrow`);
      await expectNoBadNumbers(page, name);
      assertNoProblems(problems, name);
      await page.close();
    }
  });
});
