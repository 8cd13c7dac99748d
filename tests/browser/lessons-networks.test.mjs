// The network lessons in headless Chromium: backpropagation (an MLP learning 2-D data, the chain
// for one weight, vanishing gradients) and attribution (gradients of a trained classifier's
// prediction with respect to its inputs). Numbers the widgets show are checked against values
// computed here in plain JavaScript (forward passes written out, central differences), controls
// are driven with the keyboard and the mouse, and each page must have no console errors, no
// NaN/Infinity and no serious axe violations. Needs dist/ (bash scripts/build.sh);
// GRADLAB_DIST overrides.

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  checkPage, close, closeAll, frames, openPage, parseShown, readout, screenshot, shown, waitForWidgets,
  widgetShot, withSiteAndBrowser,
} from './helpers.mjs';

// --- independent oracles --------------------------------------------------------------------

const sigmoid = (z) => 1 / (1 + Math.exp(-z));
/** Binary cross-entropy of one example from the logit z: log(1 + e^z) − y z. */
const bceLogit = (z, y) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y * z;

/** 2 → 2 (tanh) → 1 network, parameters in the engine's order W1 (2×2 row-major), b1, W2, b2. */
function tinyLoss(p, x, y) {
  const a = [0, 1].map((j) => Math.tanh(x[0] * p[j] + x[1] * p[2 + j] + p[4 + j]));
  return bceLogit(a[0] * p[6] + a[1] * p[7] + p[8], y);
}

/** 3 → 8 (tanh) → 1 (sigmoid) network: W1 (3×8 row-major), b1 (8), W2 (8×1), b2. */
function examNet(p, x) {
  let z = p[40];
  for (let j = 0; j < 8; j += 1) {
    let s = p[24 + j];
    for (let k = 0; k < 3; k += 1) s += x[k] * p[k * 8 + j];
    z += Math.tanh(s) * p[32 + j];
  }
  return sigmoid(z);
}

/**
 * P(class 1) of an MLP from the engine's flat parameters (per layer: W as inputs × outputs
 * row-major, then the biases), hidden activation `act`, sigmoid output.
 */
function mlpProbability(p, sizes, act, x) {
  const f = { tanh: Math.tanh, sigmoid, relu: (z) => Math.max(z, 0) }[act];
  let a = x;
  let offset = 0;
  for (let l = 1; l < sizes.length; l += 1) {
    const [rows, cols] = [sizes[l - 1], sizes[l]];
    const z = [];
    for (let j = 0; j < cols; j += 1) {
      let s = p[offset + rows * cols + j];
      for (let k = 0; k < rows; k += 1) s += a[k] * p[offset + k * cols + j];
      z.push(s);
    }
    offset += rows * cols + cols;
    a = l === sizes.length - 1 ? z.map(sigmoid) : z.map(f);
  }
  return a[0];
}

/** Central difference of f at x along coordinate j. */
function central(f, x, j, h) {
  const up = [...x];
  const down = [...x];
  up[j] += h;
  down[j] -= h;
  return (f(up) - f(down)) / (2 * h);
}


/**
 * In the page: redraw backprop-net's gradient bars and return the names it writes under the bars ([text, x] from
 * fillText) and the x of each drawn bar. The chart writes its names into a layer kept while they
 * stay (copied under the plot at each redraw); the layer is dropped first so that they are
 * written again. (That a kept layer shows the current names is the kept-pictures test's part.)
 * (Passed to evaluate as its function.)
 */
function namesUnderBars(el) {
  const chart = el.normsChart;
  const proto = CanvasRenderingContext2D.prototype;
  const own = proto.fillText;
  const drawn = [];
  proto.fillText = function fillText(text, x, y) {
    drawn.push([text, x]);
    return own.call(this, text, x, y);
  };
  try {
    chart._namesKey = '';
    chart.update();
  } finally {
    proto.fillText = own;
  }
  const values = chart.chart.data.datasets[0].data;
  const bars = chart.chart.getDatasetMeta(0).data.filter((_, k) => values[k] !== null).map((bar) => bar.x);
  return { drawn: drawn.filter(([text]) => text.startsWith('W')), bars, area: chart.chart.chartArea };
}

const relClose = (a, b, rel, what) =>
  close(a, b, rel * Math.max(Math.abs(a), Math.abs(b), 1e-12), what);



