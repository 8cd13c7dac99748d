// The exam-score lesson's widgets in headless Chromium, driven like a learner would: real
// keyboard and mouse input on sliders, buttons, the data table, the scatter plot and the loss map.
// Every number checked here is compared with the seed's hand-derived values and with a plain-JS
// finite difference computed by the test itself. Needs dist/ (bash scripts/build.sh).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertNoProblems, dragRange, expectNoBadNumbers, frames, launchBrowser, openPage, startSite, waitForWidgets, widgetShot,
} from './helpers.mjs';

/** "−40" -> -40 (widgets print a real minus sign). */
export const num = (text) => Number(String(text).replace(/\u2212/g, '-').replace(/[^\d.eE+-]/g, ''));

/** The <output> of the readout whose label is exactly `label`. */
export function readout(widget, label) {
  return widget.locator('.gl-readout')
    .filter({ has: widget.page().locator('.gl-readout-label', { hasText: new RegExp(`^${escape(label)}$`) }) })
    .locator('output');
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A slider's range input and its number box, by the slider's visible label. */
export function slider(widget, label) {
  return {
    range: widget.getByRole('slider', { name: label, exact: true }),
    number: widget.getByRole('spinbutton', { name: `${label}, exact value`, exact: true }),
  };
}

/** Page coordinates of a data point (x, y) on one of the widget's Chart.js charts. */
async function chartPixel(widget, chartProp, x, y) {
  return widget.evaluate((el, [prop, px, py]) => {
    const chart = el[prop].chart;
    chart.canvas.scrollIntoView({ block: 'center', behavior: 'instant' });
    const rect = chart.canvas.getBoundingClientRect();
    return { x: rect.left + chart.scales.x.getPixelForValue(px), y: rect.top + chart.scales.y.getPixelForValue(py) };
  }, [chartProp, x, y]);
}

/** Mean squared error and its exact gradient, in plain JS (the test's own oracle). */
function mse(rows, w, b) {
  let loss = 0, dW = 0, dB = 0;
  for (const [x, y] of rows) {
    const e = x * w + b - y;
    loss += e * e; dW += 2 * e * x; dB += 2 * e;
  }
  const n = rows.length;
  return { loss: loss / n, dW: dW / n, dB: dB / n };
}

function close(actual, expected, rel = 1e-3, what = '') {
  const scale = Math.max(Math.abs(expected), 1e-9);
  assert.ok(Math.abs(actual - expected) / scale <= rel, `${what}: ${actual} vs ${expected}`);
}

describe('exam-score lesson widgets', () => {
  let site, browser, page, problems;

  before(async () => {
    site = await startSite();
    // Tall enough for a whole widget: element screenshots then need no viewport resize (slow).
    browser = await launchBrowser({ viewport: { width: 1280, height: 3000 } });
    ({ page, problems } = await openPage(browser, `${site.url}lessons/exam-score.html`));
    await waitForWidgets(page);
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('<gradlab-exam-step> shows the seed example computed by the engine', async () => {
    const w = page.locator('gradlab-exam-step').first();
    // Pin the seed's numbers, whatever the lesson's attributes are.
    await w.evaluate((el) => {
      for (const [k, v] of Object.entries({ weight: 5, bias: 50, hours: 4, actual: 75, 'learning-rate': 0.01 })) {
        el.setAttribute(k, String(v));
      }
      el.reset();
    });
    await w.scrollIntoViewIfNeeded();
    // Hand-derived: prediction 4×5+50 = 70, error 75−70 = 5, L = 25, dL/dW = 2(−5)·4, dL/dB = 2(−5).
    await assertText(readout(w, 'Prediction'), '70');
    await assertText(readout(w, 'Error (actual − prediction)'), '5');
    await assertText(readout(w, 'Loss (prediction − actual)²'), '25');
    await assertText(readout(w, '∂L/∂W (engine)'), '−40');
    await assertText(readout(w, '∂L/∂B (engine)'), '−10');
    const engine = await w.evaluate((el) => ({ loss: el.loss, ...el.gradient }));
    assert.deepEqual(engine, { loss: 25, dW: -40, dB: -10 });

    await w.getByRole('button', { name: 'Take one step' }).click();
    const list = w.locator('ol li');
    await waitText(list.nth(5), 'New W = W − learning rate × ∂L/∂W = 5 − 0.01 × (−40) = 5.4');
    await waitText(list.nth(6), 'New B = B − learning rate × ∂L/∂B = 50 − 0.01 × (−10) = 50.1');
    assert.equal(await slider(w, 'Weight W (marks per hour)').number.inputValue(), '5.4');
    close(await w.evaluate((el) => el.weight), 5.4, 1e-12, 'W after one step');
    close(await w.evaluate((el) => el.bias), 50.1, 1e-12, 'B after one step');
    // New prediction 4 × 5.4 + 50.1 = 71.7.
    await assertText(readout(w, 'Prediction'), '71.7');
    await widgetShot(w, 'exam-step-after-one-step');

    await w.getByRole('button', { name: 'Reset' }).click();
    await assertText(readout(w, 'Prediction'), '70');
    assert.equal(await w.locator('ol li').count(), 0);
  });

  test('<gradlab-exam-step> follows the keyboard and the mouse on its sliders', async () => {
    const w = page.locator('gradlab-exam-step').first();
    const weight = slider(w, 'Weight W (marks per hour)');
    await weight.range.focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await weight.number.inputValue(), '5.1');
    await assertText(readout(w, 'Prediction'), '70.4'); // 4 × 5.1 + 50
    await page.keyboard.press('End');
    assert.equal(await weight.number.inputValue(), '30.0');
    await assertText(readout(w, 'Prediction'), '170'); // 4 × 30 + 50
    await assertText(readout(w, '∂L/∂W (engine)'), '760'); // 2 × 95 × 4

    const hours = slider(w, 'Hours studied');
    await dragRange(page, hours.range, 0.95);
    const h = num(await hours.number.inputValue());
    assert.ok(h > 10, `dragging the hours slider to the right gave ${h}`);
    const pred = num(await readout(w, 'Prediction').textContent());
    close(pred, h * 30 + 50, 1e-4, 'prediction after the drag');
    await w.getByRole('button', { name: 'Reset' }).click();
    await widgetShot(w, 'exam-step');
  });

  test('<gradlab-exam-score> steps, runs, pauses and resets; gradient matches a finite difference', async () => {
    const w = page.locator('gradlab-exam-score').first();
    await w.scrollIntoViewIfNeeded();
    const events = await w.evaluate((el) => {
      window.__examEvents = [];
      el.addEventListener('gradlab-change', (e) => window.__examEvents.push(e.detail));
      return el.step;
    });
    assert.equal(events, 0);
    const before = await w.evaluate((el) => ({ loss: el.loss, w: el.weight, b: el.bias, data: el.data }));
    close(before.loss, mse(before.data, before.w, before.b).loss, 1e-9, 'initial loss');

    await w.getByRole('button', { name: 'Step', exact: true }).click();
    await assertText(readout(w, 'Step'), '1');
    const s1 = await w.evaluate((el) => ({ loss: el.loss, w: el.weight, b: el.bias, data: el.data, lr: el.learningRate }));
    assert.ok(s1.loss < before.loss, 'one step lowers the loss');
    // The step itself: W1 = W0 − lr·dL/dW(W0, B0), with the gradient computed here in plain JS.
    const g0 = mse(before.data, before.w, before.b);
    close(s1.w, before.w - s1.lr * g0.dW, 1e-9, 'W after a step');
    close(s1.b, before.b - s1.lr * g0.dB, 1e-9, 'B after a step');

    // Displayed gradient vs the test's own central finite difference of the loss.
    const h = 1e-5;
    const fdW = (mse(s1.data, s1.w + h, s1.b).loss - mse(s1.data, s1.w - h, s1.b).loss) / (2 * h);
    const fdB = (mse(s1.data, s1.w, s1.b + h).loss - mse(s1.data, s1.w, s1.b - h).loss) / (2 * h);
    close(num(await readout(w, '∂L/∂W').textContent()), fdW, 1e-3, 'displayed dL/dW vs finite difference');
    close(num(await readout(w, '∂L/∂B').textContent()), fdB, 1e-3, 'displayed dL/dB vs finite difference');
    const chain = await w.locator('.es-chain').textContent();
    assert.match(chain, /relative difference .*✓.*relative difference .*✓/s, 'the widget\'s own check passes');

    await w.getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction((el) => el.step > 30, await w.elementHandle());
    await w.getByRole('button', { name: 'Pause' }).click();
    const paused = await w.evaluate((el) => el.step);
    await page.waitForTimeout(200);
    assert.equal(await w.evaluate((el) => el.step), paused, 'Pause stops the run');
    assert.ok(await w.evaluate((el) => el.loss) < s1.loss);
    const history = await w.evaluate((el) => el.lossChart.chart.data.datasets[0].data.length);
    assert.equal(history, paused + 1, 'loss chart has one point per step (plus the start)');
    await widgetShot(w, 'exam-score-running');

    await w.getByRole('button', { name: 'Reset' }).click();
    await assertText(readout(w, 'Step'), '0');
    close(await w.evaluate((el) => el.loss), before.loss, 1e-12, 'loss after Reset');
    const detail = await page.evaluate(() => window.__examEvents.at(-1));
    assert.deepEqual(Object.keys(detail).sort(), ['bias', 'loss', 'status', 'step', 'weight']);
    assert.equal(detail.step, 0);
    assert.ok(await page.evaluate(() => window.__examEvents.length) > 3, 'gradlab-change fires on changes');
  });

  test('<gradlab-exam-score> sliders move the point by keyboard and mouse; the map is clickable', async () => {
    const w = page.locator('gradlab-exam-score').first();
    const weight = slider(w, 'Weight W (marks per hour)');
    const start = await w.evaluate((el) => el.weight);
    await weight.range.focus();
    await page.keyboard.press('ArrowRight');
    close(await w.evaluate((el) => el.weight), start + 0.1, 1e-9, 'W after ArrowRight');
    await frames(page); // the readouts are written at the next drawn frame
    const data = await w.evaluate((el) => el.data);
    const shown = num(await readout(w, 'Loss L (mean squared error)').textContent());
    close(shown, mse(data, start + 0.1, await w.evaluate((el) => el.bias)).loss, 1e-4, 'loss readout');

    await dragRange(page, slider(w, 'Bias B (marks)').range, 0.8);
    const b = await w.evaluate((el) => el.bias);
    assert.ok(b > 50, `dragging the bias slider right gave B = ${b}`);

    const target = await chartPixel(w, 'map', 4, 40);
    await page.mouse.click(target.x, target.y);
    close(await w.evaluate((el) => el.weight), 4, 0.05, 'W after clicking the map');
    close(await w.evaluate((el) => el.bias), 40, 0.05, 'B after clicking the map');
    await w.getByRole('button', { name: 'Reset' }).click();

    // A learning-rate move changes the next step, not the line, the path or the losses: no chart
    // is redrawn. A weight move redraws the line and the map; the loss chart, which shows one
    // loss and no line while the path starts at the moved point, keeps its picture, and its text
    // follows the new loss once the hand rests. The first step draws its line.
    await page.waitForFunction((el) => !el.moving, await w.elementHandle());
    await frames(page);
    await w.evaluate((el) => {
      window.examRedraws = { scatter: 0, map: 0, loss: 0 };
      for (const name of ['scatter', 'map', 'lossChart']) {
        const chart = el[name];
        const update = chart.update.bind(chart);
        chart.update = () => { window.examRedraws[name === 'lossChart' ? 'loss' : name] += 1; update(); };
      }
    });
    const lrBefore = await w.evaluate((el) => el.learningRate);
    await slider(w, 'Learning rate').range.focus();
    await page.keyboard.press('ArrowRight');
    await frames(page);
    assert.notEqual(await w.evaluate((el) => el.learningRate), lrBefore, 'the learning rate did not move');
    assert.deepEqual(await w.evaluate(() => window.examRedraws), { scatter: 0, map: 0, loss: 0 });
    await weight.range.focus();
    await page.keyboard.press('ArrowLeft');
    await frames(page);
    assert.deepEqual(await w.evaluate(() => window.examRedraws), { scatter: 1, map: 1, loss: 0 });
    await page.waitForFunction((el) => !el.moving, await w.elementHandle());
    await frames(page);
    const moved = await w.evaluate((el) => ({ loss: el.loss, text: el.lossChart.canvas.getAttribute('aria-label'),
      history: el.lossChart.chart.data.datasets[0].data.length }));
    assert.equal(moved.history, 1, 'the path starts at the moved point');
    const lossText = await w.evaluate((el, v) => el.lossChart.summary().match(/loss (\S+) at step 0/)?.[1], moved.loss);
    assert.ok(lossText && moved.text.includes(`loss ${lossText} at step 0`),
      `the loss chart's text names the loss at the moved point (${moved.loss}): ${moved.text}`);
    close(Number(lossText), moved.loss, Math.abs(moved.loss) * 0.01, 'the loss in the chart\'s text');
    const redrawsAtRest = await w.evaluate(() => window.examRedraws.loss);
    await w.getByRole('button', { name: 'Step' }).click();
    await frames(page);
    assert.equal(await w.evaluate(() => window.examRedraws.loss), redrawsAtRest + 1, 'a step draws the loss line');
    await w.getByRole('button', { name: 'Reset' }).click();
  });

  test('<gradlab-exam-score> says "Diverged" for a too-large learning rate, never NaN', async () => {
    const w = page.locator('gradlab-exam-score').first();
    const lr = slider(w, 'Learning rate');
    await lr.number.fill('0.5');
    await lr.number.press('Enter');
    await w.getByRole('button', { name: 'Run' }).click();
    await w.getByText('Diverged — the steps grew instead of shrinking. Lower the learning rate and press Reset.')
      .waitFor({ timeout: 10000 });
    await page.waitForFunction((el) => !el.looping, await w.elementHandle());
    assert.equal(await w.evaluate((el) => el.status), 'diverged');
    await expectNoBadNumbers(page, 'after divergence');
    await widgetShot(w, 'exam-score-diverged');
    // A weight move after the divergence starts a fresh run from the new point: step 0, one
    // point on the path, the loss of the data there.
    const weight = slider(w, 'Weight W (marks per hour)');
    const shownW = Number(await weight.range.inputValue());
    await weight.range.focus();
    await page.keyboard.press('ArrowLeft');
    await w.getByText('Diverged —').waitFor({ state: 'hidden' });
    const fresh = await w.evaluate((el) => ({ step: el.step, status: el.status, path: el.lab.path(),
      loss: el.loss, w: el.weight, b: el.bias, data: el.data }));
    assert.equal(fresh.step, 0);
    assert.notEqual(fresh.status, 'diverged');
    assert.deepEqual(fresh.path, [[fresh.w, fresh.b]]);
    close(fresh.w, shownW - 0.1, 1e-9, 'W is where the slider put it (one step left)');
    close(fresh.loss, mse(fresh.data, fresh.w, fresh.b).loss, 1e-9, 'loss at the new start');
    await w.getByRole('button', { name: 'Reset' }).click();
    await w.getByText('Diverged —').waitFor({ state: 'hidden' });
  });

  test('<gradlab-exam-score> data: CSV with a bad line, cell edits, add/remove, dragging a point', async () => {
    const w = page.locator('gradlab-exam-score').first();
    await w.locator('summary').click();
    await w.getByRole('textbox', { name: /Paste CSV/ }).fill('hours,score\n2,60\nabc,70\n4,75\n6,82\n');
    await w.getByRole('button', { name: 'Use this CSV' }).click();
    await w.getByText("line 3: 'abc' is not a number").waitFor();
    assert.deepEqual(await w.evaluate((el) => el.data), [[2, 60], [4, 75], [6, 82]]);
    assert.equal(await w.evaluate((el) => el.step), 0, 'new data restarts the fit');

    // The table is redrawn in the widget's next frame: wait until the old 4th row is gone.
    await w.getByRole('textbox', { name: 'Hours of student 4', exact: true }).waitFor({ state: 'detached' });
    const cell = w.getByRole('textbox', { name: 'Hours of student 1', exact: true });
    await cell.fill('3');
    await cell.press('Tab');
    assert.deepEqual((await w.evaluate((el) => el.data))[0], [3, 60]);
    await cell.fill('lots');
    await cell.press('Tab');
    await w.getByText('Student 1, hours: “lots” is not a number; kept 3.').waitFor();
    assert.equal(await cell.inputValue(), '3');

    await w.getByRole('button', { name: 'Add a student' }).click();
    assert.equal((await w.evaluate((el) => el.data)).length, 4);
    await w.getByRole('button', { name: 'Remove' }).nth(3).click();
    assert.equal((await w.evaluate((el) => el.data)).length, 3);

    // Drag student 2 (4 h, 75) up to about 95 marks on the scatter plot.
    const from = await chartPixel(w, 'scatter', 4, 75);
    const to = await chartPixel(w, 'scatter', 4, 95);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 6 });
    await page.mouse.up();
    const moved = (await w.evaluate((el) => el.data))[1];
    close(moved[1], 95, 0.03, 'dragged score');
    await expectNoBadNumbers(page, 'after data edits');
    await widgetShot(w, 'exam-score-data');
    await w.getByRole('button', { name: 'Restore the generated data' }).click();
  });

  test('<gradlab-exam-score> with reduced motion: Run jumps to the result without animating', async () => {
    const w = page.locator('gradlab-exam-score').first();
    await w.getByRole('button', { name: 'Reset' }).click();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    try {
      await w.getByRole('button', { name: 'Run' }).click();
      await page.waitForFunction((el) => !el.looping, await w.elementHandle());
      const end = await w.evaluate((el) => ({ step: el.step, status: el.status, g: el.gradient }));
      assert.equal(end.status, 'converged', `a reduced-motion run finishes (${JSON.stringify(end)})`);
      assert.ok(Math.max(Math.abs(end.g.dW), Math.abs(end.g.dB)) < 1e-3);
    } finally {
      await page.emulateMedia({ reducedMotion: null });
      await w.getByRole('button', { name: 'Reset' }).click();
    }
  });

  test('widgets free their engine objects when removed from the page', async () => {
    const allocated = await page.evaluate(async () => {
      const host = document.querySelector('gradlab-exam-score');
      const gl = host.engine;
      const parent = host.parentNode;
      const next = host.nextSibling;
      const ready = (el) => new Promise((r) => el.addEventListener('gradlab-ready', r, { once: true }));
      const cycle = async () => {
        host.remove();
        const wait = ready(host);
        parent.insertBefore(host, next);
        await wait;
      };
      await cycle(); // warm up: allocator pools settle
      const before = gl.memoryStats().allocated;
      for (let i = 0; i < 5; i += 1) await cycle();
      return { before, after: gl.memoryStats().allocated };
    });
    assert.ok(allocated.after - allocated.before < 4096,
      `engine memory grows by ${allocated.after - allocated.before} bytes over 5 remove/insert cycles`);
  });

  test('the exam-score page: no console errors, no NaN, phone layout', async () => {
    await expectNoBadNumbers(page, 'exam-score page');
    assertNoProblems(problems, 'exam-score page');
    const phone = await openPage(browser, `${site.url}lessons/exam-score.html`, { viewport: { width: 375, height: 3400 } });
    await waitForWidgets(phone.page);
    for (const tag of ['gradlab-exam-step', 'gradlab-exam-score']) {
      const w = phone.page.locator(tag).first();
      const overflow = await w.evaluate((el) => {
        const host = el.getBoundingClientRect();
        return [...el.shadowRoot.querySelectorAll('*')].filter((c) => c.getBoundingClientRect().right > host.right + 1)
          .map((c) => `${c.localName}.${c.className}`);
      });
      assert.deepEqual(overflow, [], `${tag} fits a 375 px phone`);
    }
    await widgetShot(phone.page.locator('gradlab-exam-score').first(), 'exam-score-phone');
    assertNoProblems(phone.problems, 'exam-score page on a phone');
    await phone.page.close();
  });
});

async function assertText(locator, expected) {
  await waitText(locator, expected);
}

/** Wait (briefly) until the locator's text equals `expected` (draws happen on the next frame). */
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
