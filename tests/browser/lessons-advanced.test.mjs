// The later lessons in headless Chromium: optimizers (a race of SGD, momentum, RMSprop, Adam, …),
// curvature (the Hessian, its eigenvalues, Newton vs gradient steps) and practice (checked
// exercises). Numbers are checked against values computed here independently: PyTorch's update
// formulas written out by hand, the bowl's closed-form Hessian R diag(1, κ) Rᵀ, a plain JavaScript
// gradient descent, the seed's hand-worked answers. Controls are driven with the keyboard and the
// mouse; each page must have no console errors, no NaN/Infinity and no serious axe violations.
// Needs a built site (bash scripts/build.sh, or GRADLAB_DIST=/path).

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  checkPage, close, dragRange, frames, openPage, screenshot, waitForWidgets, widgetShot, withSiteAndBrowser,
} from './helpers.mjs';

// --- independent oracles --------------------------------------------------------------------

/** The bowl's matrix A = R diag(1, κ) Rᵀ (R: rotation by theta), row-major. */
function bowlMatrix(kappa, theta) {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  // R = [[c, −s], [s, c]]; A = R diag(1, κ) Rᵀ
  return [c * c + kappa * s * s, c * s - kappa * c * s, c * s - kappa * c * s, s * s + kappa * c * c];
}
const matVec = (A, p) => [A[0] * p[0] + A[1] * p[1], A[2] * p[0] + A[3] * p[1]];
const bowlLoss = (A, p) => 0.5 * (p[0] * matVec(A, p)[0] + p[1] * matVec(A, p)[1]);

/** Plain gradient descent on the bowl: steps until the loss is below `target` (or null). */
function bowlSteps(A, p0, lr, target, max = 5000) {
  let p = [...p0];
  for (let k = 0; k <= max; k += 1) {
    if (bowlLoss(A, p) < target) return k;
    const g = matVec(A, p);
    p = [p[0] - lr * g[0], p[1] - lr * g[1]];
  }
  return null;
}




/**
 * Moves a bowl widget's slider (input events) through `values`, reading its map after each move
 * and once more 0.7 s after the last one, when the slider has come to rest.
 */