describe('lessons: backpropagation, attribution', () => {
  let site;
  let browser;
  withSiteAndBrowser((s, b) => { site = s; browser = b; });
  /** A lesson page with its widgets ready, and the first `tag` widget scrolled into view. */
  const openWidget = async (lesson, tag, options) => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/${lesson}.html`, options);
    await waitForWidgets(page);
    const w = page.locator(tag);
    await w.scrollIntoViewIfNeeded();
    return { page, problems, w };
  };

  test('backpropagation by hand: forward and backward one node at a time, the lesson\'s numbers', async () => {
    const { page, problems, w } = await openWidget('backpropagation', 'gradlab-backprop-steps');
    // Oracle: the network written out, its chain rule, and a central difference.
    const lossOf = ({ w1, b1, w2, b2 }, act = Math.tanh, x = 2, y = 1) => (w2 * act(w1 * x + b1) + b2 - y) ** 2;
    const start = { w1: 0.5, b1: 0, w2: 1.5, b2: 0 };
    const hv = Math.tanh(1);
    const gy = 2 * (1.5 * hv - 1);
    const expected = { yhat: gy, w2: gy * hv, b2: gy, h: gy * 1.5, a: gy * 1.5 * (1 - hv * hv),
      w1: gy * 1.5 * (1 - hv * hv) * 2, b1: gy * 1.5 * (1 - hv * hv) };
    // The lesson's hand-worked numbers (six decimals).
    const lesson = { yhat: 0.284782, w2: 0.216889, b2: 0.284782, h: 0.427174, a: 0.179402, w1: 0.358804, b1: 0.179402 };
    for (const k of Object.keys(lesson)) close(expected[k], lesson[k], 5e-7, `oracle vs lesson ${k}`);

    assert.equal(await w.evaluate((el) => el.forwardShown), 0);
    const backward = w.getByRole('button', { name: 'Backward: next gradient' });
    assert.equal(await backward.isDisabled(), true);
    // Keyboard: Forward four times.
    const forward = w.getByRole('button', { name: 'Forward: next node' });
    await forward.focus();
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('Enter');
    assert.equal(await w.evaluate((el) => el.forwardShown), 4);
    // At once after the last press, not a frame later; the focus moves on to Backward.
    assert.deepEqual(await w.evaluate((el) => [
      [...el.shadowRoot.querySelectorAll('button')].find((b) => b.textContent === 'Forward: next node').disabled,
      el.shadowRoot.activeElement?.textContent]), [true, 'Backward: next gradient']);
    assert.equal(await forward.isDisabled(), true);
    const values = await w.evaluate((el) => el.values);
    close(values.a, 1, 1e-12, 'a');
    close(values.h, hv, 1e-12, 'h');
    close(values.loss, lossOf(start), 1e-12, 'L');
    close(values.loss, 0.020275, 5e-7, 'L (lesson)');
    // Mouse: Backward eight times; each press adds one line.
    for (let i = 0; i < 8; i += 1) await backward.click();
    assert.equal(await w.evaluate((el) => el.backwardShown), 8);
    await frames(page); // the lines are written at the next drawn frame
    const lines = await w.locator('.bs-steps li').allTextContents();
    assert.equal(lines.length, 12);
    assert.match(lines[4], /Start at the loss/);
    assert.match(lines[6], /∂L\/∂w₂ = ∂L\/∂ŷ × h = 0\.284782 × 0\.761594 = 0\.216889/);
    assert.match(lines[11], /∂L\/∂b₁ = ∂L\/∂a × 1 = 0\.179402/);
    const grads = await w.evaluate((el) => el.gradients);
    for (const k of Object.keys(expected)) close(grads[k], expected[k], 1e-12, `∂L/∂${k}`);
    const fd = await w.evaluate((el) => el.finiteDifferences);
    for (const k of ['w1', 'b1', 'w2', 'b2']) {
      const up = { ...start, [k]: start[k] + 1e-6 };
      const down = { ...start, [k]: start[k] - 1e-6 };
      close(fd[k], (lossOf(up) - lossOf(down)) / 2e-6, 1e-7, `central difference ${k}`);
      close(fd[k], expected[k], 1e-6, `central difference vs chain ${k}`);
    }
    const cells = await w.locator('tbody tr td:nth-child(3)').allTextContents();
    assert.deepEqual(cells, ['0.358804', '0.179402', '0.216889', '0.284782']);
    await widgetShot(w, 'widget-backprop-steps');

    // A slider move rewrites the numbers in place: the same list items and table rows stay in
    // the page (rebuilding them made the browser restyle and lay out all of them per move).
    const kept = await w.evaluate((el) => {
      window.keptNodes = [...el.shadowRoot.querySelectorAll('.bs-graph li, .bs-steps li, tbody tr')];
      return { count: window.keptNodes.length, first: el.shadowRoot.querySelector('.bs-steps li').textContent };
    });
    assert.ok(kept.count >= 12 + 4, `${kept.count} nodes`);
    const xRange = w.getByRole('slider', { name: 'Input x' });
    await xRange.focus();
    const firstStep = () => w.evaluate((el) => el.shadowRoot.querySelector('.bs-steps li').textContent);
    const settle = async (want) => { // the widget redraws on the next animation frame
      for (let i = 0; i < 50 && (await firstStep() === kept.first) !== want; i += 1) await page.waitForTimeout(20);
    };
    await page.keyboard.press('ArrowRight');
    await settle(false);
    const moved = await w.evaluate((el) => ({
      first: el.shadowRoot.querySelector('.bs-steps li').textContent,
      same: window.keptNodes.every((n) => n.isConnected),
    }));
    assert.notEqual(moved.first, kept.first, 'the first step did not follow x');
    assert.match(moved.first, /× 2\.1 /);
    assert.equal(moved.same, true, 'a slider move replaced the list or table nodes');
    await page.keyboard.press('ArrowLeft');
    await settle(true);
    assert.equal(await firstStep(), kept.first);

    // One training step with η = 0.1: the lesson's new parameters and loss.
    await w.getByRole('button', { name: /Take a training step/ }).click();
    await frames(page);
    const p = await w.evaluate((el) => el.parameters);
    close(p.w1, 0.464120, 5e-7, 'w1 after the step');
    close(p.b1, -0.017940, 5e-7, 'b1 after the step');
    close(p.w2, 1.478311, 5e-7, 'w2 after the step');
    close(p.b2, -0.028478, 5e-7, 'b2 after the step');
    const stepped = await w.evaluate((el) => el.lastStep);
    close(stepped.after, lossOf(p), 1e-12, 'loss after the step');
    close(stepped.after, 0.001428, 5e-7, 'loss after the step (lesson)');
    assert.match(await w.locator('.bs-note').textContent(), /from 0\.0202753 to 0\.00142/);

    // Question 2 of the lesson: ReLU with the starting numbers gives ∂L/∂w₁ = 3.
    await w.getByRole('button', { name: 'Reset' }).click();
    await w.getByLabel('Activation').selectOption('relu');
    await w.getByRole('button', { name: 'Show all' }).click();
    close((await w.evaluate((el) => el.gradients)).w1, 3, 1e-12, 'ReLU ∂L/∂w₁');
    // Keyboard on a slider: x from 2 to 0 makes ∂L/∂w₁ exactly 0 (question 1).
    await w.getByLabel('Input x', { exact: true }).focus();
    for (let i = 0; i < 20; i += 1) await page.keyboard.press('ArrowLeft');
    close((await w.evaluate((el) => el.gradients)).w1, 0, 1e-12, '∂L/∂w₁ at x = 0');
    await w.getByRole('button', { name: 'Clear' }).click();
    assert.equal(await w.evaluate((el) => el.backwardShown), 0);
    await checkPage(page, problems, 'backpropagation (by hand)');
    await page.close();
  });

  test('backpropagation: chain for one weight = plain-JS central difference on a tiny fixed network', async () => {
    const { page, problems, w } = await openWidget('backpropagation', 'gradlab-backprop-net');
    assert.match(await w.locator('.bn-status').textContent(), /press Run or Step/);
    await widgetShot(w, 'widget-backprop-net-start');

    // A tiny network: 1 hidden layer of 2 tanh neurons, with parameters chosen here.
    await w.evaluate((el) => { el.setAttribute('depth', '1'); el.setAttribute('width', '2'); });
    assert.deepEqual(await w.evaluate((el) => el.layout.map((b) => `${b.name}:${b.rows}x${b.cols}`)),
      ['W1:2x2', 'b1:1x2', 'W2:2x1', 'b2:1x1']);
    const params = [0.8, -0.6, 0.5, 1.1, 0.1, -0.2, 1.3, -0.9, 0.05];
    await w.evaluate((el, p) => { el.parameters = p; }, params);
    assert.deepEqual(Array.from(await w.evaluate((el) => Array.from(el.parameters))), params);

    // Keyboard: the weight from x₂ (ArrowDown on the input select), neuron 2 (select), example 5 (typed).
    await w.getByLabel('Weight from input').focus();
    await page.keyboard.press('ArrowDown');
    await w.getByLabel('to neuron of hidden layer 1').selectOption('1');
    const exampleBox = w.getByLabel('Training example number, exact value');
    await exampleBox.fill('5');
    await exampleBox.press('Enter');
    const chain = await w.evaluate((el) => el.chain);
    assert.equal(chain.input, 1);
    assert.equal(chain.neuron, 1);
    assert.equal(chain.example, 4);
    const data = await w.evaluate((el) => ({ x: Array.from(el.data.x.slice(8, 10)), y: el.data.y[4] }));
    assert.deepEqual(chain.x, data.x);

    // Oracle: nudge W1[x₂ → 2] (parameter index 1·2 + 1 = 3) both ways in a plain-JS forward pass.
    const f = (p) => tinyLoss(p, data.x, data.y);
    const fd = central(f, params, 3, 1e-6);
    const a = [0, 1].map((j) => Math.tanh(data.x[0] * params[j] + data.x[1] * params[2 + j] + params[4 + j]));
    const p = sigmoid(a[0] * params[6] + a[1] * params[7] + params[8]);
    const analytic = data.x[1] * (1 - a[1] ** 2) * params[7] * (p - data.y);
    relClose(fd, analytic, 1e-6, 'oracle: central difference vs chain rule');
    relClose(chain.byChain, fd, 1e-6, 'widget chain vs central difference');
    relClose(chain.engine, fd, 1e-6, 'engine backprop vs central difference');
    relClose(chain.finiteDifference, fd, 1e-5, 'widget central difference');
    // What is on screen (7 significant digits).
    relClose(await shown(readout(w, 'by the chain above')), fd, 1e-5, 'displayed chain');
    relClose(await shown(readout(w, 'from the engine')), fd, 1e-5, 'displayed engine');
    relClose(await shown(readout(w, 'Central difference')), fd, 1e-4, 'displayed central difference');
    const steps = await w.locator('.bn-chain li').allTextContents();
    assert.equal(steps.length, 5, steps.join('\n'));
    assert.match(steps[2], /through weight −0\.9/);
    await widgetShot(w, 'widget-backprop-net-tiny');

    // Mouse: clicking near the middle of the picture follows the nearest example.
    const canvas = w.locator('.gl-chart canvas[role=img]').first();
    const box = await canvas.boundingBox();
    const area = await w.evaluate((el) => el.boundary.chart.chartArea);
    await page.mouse.click(box.x + (area.left + area.right) / 2, box.y + (area.top + area.bottom) / 2);
    const picked = await w.evaluate((el) => el.chain);
    assert.ok(Math.hypot(picked.x[0], picked.x[1]) < 2, `picked example at ${picked.x}`);

    // Reset: back to the attributes' network (now 1 layer of 2) with fresh weights; without the
    // attributes, back to the lesson's 2 layers of 6.
    await w.getByLabel('Activation of hidden layers').selectOption('relu');
    await w.getByRole('button', { name: 'Reset' }).click();
    assert.deepEqual(await w.evaluate((el) => el.settings),
      { dataset: 'circle', activation: 'tanh', depth: 1, width: 2, learningRate: 0.03, optimizer: 'adam' });
    assert.notDeepEqual(Array.from(await w.evaluate((el) => Array.from(el.parameters))), params);
    await w.evaluate((el) => { el.removeAttribute('depth'); el.removeAttribute('width'); });
    assert.deepEqual(await w.evaluate((el) => el.settings),
      { dataset: 'circle', activation: 'tanh', depth: 2, width: 6, learningRate: 0.03, optimizer: 'adam' });
    assert.equal(await w.evaluate((el) => el.steps), 0);
    assert.equal(await w.getByLabel('Hidden layers', { exact: true }).inputValue(), '2');
    await checkPage(page, problems, 'backpropagation (tiny network)');
    await page.close();
  });

  test('backpropagation: training lowers the loss on circle (mouse) and xor (keyboard)', async () => {
    const { page, problems, w } = await openWidget('backpropagation', 'gradlab-backprop-net');

    const circle0 = await w.evaluate((el) => el.loss);
    const run = w.getByRole('button', { name: 'Run' });
    await run.click();
    await page.waitForFunction(() => document.querySelector('gradlab-backprop-net').steps >= 300, null, { timeout: 30000 });
    await w.getByRole('button', { name: 'Pause' }).click();
    const circle = await w.evaluate((el) => ({ loss: el.loss, acc: el.accuracy, history: el.history, steps: el.steps }));
    assert.ok(circle.loss < 0.3 * circle0, `circle: loss ${circle0} -> ${circle.loss}`);
    assert.ok(circle.acc > 0.9, `circle accuracy ${circle.acc}`);
    assert.equal(circle.history.length, circle.steps + 1);
    close(circle.history[0], circle0, 1e-12, 'history[0]');
    // (The status line is rewritten by the widget's next frame, not by the click itself.)
    await assert.doesNotReject(w.locator('.bn-status').filter({ hasText: /Paused after \d+ steps/ }).waitFor());
    close(await shown(readout(w, 'Loss (cross-entropy)')), circle.loss, 1e-4 + 1e-4 * circle.loss, 'loss readout');
    await widgetShot(w, 'widget-backprop-net-circle-trained');

    // Keyboard: the data set select (circle -> xor is one ArrowUp), then Run / Pause with Space.
    await w.getByLabel('Data set').focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await w.evaluate((el) => el.settings.dataset), 'xor');
    assert.equal(await w.evaluate((el) => el.steps), 0);
    const xor0 = await w.evaluate((el) => el.loss);
    await w.getByRole('button', { name: 'Run' }).focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('gradlab-backprop-net').steps >= 300, null, { timeout: 30000 });
    await page.keyboard.press('Space'); // the same button, now "Pause"
    const xor = await w.evaluate((el) => ({ loss: el.loss, acc: el.accuracy, looping: el.looping }));
    assert.equal(xor.looping, false);
    assert.ok(xor.loss < 0.3 * xor0, `xor: loss ${xor0} -> ${xor.loss}`);
    assert.ok(xor.acc > 0.9, `xor accuracy ${xor.acc}`);
    await widgetShot(w, 'widget-backprop-net-xor-trained');

    // Step: exactly one more step.
    const before = await w.evaluate((el) => el.steps);
    await w.getByRole('button', { name: 'Step' }).click();
    assert.equal(await w.evaluate((el) => el.steps), before + 1);

    // Removed and put back: engine objects released and rebuilt.
    await w.evaluate((el) => {
      const parent = el.parentNode;
      const next = el.nextSibling;
      el.remove();
      parent.insertBefore(el, next);
    });
    await waitForWidgets(page);
    assert.equal(await w.evaluate((el) => el.steps), 0);
    await checkPage(page, problems, 'backpropagation (training)');
    await page.close();
  });

  test('backpropagation: the probability map while the neurons slider moves (30 × 30) and at rest (60 × 60)', async () => {
    const { page, problems, w } = await openWidget('backpropagation', 'gradlab-backprop-net');
    const maps = await w.getByLabel('Neurons per hidden layer', { exact: true }).evaluate(async (range) => {
      const el = range.getRootNode().host;
      const grid = () => ({ n: el.boundary.grid.nx, ny: el.boundary.grid.ny, values: Array.from(el.boundary.grid.values),
        params: Array.from(el.parameters), settings: el.settings, moving: el.moving });
      const moveTo = async (v) => {
        range.value = String(v);
        range.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))); // drawn
        return grid();
      };
      const start = Number(range.value);
      const out = [await moveTo(start + 1), await moveTo(start)];
      await new Promise((r) => setTimeout(r, 700)); // past settled() (500 ms after the last move)
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))); // and its redraw
      out.push(grid());
      return out;
    });
    assert.deepEqual(maps.map((m) => m.moving), [true, true, false]);
    assert.equal(maps[0].settings.width, maps[1].settings.width + 1);
    for (const [m, n] of [[maps[0], 30], [maps[1], 30], [maps[2], 60]]) {
      const { depth, width, activation } = m.settings;
      const what = `${depth} × ${width} ${activation}, ${m.moving ? 'moving' : 'at rest'}`;
      assert.equal(m.n, n, `${what}: grid size`);
      assert.equal(m.ny, n, `${what}: grid rows`);
      const sizes = [2, ...Array(depth).fill(width), 1];
      const step = 14 / (n - 1); // −7 … 7
      for (let r = 0; r < n; r += 1) {
        for (let c = 0; c < n; c += 1) {
          const expected = mlpProbability(m.params, sizes, activation, [-7 + c * step, -7 + r * step]);
          close(m.values[r * n + c], expected, 1e-9, `${what}: P(class 1) at cell (${c}, ${r})`);
        }
      }
    }
    await checkPage(page, problems, 'backpropagation (map resolution)');
    await page.close();
  });

  test('backpropagation: a neurons-slider move rewrites only what changed; the chain out of sight waits for rest', async () => {
    const { page, problems, w } = await openWidget('backpropagation', 'gradlab-backprop-net',
      { viewport: { width: 1280, height: 700 } });
    const r = await w.getByLabel('Neurons per hidden layer', { exact: true }).evaluate(async (range) => {
      const el = range.getRootNode().host;
      const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
      range.scrollIntoView({ block: 'center', behavior: 'instant' });
      await frame();
      await frame(); // the chain section's visibility is reported
      const below = el.chainSection.getBoundingClientRect().top - innerHeight;
      const lossOut = el.out.loss.output;
      const lossNode = lossOut.firstChild;
      const select = el.chainControls.neuron.select;
      const firstOption = select.options[0];
      const heading = () => el.chainHeading.textContent;
      const label = () => el.lossChart.canvas.getAttribute('aria-label');
      const before = { heading: heading(), weight: el.chain.weight, loss: lossOut.textContent, label: label() };
      // Count loss-chart redraws and data-point paintings (Chart.js's point element).
      let lossRedraws = 0;
      const update = el.lossChart.update;
      el.lossChart.update = function counted() { lossRedraws += 1; return update.call(this); };
      const meta = (i) => el.boundary.chart.getDatasetMeta(i);
      const pointProto = Object.getPrototypeOf(meta(0).data[0]);
      let pointDraws = 0; // of the two classes' points (not the ring, not other charts)
      const pointDraw = pointProto.draw;
      pointProto.draw = function counted(...args) {
        if (meta(0).data.includes(this) || meta(1).data.includes(this)) pointDraws += 1;
        return pointDraw.apply(this, args);
      };
      try {
        const moves = [];
        const start = Number(range.value);
        for (const v of [start + 1, start + 2]) {
          range.value = String(v);
          range.dispatchEvent(new Event('input', { bubbles: true }));
          await frame();
          moves.push({ moving: el.moving, width: el.settings.width, options: select.options.length,
            sameFirstOption: select.options[0] === firstOption, sameTextNode: lossOut.firstChild === lossNode,
            loss: lossOut.textContent, heading: heading(), probeMade: el.probe !== null, // before `chain` asks
            weight: el.chain.weight, lossRedraws, pointDraws });
        }
        await new Promise((done) => setTimeout(done, 700)); // past settled()
        await frame();
        await frame();
        const rest = { moving: el.moving, heading: heading(), weight: el.chain.weight, lossRedraws, label: label(),
          weightShown: heading().includes(String(el.chain.weight).slice(0, 5)) };
        el.step(1);
        await frame();
        const afterStep = lossRedraws;
        // Two new networks from the activation list (no slider, so no hold): the first replaces a
        // line (redrawn), the second one loss by another (no redraw, but the text follows).
        const activation = el.controls.activation.select;
        const pick = async (value) => {
          activation.value = value;
          activation.dispatchEvent(new Event('change'));
          await frame();
          return { label: label(), lossRedraws, moving: el.moving };
        };
        const picks = [await pick('sigmoid'), await pick('relu')];
        return { below, before, moves, rest, afterStep, picks, start };
      } finally {
        el.lossChart.update = update;
        pointProto.draw = pointDraw;
      }
    });
    assert.ok(r.below > 100, `the chain section should start out of sight below the slider (${r.below} px below)`);
    r.moves.forEach((m, k) => {
      const what = `move ${k + 1} (width ${m.width})`;
      assert.equal(m.moving, true, what);
      assert.equal(m.width, r.start + k + 1, what);
      assert.equal(m.options, m.width, `${what}: one neuron option per neuron`);
      assert.ok(m.sameFirstOption, `${what}: the neuron options were rebuilt, not extended`);
      assert.ok(m.sameTextNode, `${what}: the loss readout's text node was replaced, not rewritten`);
      assert.notEqual(m.loss, r.before.loss, `${what}: the loss readout shows the new network's loss`);
      assert.equal(m.heading, r.before.heading, `${what}: the chain out of sight was rewritten while the slider moved`);
      assert.equal(m.probeMade, false, `${what}: the chain was computed though it waits`);
      assert.notEqual(m.weight, r.before.weight, `${what}: the chain property follows the new network`);
      assert.equal(m.lossRedraws, 0, `${what}: the loss chart (one loss, no line) was redrawn`);
      assert.equal(m.pointDraws, 0, `${what}: the data points were painted again`);
    });
    assert.equal(r.rest.moving, false);
    assert.notEqual(r.rest.heading, r.before.heading, 'at rest the chain shows the new network');
    assert.equal(r.rest.weight, r.moves[1].weight);
    assert.ok(r.rest.weightShown, `at rest the chain heading shows w = ${r.rest.weight}: ${r.rest.heading}`);
    assert.ok(r.rest.lossRedraws >= 1, 'at rest the loss chart is drawn again');
    assert.notEqual(r.rest.label, r.before.label, 'at rest the loss chart\'s text describes the new network');
    assert.ok(r.afterStep > r.rest.lossRedraws, 'a training step redraws the loss chart');
    const [sigmoid, relu] = r.picks;
    assert.ok(!sigmoid.moving && !relu.moving);
    assert.equal(sigmoid.lossRedraws, r.afterStep + 1, 'a new network after training redraws the loss chart');
    assert.equal(relu.lossRedraws, sigmoid.lossRedraws, 'one starting loss after another: no redraw');
    assert.notEqual(relu.label, sigmoid.label, 'the loss chart\'s text describes the newest network');
    await checkPage(page, problems, 'backpropagation (neurons drag)');
    await page.close();
  });

  test('backpropagation: the data points\' layer gives the pixels Chart.js draws, and follows new points', async () => {
    const { page, problems, w } = await openWidget('backpropagation', 'gradlab-backprop-net');
    const r = await w.evaluate((el) => {
      const c = el.boundary;
      const { canvas } = c.chart;
      const pixels = () => canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      // Channels more than 2/255 apart, and the largest difference: a point's anti-aliased edge
      // is blended twice on the layer's way (into the transparent layer, then onto the chart).
      const compare = (a, b) => {
        let differing = 0;
        let largest = 0;
        for (let i = 0; i < a.length; i += 1) {
          const d = Math.abs(a[i] - b[i]);
          if (d > 2) differing += 1;
          if (d > largest) largest = d;
        }
        return { differing, largest, size: a.length };
      };
      const own = c._drawDataset;
      const both = () => {
        c.update();
        const layered = pixels();
        c._drawDataset = () => true; // Chart.js draws the two class datasets itself
        c.update();
        const direct = pixels();
        c._drawDataset = own;
        return compare(layered, direct);
      };
      const same = both();
      // New points (every point moved right by 1.5): the layer is painted again.
      const { x, y } = el.data;
      const moved = Float64Array.from(x, (v, i) => (i % 2 === 0 ? v + 1.5 : v));
      c.setPoints(moved, y);
      const after = both();
      const movedAway = compare(pixels(), (() => { c.setPoints(x, y); c.update(); return pixels(); })());
      return { same, after, movedAway };
    });
    for (const [name, d] of [['as loaded', r.same], ['after new points', r.after]]) {
      assert.ok(d.largest <= 12, `${name}: a channel differs by ${d.largest}/255 from Chart.js's own drawing`);
      assert.ok(d.differing < d.size * 0.002, `${name}: ${d.differing} of ${d.size} channel values differ by more than 2/255`);
    }
    assert.ok(r.movedAway.differing > 1000, `moving the points changed only ${r.movedAway.differing} channel values`);
    await checkPage(page, problems, 'backpropagation (points layer)');
    await page.close();
  });

  test('backpropagation: another number of layers redraws the bars over the kept axes, centred and named', async () => {
    const { page, problems, w } = await openWidget('backpropagation', 'gradlab-backprop-net');
    const layers = w.getByLabel('Hidden layers', { exact: true });
    await layers.focus();
    const seen = [];
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft']) {
      // Count Chart.js's full updates (new layouts) of the bar chart during the key's frame.
      await w.evaluate((el) => {
        const chart = el.normsChart.chart;
        const update = chart.update;
        window.__fullUpdates = 0;
        chart.update = function counted(...args) { window.__fullUpdates += 1; return update.apply(this, args); };
        window.__restore = () => { chart.update = update; };
      });
      await page.keyboard.press(key);
      await frames(page);
      const r = await w.evaluate((el) => {
        window.__restore();
        return { depth: el.settings.depth, norms: el.layerNorms, full: window.__fullUpdates, moving: el.moving };
      });
      seen.push({ ...r, ...(await w.evaluate(namesUnderBars)) });
    }
    assert.deepEqual(seen.map((s) => s.depth), [3, 4, 3, 2, 1]);
    for (const s of seen) {
      const what = `${s.depth} hidden layers`;
      assert.equal(s.moving, true, what);
      assert.equal(s.full, 0, `${what}: the bar chart was laid out again`);
      const names = Array.from({ length: s.depth + 1 }, (_, k) => `W${'₁₂₃₄₅'[k]}`);
      assert.deepEqual(s.drawn.map(([name]) => name), names, `${what}: names under the bars`);
      assert.equal(s.bars.length, s.norms.length, `${what}: one bar per weight matrix`);
      s.drawn.forEach(([name, x], k) => close(x, s.bars[k], 0.5, `${what}: ${name} under its bar`));
      // Centred: the middle of the bars is within half a place of the middle of the plot.
      const middle = (s.bars[0] + s.bars[s.bars.length - 1]) / 2;
      const place = (s.area.right - s.area.left) / 5;
      assert.ok(Math.abs(middle - (s.area.left + s.area.right) / 2) <= place / 2 + 0.5,
        `${what}: bars centred at ${middle} in ${s.area.left} … ${s.area.right}`);
    }
    await checkPage(page, problems, 'backpropagation (layers and gradient bars)');
    await page.close();
  });

  test('backpropagation: while a slider moves the gradient bars\' log axis only widens; at rest it fits again', async () => {
    const { page, problems, w } = await openWidget('backpropagation', 'gradlab-backprop-net');
    const r = await w.evaluate((el) => {
      const c = el.normsChart;
      const norms = el.layerNorms;
      const limits = () => ({ min: c.chart.options.scales.y.min, max: c.chart.options.scales.y.max });
      c.update();
      const start = limits();
      c.hold(true);
      c.setValues(0, norms.map((v) => v * 1e3)); // up three decades: the axis widens
      c.update();
      const grown = limits();
      c.setValues(0, norms); // back down: still held
      c.update();
      const held = limits();
      c.hold(false);
      c.update();
      return { start, grown, held, rest: limits(), norms };
    });
    const lo = Math.min(...r.norms);
    const hi = Math.max(...r.norms);
    assert.ok(r.start.min <= lo / 2 && r.start.max >= hi, `limits ${JSON.stringify(r.start)} hold ${lo} … ${hi}`);
    assert.equal(r.grown.min, r.start.min, 'widening keeps the bottom');
    assert.ok(r.grown.max >= hi * 1e3, `widened top ${r.grown.max} holds ${hi * 1e3}`);
    assert.deepEqual(r.held, r.grown, 'while held, smaller bars keep the axis');
    assert.deepEqual(r.rest, r.start, 'at rest the axis fits the bars again');
    await checkPage(page, problems, 'backpropagation (gradient bars axis)');
    await page.close();
  });

  test('backpropagation: the gradient bars are the norms of the gradient at the network\'s weights', async () => {
    const { page, problems, w } = await openWidget('backpropagation', 'gradlab-backprop-net');
    // The reference: a new engine model of the same network and data, its gradient evaluated at
    // the widget's parameters, each weight matrix's L2 norm taken here.
    const compare = async (what) => {
      const r = await w.evaluate((el) => {
        const m = el.gl.model(el._spec);
        try {
          m.setData(el.data);
          const g = m.evaluate(el.model.parameters()).gradient;
          const ref = m.layout().filter((b) => b.name.startsWith('W'))
            .map((b) => Math.sqrt(g.subarray(b.offset, b.offset + b.rows * b.cols).reduce((s, v) => s + v * v, 0)));
          return { shown: el.layerNorms, ref, status: el.snapshot.status, steps: el.snapshot.steps };
        } finally {
          m.delete();
        }
      });
      assert.equal(r.shown.length, r.ref.length, `${what}: one norm per weight matrix`);
      closeAll(r.shown, r.ref, 1e-12, `${what}: layer gradient norms`);
      return r;
    };
    await compare('as loaded');
    await w.getByLabel('Neurons per hidden layer', { exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await compare('a new network (neurons slider)');
    const step = w.getByRole('button', { name: 'Step', exact: true });
    for (let k = 0; k < 3; k += 1) await step.click();
    assert.equal((await compare('after three steps')).steps, 3);
    await w.getByLabel('Hidden layers', { exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await compare('a new network (layers slider)');
    // A run driven off the rails (a rate far beyond the slider's): set back to its last good
    // weights, whose gradient is shown.
    await w.evaluate((el) => { el.trainer.setLearningRate(1e12); el.step(20); });
    const gone = await compare('diverged');
    assert.equal(gone.status, 'diverged');
    await checkPage(page, problems, 'backpropagation (gradient norms)');
    await page.close();
  });

  test('backpropagation: sigmoid with 4 layers shows vanishing gradients, ReLU does not', async () => {
    const { page, problems, w } = await openWidget('backpropagation', 'gradlab-backprop-net');

    // Keyboard: activation tanh -> sigmoid (ArrowUp), hidden layers 2 -> 4 (ArrowRight twice).
    await w.getByLabel('Activation of hidden layers').focus();
    await page.keyboard.press('ArrowUp');
    await w.getByLabel('Hidden layers', { exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await w.getByLabel('Optimizer').selectOption('sgd');
    const sig = await w.evaluate((el) => ({ s: el.settings, norms: el.layerNorms }));
    assert.equal(sig.s.activation, 'sigmoid');
    assert.equal(sig.s.depth, 4);
    assert.equal(sig.norms.length, 5);
    const sigRatio = sig.norms[0] / sig.norms[4];
    assert.ok(sigRatio < 0.01, `sigmoid: first/last layer gradient ${sigRatio} (${sig.norms})`);
    // The numbers next to the bars.
    await frames(page);
    const text = await w.locator('.bn-norms').textContent();
    assert.match(text, /‖∂L\/∂W₁‖ = .*‖∂L\/∂W₅‖ = /);
    assert.match(text, /first layer's gradient is/);
    await widgetShot(w, 'widget-backprop-net-vanishing');
    // The bars are labelled with their layers' names (W₁ … W₅), each under its bar.
    const named = await w.evaluate(namesUnderBars);
    assert.deepEqual(named.drawn.map(([name]) => name), ['W₁', 'W₂', 'W₃', 'W₄', 'W₅']);
    named.drawn.forEach(([name, x], k) => close(x, named.bars[k], 0.5, `${name} under its bar`));
    // Its log axis is labelled at powers of ten: 0.001 … 10000 written out, 10⁻⁴ and beyond as
    // powers (not "1.00 × 10⁻⁴" next to "0.001").
    const sup = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
    const powerLabel = (v) => {
      const k = Math.round(Math.log10(v));
      return k >= -3 && k <= 4 ? String(Number(v.toPrecision(1))) : `10${[...String(k)].map((c) => sup[c]).join('')}`;
    };
    const yTicks = await w.evaluate((el) => el.normsChart.chart.scales.y.ticks.map((t) => [t.value, t.label]));
    const labelled = yTicks.filter(([, label]) => label);
    assert.ok(labelled.length >= 3, `labels ${JSON.stringify(yTicks)}`);
    for (const [value, label] of labelled) assert.equal(label, powerLabel(value), `tick at ${value}`);
    assert.ok(labelled.some(([value]) => value < 1e-3), `no tick below 0.001 to check: ${JSON.stringify(yTicks)}`);
    // The bars' log axis: whole decades, every bar at least twice its bottom, the tallest within two
    // decades of its top. A move of the neurons slider (a new network, new norms) keeps the axis
    // whenever the new bars fit it, so the chart is not relaid; otherwise it is fitted afresh.
    const power = (v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
    const fitsAxis = (norms, a) => norms.every((n) => n >= 2 * a.min && n <= a.max) && Math.max(...norms) >= a.max / 100;
    const normAxis = () => w.evaluate((el) => {
      const y = el.normsChart.chart.options.scales.y;
      return { min: y.min, max: y.max, norms: el.layerNorms };
    });
    let axisBefore = await normAxis();
    const neurons = w.getByLabel('Neurons per hidden layer', { exact: true });
    let kept = 0;
    for (let k = 0; k < 6; k += 1) {
      assert.ok(power(axisBefore.min) && power(axisBefore.max), `limits ${axisBefore.min} … ${axisBefore.max}`);
      assert.ok(fitsAxis(axisBefore.norms, axisBefore), `bars ${axisBefore.norms} on ${axisBefore.min} … ${axisBefore.max}`);
      await neurons.focus();
      await page.keyboard.press(k < 3 ? 'ArrowRight' : 'ArrowLeft');
      await frames(page);
      const axisAfter = await normAxis();
      if (fitsAxis(axisAfter.norms, axisBefore)) {
        assert.deepEqual([axisAfter.min, axisAfter.max], [axisBefore.min, axisBefore.max]);
        kept += 1;
      }
      axisBefore = axisAfter;
    }
    assert.ok(kept > 0, 'no move kept the axis'); // the case this checks must occur
    // Plain gradient descent hardly moves the loss in 1000 steps.
    const sigLoss = await w.evaluate((el) => { el.step(1000); return el.loss; });
    assert.ok(sigLoss > 0.6, `sigmoid, 4 layers, sgd: loss after 1000 steps ${sigLoss}`);

    await w.getByLabel('Activation of hidden layers').selectOption('relu');
    const relu = await w.evaluate((el) => el.layerNorms);
    const reluRatio = relu[0] / relu[4];
    assert.ok(reluRatio > 0.1, `relu: first/last layer gradient ${reluRatio} (${relu})`);
    assert.ok(reluRatio > 50 * sigRatio, `relu ${reluRatio} vs sigmoid ${sigRatio}`);
    const reluLoss = await w.evaluate((el) => { el.step(1000); return el.loss; });
    assert.ok(reluLoss < 0.3, `relu, 4 layers, sgd: loss after 1000 steps ${reluLoss}`);
    await widgetShot(w, 'widget-backprop-net-relu-trained');

    // The lesson's "too large a step": Adam at learning rate 1 kills every ReLU neuron; the
    // gradient is then exactly zero, the loss stays at ln 2 and the trainer reports converged.
    await w.getByRole('button', { name: 'Reset' }).click();
    await w.getByLabel('Activation of hidden layers').selectOption('relu');
    const lrBox = w.getByLabel('Learning rate (log scale), exact value');
    await lrBox.fill('1');
    await lrBox.press('Enter');
    const dead = await w.evaluate((el) => { el.step(1000); return { status: el.status, loss: el.loss, lr: el.settings.learningRate }; });
    assert.equal(dead.lr, 1);
    assert.equal(dead.status, 'converged');
    close(dead.loss, Math.LN2, 0.01, 'loss of a network of dead ReLUs');
    // The status line is redrawn on the next animation frame after step(): poll for it.
    let statusText = '';
    for (let tries = 0; tries < 50 && !/Converged/.test(statusText); tries++) {
      statusText = await w.locator('.bn-status').textContent();
      if (!/Converged/.test(statusText)) await page.waitForTimeout(100);
    }
    assert.match(statusText, /Converged/);

    await screenshot(page, 'lesson-backpropagation-tested');
    await checkPage(page, problems, 'backpropagation (vanishing)');
    await page.close();
  });

  test('attribution: input gradients equal central differences of the model, IG adds up', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/attribution.html`);
    await waitForWidgets(page);
    const widgets = page.locator('gradlab-attribution-explorer');
    assert.equal(await widgets.count(), 2);
    const w = widgets.first();
    await w.scrollIntoViewIfNeeded();

    const info = await w.evaluate((el) => ({ t: el.training, features: el.features, n: el.parameters.length }));
    assert.ok(info.t.accuracy > 0.75, `training accuracy ${info.t.accuracy}`);
    assert.equal(info.t.steps, 600);
    assert.deepEqual(info.features, ['Hours studied', 'Hours slept', 'Practice tests']);
    assert.equal(info.n, 41);
    const params = await w.evaluate((el) => Array.from(el.parameters));
    const net = (x) => examNet(params, x);

    // The value axes of the two bar charts, fixed for every student the sliders can make.
    let axes = null;
    /** Everything the widget shows for its current student, against the oracles. */
    const check = async (what) => {
      // The charts redraw on the next animation frame after an input; read them after it.
      await frames(page, 2);
      const s = await w.evaluate((el) => ({ x: el.input, p: el.probability, g: el.gradient, fd: el.finiteDifference,
        gxi: el.gradientTimesChange, ig: el.integratedGradients, base: el.baseline, pBase: el.baselineProbability,
        bars: el.gradChart.chart.data.datasets[0].data, ig2: el.contribChart.chart.data.datasets[1].data,
        axes: [el.gradChart, el.contribChart].map((c) => [c.chart.scales.y.min, c.chart.scales.y.max]) }));
      // Every bar lies inside its chart's value axis, and the axes are the ones the start had.
      [[s.g], [s.gxi, s.ig]].forEach((sets, c) => sets.flat().forEach((v) =>
        assert.ok(v >= s.axes[c][0] && v <= s.axes[c][1], `${what}: bar ${v} inside axis ${s.axes[c]}`)));
      if (axes) assert.deepEqual(s.axes, axes, `${what}: the value axes stay as they were`);
      axes ??= s.axes;
      relClose(s.p, net(s.x), 1e-9, `${what}: p vs plain-JS forward pass`);
      // The model's own prediction function, through the widget, nudged here.
      const viaWidget = async (x) => (await w.evaluate((el, r) => el.predict([r])[0], x));
      for (let j = 0; j < 3; j += 1) {
        const up = [...s.x];
        const down = [...s.x];
        up[j] += 1e-4;
        down[j] -= 1e-4;
        const fdWidget = ((await viaWidget(up)) - (await viaWidget(down))) / 2e-4;
        const fdPlain = central(net, s.x, j, 1e-4);
        close(s.g[j], fdWidget, 1e-7, `${what}: ∂p/∂x${j + 1} vs central difference of predict()`);
        close(s.g[j], fdPlain, 1e-7, `${what}: ∂p/∂x${j + 1} vs plain-JS central difference`);
        close(s.fd[j], s.g[j], 1e-4, `${what}: widget's own central difference ${j + 1}`);
        assert.equal(s.bars[j], s.g[j], `${what}: bar ${j + 1} is the gradient`);
        assert.equal(s.ig2[j], s.ig[j], `${what}: IG bar ${j + 1}`);
        close(s.gxi[j], s.g[j] * (s.x[j] - s.base[j]), 1e-12, `${what}: gradient × change ${j + 1}`);
      }
      const sumIg = s.ig.reduce((a, b) => a + b, 0);
      close(sumIg, s.p - s.pBase, 2e-3, `${what}: integrated gradients add up to p − p(baseline)`);
      relClose(s.pBase, net(s.base), 1e-9, `${what}: baseline p`);
      // The table shows the same gradient (4 significant digits).
      const cells = await w.locator('tbody tr td:nth-child(4)').allTextContents();
      cells.forEach((c, j) => close(parseShown(c), s.g[j], Math.abs(s.g[j]) * 1e-3 + 1e-9, `${what}: table ∂p/∂x${j + 1}`));
      return s;
    };

    const start = await check('start');
    assert.deepEqual(start.x, [6, 7, 2]);
    // The bars are labelled with the features' names, not their indices.
    const barNames = await w.evaluate((el) => [el.gradChart, el.contribChart].map((c) => c.chart.scales.x.ticks.map((t) => t.label)));
    assert.deepEqual(barNames, [['study', 'sleep', 'tests'], ['study', 'sleep', 'tests']]);
    close(await shown(readout(w, 'Probability of passing')), start.p, 1e-4, 'p readout');
    await widgetShot(w, 'widget-attribution-start');

    // Keyboard: four ArrowRight steps of 0.25 on study -> 7 hours.
    await w.getByLabel('Hours studied', { exact: true }).focus();
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowRight');
    const more = await check('study 7');
    assert.equal(more.x[0], 7);

    // Typed: sleep 5 and then 9.5; the model learned that sleep beyond ~8 hours hardly matters.
    const sleepBox = w.getByLabel('Hours slept, exact value');
    await sleepBox.fill('5');
    await sleepBox.press('Enter');
    const short = await check('sleep 5');
    await sleepBox.fill('9.5');
    await sleepBox.press('Enter');
    const long = await check('sleep 9.5');
    assert.ok(short.g[1] > 0.05, `∂p/∂sleep at 5 hours: ${short.g[1]}`);
    assert.ok(Math.abs(long.g[1]) < 0.5 * short.g[1], `∂p/∂sleep at 9.5 hours ${long.g[1]} vs at 5 hours ${short.g[1]}`);

    // Mouse: the study slider's right end (12 hours): saturated, tiny gradient, biggest IG credit.
    const range = w.getByLabel('Hours studied', { exact: true });
    const box = await range.boundingBox();
    await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
    const sat = await check('study 12');
    assert.ok(sat.x[0] > 11.5, `study after clicking the right end: ${sat.x[0]}`);
    assert.ok(sat.p > 0.95, `p at 12 hours ${sat.p}`);
    assert.ok(sat.g[0] < 0.02, `∂p/∂study at 12 hours ${sat.g[0]}`);
    assert.ok(sat.ig[0] > sat.ig[1] && sat.ig[0] > sat.ig[2], `IG ${sat.ig}`);
    await widgetShot(w, 'widget-attribution-saturated');

    await w.getByRole('button', { name: 'Reset' }).click();
    assert.deepEqual(await w.evaluate((el) => el.input), [6, 7, 2]);

    // The fixed axes are not needlessly wide: over a 7 × 7 × 7 sweep of the sliders (students
    // set through the widget; their gradients were checked above), the largest bar of each sign
    // reaches at least half of the axis on that side (a zero side excepted), and any bar
    // beyond the axes (between the widget's grid points) widens them only while it lasts.
    const sweep = await w.evaluate(async (el) => {
      const seen = [[0, 0], [0, 0]];
      for (let a = 0; a < 7; a += 1) for (let b = 0; b < 7; b += 1) for (let c = 0; c < 7; c += 1) {
        el.setInput([12 * a / 6, 3 + 8 * b / 6, 10 * c / 6]);
        [el.gradient, [...el.gradientTimesChange, ...el.integratedGradients]].forEach((vs, k) => vs.forEach((v) => {
          seen[k][0] = Math.min(seen[k][0], v);
          seen[k][1] = Math.max(seen[k][1], v);
        }));
      }
      el.reset();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return { seen, after: [el.gradChart, el.contribChart].map((ch) => [ch.chart.scales.y.min, ch.chart.scales.y.max]) };
    });
    sweep.seen.forEach(([lo, hi], c) => {
      const [min, max] = axes[c];
      if (max > 0) assert.ok(hi >= 0.5 * max, `chart ${c + 1}: tallest bar ${hi} vs axis top ${max}`);
      if (min < 0) assert.ok(lo <= 0.5 * min, `chart ${c + 1}: deepest bar ${lo} vs axis bottom ${min}`);
    });
    assert.deepEqual(sweep.after, axes, 'back at the start, the axes are the start\'s');

    // The logistic-regression copy: ∂p/∂x_j = p (1 − p) w_j, from its parameters.
    const lw = widgets.nth(1);
    await lw.scrollIntoViewIfNeeded();
    const lr = await lw.evaluate((el) => ({ params: Array.from(el.parameters), x: el.input, p: el.probability,
      g: el.gradient, type: el.modelType }));
    assert.equal(lr.type, 'logistic');
    assert.equal(lr.params.length, 4);
    const z = lr.x.reduce((s, v, j) => s + v * lr.params[j], lr.params[3]);
    relClose(lr.p, sigmoid(z), 1e-9, 'logistic p');
    lr.g.forEach((g, j) => relClose(g, lr.p * (1 - lr.p) * lr.params[j], 1e-9, `logistic ∂p/∂x${j + 1}`));
    await widgetShot(lw, 'widget-attribution-logistic');

    await screenshot(page, 'lesson-attribution-tested');
    await checkPage(page, problems, 'attribution');
    await page.close();
  });
});