function mapsWhileMoving(range, values) {
  return range.evaluate(async (input, list) => {
    const el = input.getRootNode().host;
    const grid = () => ({ n: el.map.grid.nx, ny: el.map.grid.ny, values: Array.from(el.map.grid.values),
      view: { ...el.view }, value: Number(input.value), moving: el.moving });
    const out = [];
    for (const v of list) {
      input.value = String(v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      out.push(grid());
    }
    await new Promise((r) => setTimeout(r, 700));
    out.push(grid());
    return out;
  }, values);
}

/** A map read by mapsWhileMoving is n × n and holds ½ pᵀAp at its grid points. */
function checkBowlMap(m, n, A, what) {
  what = `${what}, ${m.moving ? 'moving' : 'at rest'}`;
  assert.equal(m.n, n, `${what}: grid size`);
  assert.equal(m.ny, n, `${what}: grid rows`);
  const { xMin, xMax, yMin, yMax } = m.view;
  for (let r = 0; r < n; r += 1) {
    for (let c = 0; c < n; c += 1) {
      const p = [xMin + (c * (xMax - xMin)) / (n - 1), yMin + (r * (yMax - yMin)) / (n - 1)];
      const expected = bowlLoss(A, p);
      close(m.values[r * n + c], expected, 1e-9 * Math.max(1, expected), `${what}: loss at cell (${c}, ${r})`);
    }
  }
}

const racer = (w, id) => w.evaluate((el, rid) => el.racers.find((r) => r.id === rid), id);

/**
 * In the page: window.freshRace(race, steps), the same race built from nothing — a new Race with
 * race's landscape, start, budget and settings, every racer built, `steps` steps taken. The
 * caller deletes it.
 */
function installFreshRace() {
  window.freshRace = (race, steps) => {
    const ref = new race.constructor(race.gl);
    ref.setLandscape(race.landscape, race.params);
    ref.start = [...race.start];
    ref.maxSteps = race.maxSteps;
    ref.racers.forEach((r, i) => { r.enabled = race.racers[i].enabled; r.settings = { ...race.racers[i].settings }; });
    ref.restart();
    for (let k = 0; k < steps; k += 1) ref.advance(1);
    return ref;
  };
}

describe('lessons: optimizers, curvature, practice', () => {
  let site;
  let browser;
  withSiteAndBrowser((s, b) => { site = s; browser = b; });

  test('optimizers: first steps match PyTorch by hand; race results on the κ = 50 bowl', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/optimizers.html`);
    await waitForWidgets(page);
    const races = page.locator('gradlab-optim-race');
    assert.equal(await races.count(), 2);
    const w = races.nth(1); // sgd, momentum, rmsprop, adam
    await w.scrollIntoViewIfNeeded();
    assert.deepEqual((await w.evaluate((el) => el.racers.filter((r) => r.enabled).map((r) => r.id))),
      ['sgd', 'momentum', 'rmsprop', 'adam']);
    assert.deepEqual(await w.evaluate((el) => el.start), [-2.5, 1.5]);
    // Before the first step the loss chart's step axis runs 0 … 1 in whole steps.
    assert.deepEqual(await w.evaluate((el) => el.lossChart.chart.scales.x.ticks.map((t) => t.label)), ['0', '1']);
    await widgetShot(w, 'widget-optim-race-ready');

    // One Step (keyboard): each racer's first step against the formulas. κ = 50, angle 0:
    // A = diag(1, 50), g = A p0 = (−2.5, 75).
    const A = bowlMatrix(50, 0);
    const p0 = [-2.5, 1.5];
    const g = matVec(A, p0);
    const settings = Object.fromEntries((await w.evaluate((el) => el.racers)).map((r) => [r.id, r.settings]));
    await w.getByRole('button', { name: 'Step', exact: true }).press('Enter');
    const sgd = await racer(w, 'sgd');
    assert.equal(sgd.steps, 1);
    sgd.point.forEach((v, i) => close(v, p0[i] - settings.sgd.lr * g[i], 1e-12, `SGD x${i}`));
    // Momentum: PyTorch's first buffer is the gradient itself, so the first step equals SGD's.
    const mom = await racer(w, 'momentum');
    mom.point.forEach((v, i) => close(v, p0[i] - settings.momentum.lr * g[i], 1e-12, `momentum x${i}`));
    // RMSprop: v = (1 − α) g², step = lr g / (√v + ε) = lr sign(g) / √(1 − α).
    const rms = await racer(w, 'rmsprop');
    const { alpha } = settings.rmsprop;
    rms.point.forEach((v, i) => close(v, p0[i] - (settings.rmsprop.lr * g[i]) / (Math.sqrt((1 - alpha) * g[i] * g[i]) + 1e-8),
      1e-12, `RMSprop x${i}`));
    // Adam: bias-corrected m̂ = g, v̂ = g², so the first step is lr · sign(g).
    const adam = await racer(w, 'adam');
    adam.point.forEach((v, i) => close(v, p0[i] - settings.adam.lr * Math.sign(g[i]), 1e-9, `Adam x${i}`));
    // Second step of momentum: b₂ = μ b₁ + g₂.
    await w.getByRole('button', { name: 'Step', exact: true }).click();
    const p1 = mom.point;
    const g1 = matVec(A, p1);
    const b2 = g.map((v, i) => settings.momentum.momentum * v + g1[i]);
    (await racer(w, 'momentum')).point.forEach((v, i) => close(v, p1[i] - settings.momentum.lr * b2[i], 1e-12, `momentum step 2, x${i}`));

    // Run the race to the end (mouse on Run).
    await w.getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction((el) => !el.running && el.racers.filter((r) => r.enabled).every((r) => r.status !== 'running'),
      await w.elementHandle(), { timeout: 30000 });
    const done = Object.fromEntries((await w.evaluate((el) => el.racers)).map((r) => [r.id, r]));
    for (const id of ['sgd', 'momentum', 'rmsprop', 'adam']) assert.equal(done[id].status, 'converged', `${id} status`);
    // SGD's steps to loss < 1e-4, against a plain JavaScript gradient descent.
    assert.equal(done.sgd.reachedAt, bowlSteps(A, p0, settings.sgd.lr, 1e-4));
    // On this axis-aligned κ = 50 bowl momentum, RMSprop and Adam all beat SGD.
    for (const id of ['momentum', 'rmsprop', 'adam']) {
      assert.ok(done[id].reachedAt < done.sgd.reachedAt, `${id} ${done[id].reachedAt} vs SGD ${done.sgd.reachedAt}`);
    }
    // The numbers quoted in the lesson.
    close(done.sgd.reachedAt, 140, 5, 'SGD steps');
    close(done.rmsprop.reachedAt, 40, 5, 'RMSprop steps');
    close(done.adam.reachedAt, 65, 5, 'Adam steps');
    const rows = await w.locator('tbody tr').count();
    assert.equal(rows, 4);
    assert.match(await w.locator('tbody tr[data-racer=adam]').textContent(), /converged/);
    await widgetShot(w, 'widget-optim-race-bowl');

    // Turned by 30° (keyboard on the angle slider): Adam and RMSprop lose their edge.
    const angle = w.getByLabel('Angle of the bowl’s long axis (degrees)', { exact: true });
    await angle.focus();
    for (let i = 0; i < 30; i += 1) await page.keyboard.press('ArrowRight');
    assert.equal(await w.evaluate((el) => el.step), 0, 'a new angle restarts the race');
    // The map while the angle slider moves: the bowl on a 48 × 48 grid; half a second after the
    // last move on 96 × 96. Both are ½ pᵀAp at their grid points.
    const maps = await mapsWhileMoving(angle, [31, 30]);
    assert.deepEqual(maps.map((m) => [m.value, m.moving]), [[31, true], [30, true], [30, false]]);
    maps.forEach((m, k) => checkBowlMap(m, k < 2 ? 48 : 96, bowlMatrix(50, (m.value * Math.PI) / 180), `angle ${m.value}°`));
    await w.getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction((el) => !el.running && el.racers.filter((r) => r.enabled).every((r) => r.status !== 'running'),
      await w.elementHandle(), { timeout: 30000 });
    const turned = Object.fromEntries((await w.evaluate((el) => el.racers)).map((r) => [r.id, r]));
    assert.equal(turned.sgd.reachedAt, bowlSteps(bowlMatrix(50, Math.PI / 6), p0, settings.sgd.lr, 1e-4));
    assert.ok(turned.adam.reachedAt > turned.sgd.reachedAt, `turned: Adam ${turned.adam.reachedAt} vs SGD ${turned.sgd.reachedAt}`);
    assert.ok(turned.momentum.reachedAt < turned.sgd.reachedAt, 'turned: momentum still beats SGD');
    await widgetShot(w, 'widget-optim-race-turned');

    // SGD above 2/κ diverges: type the learning rate.
    const lrBox = w.getByLabel('SGD: learning rate η, exact value');
    await lrBox.fill('0.05');
    await lrBox.press('Enter');
    await w.getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction((el) => el.racers.find((r) => r.id === 'sgd').status === 'diverged',
      await w.elementHandle(), { timeout: 30000 });
    await w.getByRole('button', { name: 'Pause' }).click().catch(() => {});
    // (The table is redrawn on the widget's next frame.)
    await assert.doesNotReject(w.locator('tbody tr[data-racer=sgd]').filter({ hasText: /diverged/ }).waitFor());

    // Switch a racer on with the mouse (Nesterov), then Rosenbrock and the saddle.
    await w.getByLabel('Race Nesterov').check();
    assert.equal((await racer(w, 'nesterov')).enabled, true);
    await w.getByLabel('Landscape', { exact: true }).selectOption('rosenbrock');
    assert.deepEqual(await w.evaluate((el) => el.start), [-1.2, 1]);
    assert.equal((await racer(w, 'sgd')).settings.lr, 0.002, 'suggested settings for Rosenbrock');
    await w.getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction((el) => !el.running, await w.elementHandle(), { timeout: 60000 });
    const rosen = Object.fromEntries((await w.evaluate((el) => el.racers)).map((r) => [r.id, r]));
    assert.equal(rosen.sgd.reachedAt, null, 'SGD does not reach 1e-4 on Rosenbrock in 3000 steps');
    assert.ok(rosen.momentum.reachedAt > 0 && rosen.adam.reachedAt > 0, 'momentum and Adam reach it');
    await widgetShot(w, 'widget-optim-race-rosenbrock');

    await w.getByLabel('Landscape', { exact: true }).selectOption('saddle');
    await w.getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction((el) => !el.running, await w.elementHandle(), { timeout: 60000 });
    const saddle = Object.fromEntries((await w.evaluate((el) => el.racers)).map((r) => [r.id, r]));
    for (const id of ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam']) {
      assert.equal(saddle[id].status, 'escaped', `${id} escapes the saddle`);
    }
    assert.ok(saddle.momentum.reachedAt < saddle.adam.reachedAt && saddle.adam.reachedAt < saddle.sgd.reachedAt,
      `saddle escape order: ${['momentum', 'adam', 'sgd'].map((id) => saddle[id].reachedAt)}`);
    await widgetShot(w, 'widget-optim-race-saddle');

    // Mouse on the map moves the start; Reset brings every attribute back.
    await w.getByLabel('Landscape', { exact: true }).selectOption('bowl');
    const canvas = w.locator('canvas[role=img]').first();
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.3);
    const moved = await w.evaluate((el) => el.start);
    assert.ok(moved[0] > 0 && moved[1] > 0, `start after clicking the map: ${moved}`);
    await w.getByRole('button', { name: 'Reset' }).click();
    assert.deepEqual(await w.evaluate((el) => el.start), [-2.5, 1.5]);
    assert.equal((await racer(w, 'nesterov')).enabled, false);

    // Removed and put back: engine objects released and rebuilt.
    await w.evaluate((el) => { const p = el.parentNode; const n = el.nextSibling; el.remove(); p.insertBefore(el, n); });
    await waitForWidgets(page);
    assert.equal((await w.evaluate((el) => el.racers.filter((r) => r.enabled).length)), 4);

    // The first race on the page: SGD, momentum, Nesterov. Removed and put back untouched, its
    // new map shows the same picture as the old one did and is drawn all the same (what was drawn
    // on the old chart does not count as drawn on the new one).
    const w0 = races.first();
    await w0.scrollIntoViewIfNeeded();
    await w0.evaluate((el) => { const p = el.parentNode; const n = el.nextSibling; el.remove(); p.insertBefore(el, n); });
    await waitForWidgets(page);
    await frames(page);
    assert.equal(await w0.evaluate((el) => el.map.paths.length), 3, 'paths on the rebuilt map');
    await w0.getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction((el) => !el.running && el.step > 0, await w0.elementHandle(), { timeout: 30000 });
    const first = Object.fromEntries((await w0.evaluate((el) => el.racers)).map((r) => [r.id, r]));
    assert.ok(first.nesterov.reachedAt < first.momentum.reachedAt && first.momentum.reachedAt < first.sgd.reachedAt,
      `first race order: ${['nesterov', 'momentum', 'sgd'].map((id) => first[id].reachedAt)}`);
    await widgetShot(w0, 'widget-optim-race-momentum');

    // A racer's setting moved restarts the race: the first move redraws both charts (every path
    // back to the start point); the next, at step 0 still, shows the same pictures and redraws
    // neither; when the hand rests, each is drawn once more (the loss chart's axis fitted to the
    // data again).
    await w0.evaluate((el) => {
      window.redraws = { map: 0, loss: 0 };
      for (const [name, chart] of [['map', el.map], ['loss', el.lossChart]]) {
        const update = chart.update.bind(chart);
        chart.update = () => { window.redraws[name] += 1; update(); };
      }
    });
    const sgdRate = w0.getByLabel('SGD: learning rate η', { exact: true });
    await sgdRate.focus();
    await page.keyboard.press('ArrowRight');
    await frames(page);
    const afterFirst = await w0.evaluate((el) => ({ ...window.redraws, points: el.map.paths.map((p) => p.xy.length / 2) }));
    assert.deepEqual(afterFirst, { map: 1, loss: 1, points: [1, 1, 1] });
    await page.keyboard.press('ArrowRight');
    await frames(page);
    assert.deepEqual(await w0.evaluate(() => window.redraws), { map: 1, loss: 1 }, 'a move at step 0 redrew a chart');
    await page.waitForFunction((el) => !el.moving, await w0.elementHandle());
    await frames(page);
    assert.deepEqual(await w0.evaluate((el) => [window.redraws, el.lossChart.growOnly]), [{ map: 2, loss: 2 }, false],
      'at rest the loss chart was not drawn with its axis fitted again');
    await w0.getByRole('button', { name: 'Step', exact: true }).click();
    await frames(page);
    assert.deepEqual(await w0.evaluate(() => window.redraws), { map: 3, loss: 3 }, 'a step must redraw both charts');

    await screenshot(page, 'lesson-optimizers-tested');
    await checkPage(page, problems, 'optimizers');
    await page.close();
  });

  test('optimizers: a learning rate moved mid-race restarts every racer exactly as a new race would', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/optimizers.html`);
    await waitForWidgets(page);
    const w = page.locator('gradlab-optim-race').nth(1); // sgd, momentum, rmsprop, adam
    await w.scrollIntoViewIfNeeded();
    const step = w.getByRole('button', { name: 'Step', exact: true });
    // Some steps first, so every optimizer has state (velocity, averages, step count) to clear.
    for (let k = 0; k < 6; k += 1) await step.click();
    const trainers = () => w.evaluate((el) => { window.kept ??= new Map(); return el.race.racers.filter((r) => r.enabled)
      .map((r) => { const same = window.kept.get(r.id) === r.trainer; window.kept.set(r.id, r.trainer); return same; }); });
    await trainers();
    for (const label of ['Momentum: learning rate η', 'Adam: learning rate η']) {
      await w.getByLabel(label, { exact: true }).focus();
      await page.keyboard.press('ArrowRight');
    }
    await frames(page);
    // (A rate is all that changed: the racers kept their engine trainers.)
    assert.deepEqual(await trainers(), [true, true, true, true], 'trainers rebuilt for a learning-rate move');
    assert.equal(await w.evaluate((el) => el.step), 0, 'the race restarted');
    for (let k = 0; k < 25; k += 1) await step.click();

    // The same race built from nothing: a new Race with the widget's landscape, start and settings.
    await page.evaluate(installFreshRace);
    const { mine, fresh } = await w.evaluate((el) => {
      const race = el.race;
      const ref = window.freshRace(race, 25);
      const paths = (rc) => rc.racers.filter((r) => r.enabled).map((r) => [r.id, Array.from(rc.trajectory(r))]);
      const out = { mine: paths(race), fresh: paths(ref) };
      ref.delete();
      return out;
    });
    assert.equal(mine.length, 4);
    for (let i = 0; i < mine.length; i += 1) {
      assert.equal(mine[i][1].length, 2 * 26, `${mine[i][0]}: start + 25 steps`);
      assert.deepEqual(mine[i], fresh[i], `${mine[i][0]} after the rate moved differs from a new race`);
    }

    // Another setting (Adam's β₁) is not a rate: that racer gets a new trainer, the others keep theirs.
    await w.getByLabel('Adam: β₁ (gradient average)', { exact: true }).focus();
    await page.keyboard.press('ArrowLeft');
    await frames(page);
    assert.deepEqual(await trainers(), [true, true, true, false]);
    await checkPage(page, problems, 'optimizers (rates)');
    await page.close();
  });

  test('optimizers: a drag of the bowl\'s sliders builds the racers when the hand rests or the race steps', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/optimizers.html`);
    await waitForWidgets(page);
    const w = page.locator('gradlab-optim-race').first(); // sgd, momentum, nesterov
    await w.scrollIntoViewIfNeeded();
    const kappa = w.getByLabel('Condition number κ of the bowl', { exact: true });
    const memory = () => w.evaluate((el) => el.race.gl.memoryStats().allocated);
    // What the widget shows now, next to the same race built from nothing (every racer built,
    // `steps` steps taken): snapshots, paths and loss histories.
    await page.evaluate(installFreshRace);
    const compare = (steps) => w.evaluate((el, n) => {
      const race = el.race;
      const waiting = race.racers.filter((r) => r.enabled).map((r) => r.pending && !r.trainer);
      const ref = window.freshRace(race, n);
      const seen = (rc) => rc.racers.map((r) => [rc.snapshot(r, el.threshold), Array.from(rc.trajectory(r)),
        Array.from(rc.history(r))]);
      const out = { moving: el.moving, starter: race.starter !== null, waiting, mine: seen(race), fresh: seen(ref),
        drawn: el.map.paths.map((p) => [p.racer.id, Array.from(p.xy)]) };
      ref.delete();
      return out;
    }, steps);
    const same = (got, what) => {
      for (let i = 0; i < got.mine.length; i += 1) {
        assert.deepEqual(got.mine[i], got.fresh[i], `${what}: ${got.fresh[i][0].id} differs from a race built at once`);
      }
      const fresh = got.fresh.filter(([s]) => s.enabled).map(([s, xy]) => [s.id, xy]);
      assert.deepEqual(got.drawn, fresh, `${what}: the paths drawn on the map`);
    };

    // A start of our own (a click on the map), away from the landscape's default one.
    const map = w.locator('canvas[role=img]').first();
    await map.scrollIntoViewIfNeeded();
    const box = await map.boundingBox();
    await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.7);
    const start = await w.evaluate((el) => el.start);
    assert.notDeepEqual(start, [-2.5, 1.5], 'the click moved the start');

    // Mid-drag: no racer is built, one trainer answers for all three, and the widget shows
    // exactly what built racers show at step 0.
    await kappa.scrollIntoViewIfNeeded();
    await dragRange(page, kappa, 0.8);
    let got = await compare(0);
    assert.ok(got.moving, 'checked while the slider counts as moving (within half a second of the drag)');
    assert.deepEqual([got.starter, got.waiting], [true, [true, true, true]], 'racers built during the drag');
    same(got, 'during the drag');
    assert.equal(got.mine[0][0].status, 'running');
    assert.deepEqual(got.mine[0][0].point, start, 'every racer at the start');

    // A step while they wait builds them and steps every one, as in a race built at once.
    await kappa.focus();
    await page.keyboard.press('ArrowLeft');
    await w.evaluate((el) => { if (!el.race.starter) throw new Error('racers built before the step'); el.stepOnce(); });
    await frames(page);
    got = await compare(1);
    assert.deepEqual([got.starter, got.waiting], [false, [false, false, false]], 'a step left racers unbuilt');
    same(got, 'after a step from the waiting state');
    assert.equal(got.mine[0][0].steps, 1);

    // When the hand rests they are built, and nothing shown changes.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const moving = await compare(0);
    await page.waitForFunction((el) => !el.moving, await w.elementHandle());
    await frames(page);
    got = await compare(0);
    assert.deepEqual([moving.starter, got.starter, got.waiting], [true, false, [false, false, false]],
      'racers not built at rest');
    same(got, 'at rest');
    assert.deepEqual(got.mine, moving.mine, 'what the racers show changed when they were built');

    // The stand-in trainers are freed: back at the same κ after ten moves (ten of them made, each
    // with room for 4,096 losses, 32 KB), the engine holds what it held, give or take a few bytes
    // of the allocator's bookkeeping.
    const before = await memory();
    for (let k = 0; k < 10; k += 1) await page.keyboard.press(k < 5 ? 'ArrowRight' : 'ArrowLeft');
    await page.waitForFunction((el) => !el.moving, await w.elementHandle());
    const grown = (await memory()) - before;
    assert.ok(Math.abs(grown) < 4096, `engine memory grew by ${grown} bytes moving κ there and back`);
    await checkPage(page, problems, 'optimizers (bowl drag)');
    await page.close();
  });

  test('curvature: Hessian = R diag(1, κ) Rᵀ, eigenvalues, 2/λmax, Newton lands on the minimum', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/curvature.html`);
    await waitForWidgets(page);
    const widgets = page.locator('gradlab-curvature-hessian');
    assert.equal(await widgets.count(), 2);
    const w = widgets.first();
    await w.scrollIntoViewIfNeeded();

    const check = async (kappa, deg) => {
      const s = await w.evaluate((el) => ({ H: el.hessian, eig: el.eigenvalues, vec: el.eigenvectors, p: el.point,
        newton: el.newtonPoint, limit: el.maxStableLearningRate, kappa: el.conditionNumber, grad: el.gradient }));
      const A = bowlMatrix(kappa, (deg * Math.PI) / 180);
      s.H.forEach((v, i) => close(v, A[i], 1e-9, `H[${i}] at κ = ${kappa}, ${deg}°`));
      close(s.eig[0], kappa, 1e-9, 'λ₁');
      close(s.eig[1], 1, 1e-9, 'λ₂');
      close(s.limit, 2 / kappa, 1e-12, '2/λmax');
      close(s.kappa, kappa, 1e-9, 'condition number');
      // The λ₁ direction is the rotated y axis (±).
      const t = (deg * Math.PI) / 180;
      close(Math.abs(s.vec[0][0] * -Math.sin(t) + s.vec[0][1] * Math.cos(t)), 1, 1e-9, 'λ₁ direction');
      matVec(A, s.p).forEach((v, i) => close(s.grad[i], v, 1e-9, `gradient ${i}`));
      // Newton: one step lands on the minimum (0, 0) from any point of a quadratic.
      s.newton.forEach((v, i) => close(v, 0, 1e-9, `Newton lands at 0 (coordinate ${i})`));
      return s;
    };
    await check(10, 30);
    assert.match(await w.locator('.ch-kind').textContent(), /bowl-shaped/);
    await widgetShot(w, 'widget-curvature-bowl');

    // Run gradient descent: η = 0.15 < 0.2 converges; at 0.21 > 0.2 it diverges.
    await w.getByRole('button', { name: /Run gradient descent/ }).click();
    assert.equal((await w.evaluate((el) => el.run)).status, 'converged');
    const lrBox = w.getByLabel('Learning rate η (log scale), exact value');
    await lrBox.fill('0.21');
    await lrBox.press('Enter');
    await w.getByRole('button', { name: /Run gradient descent/ }).press('Enter');
    assert.equal((await w.evaluate((el) => el.run)).status, 'diverged');
    await widgetShot(w, 'widget-curvature-diverged');
    await w.getByRole('button', { name: 'Set η = 1/λ₁' }).click();
    close(await w.evaluate((el) => el.learningRate), 0.1, 1e-12, 'η = 1/λ₁');

    // Keyboard: κ up by 5 (ArrowRight on the slider), the Hessian follows.
    await w.getByLabel('Condition number κ', { exact: true }).focus();
    for (let i = 0; i < 5; i += 1) await page.keyboard.press('ArrowRight');
    await check(15, 30);
    // The map while κ moves: 45 × 45; at rest 90 × 90; both ½ pᵀAp.
    const maps = await mapsWhileMoving(w.getByLabel('Condition number κ', { exact: true }), [16, 15]);
    assert.deepEqual(maps.map((m) => [m.value, m.moving]), [[16, true], [15, true], [15, false]]);
    maps.forEach((m, k) => checkBowlMap(m, k < 2 ? 45 : 90, bowlMatrix(m.value, Math.PI / 6), `κ = ${m.value}`));
    await check(15, 30);
    // Mouse: click somewhere on the map, then take the Newton step -> (0, 0).
    const canvas = w.locator('canvas[role=img]');
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.25);
    const p = await w.evaluate((el) => el.point);
    assert.ok(p[0] > 0 && p[1] > 0, `point after the click: ${p}`);
    await check(15, 30);
    // Gradient step: p − η A p.
    const A = bowlMatrix(15, Math.PI / 6);
    const lr = await w.evaluate((el) => el.learningRate);
    const expected = p.map((v, i) => v - lr * matVec(A, p)[i]);
    await w.getByRole('button', { name: 'Take the gradient step' }).click();
    (await w.evaluate((el) => el.point)).forEach((v, i) => close(v, expected[i], 1e-9, `gradient step ${i}`));
    await w.getByRole('button', { name: 'Take the Newton step' }).click();
    (await w.evaluate((el) => el.point)).forEach((v, i) => close(v, 0, 1e-9, `after the Newton step ${i}`));
    close(await w.evaluate((el) => el.loss), 0, 1e-15, 'loss at the minimum');
    await w.getByRole('button', { name: 'Reset' }).click();
    assert.deepEqual(await w.evaluate((el) => el.point), [-2.5, 1.5]);

    // The saddle: eigenvalues 2 and −2, Newton goes to (0, 0) — uphill from (0.5, 1).
    const s = widgets.nth(1);
    await s.scrollIntoViewIfNeeded();
    const sad = await s.evaluate((el) => ({ H: el.hessian, eig: el.eigenvalues, newton: el.newtonPoint, loss: el.loss,
      limit: el.maxStableLearningRate, kappa: el.conditionNumber }));
    assert.deepEqual(sad.H, [2, 0, 0, -2]);
    assert.deepEqual(sad.eig, [2, -2]);
    sad.newton.forEach((v, i) => close(v, 0, 1e-12, `saddle Newton ${i}`));
    close(sad.loss, 0.25 - 1, 1e-12, 'saddle loss at (0.5, 1)');
    assert.equal(sad.kappa, null);
    assert.match(await s.locator('.ch-kind').textContent(), /saddle-shaped/);
    assert.match(await s.locator('.ch-warn').textContent(), /uphill/);
    await widgetShot(s, 'widget-curvature-saddle');
    // Rosenbrock at its start: H = [[2 − 400y + 1200x², −400x], [−400x, 200]].
    await s.getByLabel('Loss surface', { exact: true }).selectOption('rosenbrock');
    const ro = await s.evaluate((el) => ({ H: el.hessian, p: el.point, eig: el.eigenvalues }));
    const [x, y] = ro.p;
    [2 - 400 * y + 1200 * x * x, -400 * x, -400 * x, 200].forEach((v, i) => close(ro.H[i], v, 1e-9, `Rosenbrock H[${i}]`));
    close(ro.eig[0], 1506, 1, 'Rosenbrock λ₁');
    close(ro.eig[1], 23.6, 0.1, 'Rosenbrock λ₂');
    await widgetShot(s, 'widget-curvature-rosenbrock');

    await screenshot(page, 'lesson-curvature-tested');
    await checkPage(page, problems, 'curvature');
    await page.close();
  });

  test('practice: 1000, 500, 499.9 and C are correct; wrong answers get feedback', async () => {
    const { page, problems } = await openPage(browser, `${site.url}lessons/practice.html`);
    await waitForWidgets(page);
    const sets = page.locator('gradlab-practice-set');
    assert.equal(await sets.count(), 2);
    const w = sets.first();
    await w.scrollIntoViewIfNeeded();
    await page.evaluate(() => {
      window.__answers = [];
      document.addEventListener('gradlab-answer', (e) => window.__answers.push(e.detail));
    });
    const q = (id) => w.locator(`form[data-question="${id}"]`);
    const answer = async (id, text, how = 'enter') => {
      const box = q(id).getByLabel(/Your answer/);
      await box.fill(text);
      if (how === 'enter') await box.press('Enter');
      else await q(id).getByRole('button', { name: 'Check' }).click();
      return q(id).locator('.pq-feedback').textContent();
    };

    // Wrong first: feedback, hint, worked answer.
    assert.match(await answer('phone-error', '-1000'), /Not quite.*wrong sign.*₹1,000/s);
    assert.match(await answer('phone-error', 'abc'), /not a number/);
    assert.match(await answer('phone-error', '₹1,000'), /^Correct!/);
    assert.match(await answer('steps-prediction', '2500', 'click'), /^Correct!/);
    assert.match(await answer('steps-error', '400'), /Not quite/);
    assert.match(await answer('steps-error', '500'), /^Correct!/);
    assert.match(await answer('steps-update', '500'), /Not quite.*499\.9/s);
    assert.match(await answer('steps-update', '499.9'), /^Correct!/);
    // Multiple choice by keyboard: focus B, arrow down to C, Enter submits.
    const mcq = q('backprop-branch');
    await mcq.getByLabel('B. Integral calculus').check();
    await mcq.getByRole('button', { name: 'Check' }).click();
    assert.match(await mcq.locator('.pq-feedback').textContent(), /Not quite.*differential calculus/s);
    await mcq.getByLabel('B. Integral calculus').focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await mcq.getByLabel('C. Differential calculus').isChecked(), true);
    await page.keyboard.press('Enter');
    assert.match(await mcq.locator('.pq-feedback').textContent(), /^Correct!/);
    assert.deepEqual(await w.evaluate((el) => el.score), { correct: 5, answered: 5, total: 5 });
    // (The score readout is rewritten on the widget's next frame; read at once, a fresh-clone CI
    // run saw "4 of 5".)
    await assert.doesNotReject(w.locator('.gl-readout output').filter({ hasText: /5 of 5 correct/ }).waitFor());
    const events = await page.evaluate(() => window.__answers);
    assert.equal(events.length, 9);
    assert.deepEqual(events.filter((e) => e.correct).map((e) => e.question),
      ['phone-error', 'steps-prediction', 'steps-error', 'steps-update', 'backprop-branch']);
    assert.equal(events.find((e) => e.question === 'backprop-branch' && e.correct).response, 'C');
    await widgetShot(w, 'widget-practice-warm-up');

    // Drills: expected answers against independent formulas, then "New numbers".
    const d = sets.nth(1);
    await d.scrollIntoViewIfNeeded();
    const verify = async () => {
      const qs = Object.fromEntries((await d.evaluate((el) => el.questions)).map((x) => [x.id, x]));
      const nums = (text) => (text.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
      const a = Number(qs['derivative-square'].prompt.match(/x = (−?-?[\d.]+)/)[1].replace('−', '-'));
      close(qs['derivative-square'].expected, 2 * a, 1e-12, 'd/dx x²');
      const [p, t] = [...qs['mse-small'].prompt.matchAll(/\(([^)]*)\)/g)].map((m) => m[1].split(',').map(Number));
      close(qs['mse-small'].expected, p.reduce((s, v, i) => s + (v - t[i]) ** 2, 0) / p.length, 1e-12, 'MSE');
      const wm = qs['sigmoid-chain'].prompt.match(/w = (−?[\d.]+) and x = (\d+)/);
      const wv = Number(wm[1].replace('−', '-'));
      const xv = Number(wm[2]);
      const yv = 1 / (1 + Math.exp(-wv * xv));
      close(qs['sigmoid-chain'].expected, -yv * (1 - yv) * xv, 1e-12, 'sigmoid chain rule');
      const [sx, sy, sw, lr] = nums(qs['gradient-step'].prompt.replace(/\(w·x − y\)²/, ''));
      close(qs['gradient-step'].expected, sw - lr * 2 * (sw * sx - sy) * sx, 1e-9, 'one gradient step');
      return qs;
    };
    const qs1 = await verify();
    // Type the right answer (rounded as asked) into each drill.
    for (const [id, x] of Object.entries(qs1)) {
      const digits = id === 'sigmoid-chain' ? 3 : 2;
      const box = d.locator(`form[data-question="${id}"]`).getByLabel(/Your answer/);
      await box.fill(x.expected.toFixed(digits));
      await box.press('Enter');
    }
    assert.deepEqual(await d.evaluate((el) => el.score), { correct: 4, answered: 4, total: 4 });
    await widgetShot(d, 'widget-practice-drills');
    await d.getByRole('button', { name: 'New numbers' }).click();
    assert.equal(await d.evaluate((el) => el.seed), 2);
    assert.deepEqual(await d.evaluate((el) => el.score), { correct: 0, answered: 0, total: 4 });
    await verify();
    await d.getByRole('button', { name: 'Start again' }).click();
    assert.equal(await d.evaluate((el) => el.seed), 1);

    await screenshot(page, 'lesson-practice-tested');
    await checkPage(page, problems, 'practice');
    await page.close();
  });
});
