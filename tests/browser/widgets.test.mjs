// The widget base class and the chart helpers in headless Chromium, against the real engine,
// under the site's strict CSP: a test-only widget (fixtures/harness/harness.js) uses every chart
// type, a slider, readouts, the frame scheduler, the animation loop and clean-up.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { startServer } from '../../scripts/serve.mjs';
import {
  assertNoProblems, expectNoBadNumbers, formatViolations, frames, launchBrowser, openPage, repoRoot,
  runAxe, screenshot, screenshotPixels, waitForWidgets,
} from './helpers.mjs';

const fixture = path.join(repoRoot, 'tests/browser/fixtures/harness');
const engine = process.env.GRADLAB_ENGINE ?? path.join(repoRoot, 'build/wasm/gradlab-engine.mjs');

describe('widget base class and charts', { skip: !existsSync(engine) && `engine not built (${engine})` }, () => {
  let dir;
  let site;
  let browser;
  let page;
  let problems;
  const harness = () => page.locator('gradlab-test-harness');
  const inWidget = (fn, arg) => harness().evaluate(fn, arg);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gradlab-harness-'));
    await esbuild.build({
      entryPoints: [path.join(fixture, 'harness.js')], bundle: true, format: 'esm',
      outfile: path.join(dir, 'harness.bundle.js'), external: ['./gradlab-engine.mjs'],
      logLevel: 'error',
    });
    await copyFile(engine, path.join(dir, 'gradlab-engine.mjs'));
    await copyFile(engine.replace(/\.mjs$/, '.wasm'), path.join(dir, 'gradlab-engine.wasm'));
    await copyFile(path.join(fixture, 'index.html'), path.join(dir, 'index.html'));
    await copyFile(path.join(fixture, 'harness.css'), path.join(dir, 'harness.css'));
    await copyFile(path.join(repoRoot, 'web/site/site.css'), path.join(dir, 'site.css'));
    site = await startServer({ root: dir, port: 0 });
    browser = await launchBrowser();
    ({ page, problems } = await openPage(browser, `${site.url}index.html`));
    await waitForWidgets(page);
    await page.waitForFunction(() => document.querySelector('gradlab-test-harness').state.draws > 0);
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('renders four charts with text alternatives and no bad numbers', async () => {
    const labels = await harness().locator('canvas[role=img]').evaluateAll((cs) => cs.map((c) => [c.getAttribute('role'), c.getAttribute('aria-label')]));
    assert.equal(labels.length, 4);
    for (const [role, label] of labels) {
      assert.equal(role, 'img');
      assert.ok(label.length > 20, label);
    }
    assert.match(labels[0][1], /lowest loss [^;]+ near x = 0\.99\d*, y = 0\.98\d*/);
    assert.match(labels[1][1], /Loss over steps \(log scale\): loss \d/);
    // the hidden table appears after the throttle delay (500 ms): poll for it
    const tableRows = () => harness().locator('figcaption table tr').count();
    for (let i = 0; i < 100 && await tableRows() <= 4; i += 1) await page.waitForTimeout(50);
    const rows = await tableRows();
    assert.ok(rows > 4, `only ${rows} table rows`);
    // NaN passed to a readout is shown as a dash
    assert.equal(await harness().locator('.gl-readout output').nth(1).textContent(), '—');
    await expectNoBadNumbers(page, 'harness');
    await screenshot(page, 'widget-harness', { target: harness() });
    const violations = await runAxe(page);
    assert.deepEqual(violations, [], formatViolations(violations));
    assertNoProblems(problems, 'harness');
  });

  test('slider: typed values are checked, clamped on commit, and drive the widget', async () => {
    const number = harness().locator('input[type=number]').first();
    const hint = harness().locator('.gl-hint').first();
    await number.fill('5');
    assert.equal(await number.getAttribute('aria-invalid'), 'true');
    assert.match(await hint.textContent(), /outside the allowed range/);
    await number.press('Enter'); // change event: clamp to max
    assert.equal(await inWidget((el) => el.state.lr), 0.01);
    assert.match(await hint.textContent(), /using 0\.01/);
    await number.fill('');
    await number.press('Tab');
    assert.equal(await inWidget((el) => el.state.lr), 0.01);
    assert.match(await hint.textContent(), /Enter a number from 0\.0001 to 0\.01; kept 0\.01/);
    assert.equal(await number.inputValue(), '0.01');
    const before = await inWidget((el) => el.state.draws);
    const range = harness().locator('input[type=range]').first();
    await range.focus();
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((n) => document.querySelector('gradlab-test-harness').state.draws > n, before);
    const lr = await inWidget((el) => el.state.lr);
    assert.ok(lr < 0.01 && lr > 0.009, `lr ${lr}`);
    assert.equal(await number.inputValue(), String(lr));
    assertNoProblems(problems, 'slider');
  });

  test('many requestDraw() calls in one frame give one draw', async () => {
    const draws = await inWidget(async (el) => {
      await new Promise(requestAnimationFrame);
      const start = el.state.draws;
      for (let i = 0; i < 10; i += 1) el.requestDraw();
      await new Promise(requestAnimationFrame);
      await new Promise(requestAnimationFrame);
      return el.state.draws - start;
    });
    assert.equal(draws, 1);
  });

  test('a redraw that reuses the kept axes bitmap gives the pixels of a full redraw', async () => {
    const result = await inWidget(async (el) => {
      const charts = { heat: el.heat, line: el.line, curve: el.curve, scatter: el.scatter };
      const pixels = (c) => {
        const { canvas } = c.chart;
        return canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      };
      const out = {};
      for (const [name, c] of Object.entries(charts)) {
        // Count the axis-label drawing of the x scale: a redraw from the bitmap does none.
        const scale = c.chart.scales.x;
        let labelDraws = 0;
        const original = scale.drawLabels;
        scale.drawLabels = function drawLabels(...args) { labelDraws += 1; return original.apply(this, args); };
        try {
          c.update(); // whatever state the chart was in: after this its layout is settled
          c.update();
          labelDraws = 0;
          c.update(); // same layout: drawn over the kept bitmap
          const kept = labelDraws;
          const fromBitmap = pixels(c);
          labelDraws = 0;
          c.chart.update('none'); // Chart.js's full update: a new layout, everything drawn
          const full = labelDraws;
          const drawn = pixels(c);
          let differing = 0;
          for (let i = 0; i < drawn.length; i += 1) if (Math.abs(drawn[i] - fromBitmap[i]) > 1) differing += 1;
          out[name] = { kept, full, differing, size: drawn.length };
        } finally {
          delete scale.drawLabels;
        }
      }
      // New limits move the axes: the bitmap must not be reused, the y labels are drawn again.
      const s = el.scatter;
      const y = s.chart.scales.y;
      let yLabels = 0;
      const original = y.drawLabels;
      y.drawLabels = function drawLabels(...args) { yLabels += 1; return original.apply(this, args); };
      try {
        s.chart.options.scales.y.max = 20;
        s.update();
        out.limits = { yLabels };
      } finally {
        delete y.drawLabels;
        s.chart.options.scales.y.max = 10;
        s.update();
      }
      return out;
    });
    for (const name of ['heat', 'line', 'curve', 'scatter']) {
      const r = result[name];
      assert.equal(r.kept, 0, `${name}: the axes were drawn again though the layout had not changed`);
      assert.equal(r.full, 1, `${name}: the full update did not draw the x axis once`);
      assert.equal(r.differing, 0, `${name}: ${r.differing} of ${r.size} channel values differ from a full redraw`);
    }
    assert.equal(result.limits.yLabels, 1, 'new y limits: the y labels were not drawn again');
  });

  test('datasets that stay as they were are neither placed nor drawn again while others move, and the chart keeps the pixels of a full redraw', async () => {
    const r = await inWidget(async (el) => {
      const pixels = (c) => {
        const { canvas } = c.chart;
        return canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      };
      const differing = (c) => {
        const kept = pixels(c);
        c.chart.update('none'); // Chart.js's full update: every dataset placed and drawn
        const full = pixels(c);
        // Up to 2 of 255 apart, as in the heat map's own copy (below): a pixel partly covered
        // is blended into the transparent copy and then onto the chart, rounded each time. A
        // stale picture differs by far more, in thousands of values.
        let n = 0;
        for (let i = 0; i < full.length; i += 1) if (Math.abs(full[i] - kept[i]) > 2) n += 1;
        return n;
      };
      // Per dataset: how often Chart.js placed its elements (_updateDataset) and drew it.
      const watch = (c) => {
        const counts = { placed: [], drawn: [] };
        const chart = c.chart;
        const place = chart._updateDataset;
        chart._updateDataset = function _updateDataset(i, ...rest) {
          counts.placed[i] = (counts.placed[i] ?? 0) + 1;
          return place.call(this, i, ...rest);
        };
        chart.data.datasets.forEach((_, i) => {
          const { controller } = chart.getDatasetMeta(i);
          const draw = controller.draw;
          controller.draw = function drawDataset(...args) {
            counts.drawn[i] = (counts.drawn[i] ?? 0) + 1;
            return draw.apply(this, args);
          };
        });
        const ctx = chart.ctx;
        counts.images = 0;
        const drawImage = ctx.drawImage;
        ctx.drawImage = function countImages(...args) {
          counts.images += 1;
          return drawImage.apply(this, args);
        };
        const reset = () => { counts.placed = []; counts.drawn = []; counts.images = 0; };
        const stop = () => {
          delete chart._updateDataset;
          delete ctx.drawImage;
          chart.data.datasets.forEach((_, i) => delete chart.getDatasetMeta(i).controller.draw);
        };
        return { counts, reset, stop };
      };
      const out = {};

      // Curve: the function's curve (drawn first, at the bottom), tangent and steps stay while
      // the point moves; then the curve itself changes.
      const c = el.curve;
      const f = (x) => (1 - x) ** 2 + 100 * (1 - x * x) ** 2;
      const w = watch(c);
      try {
        for (let k = 0; k < 4; k += 1) {
          w.reset();
          c.setPoint(0.1 * k, f(0.1 * k));
          c.update();
        }
        out.curveStill = { placed: [...w.counts.placed], drawn: [...w.counts.drawn] };
        out.curveStillDiffering = differing(c);
        for (let k = 0; k < 4; k += 1) { c.setPoint(0.1 * k, f(0.1 * k)); c.update(); }
        w.reset();
        c.setCurve((x) => f(x) / 2); // a new curve under the kept ones
        c.setPoint(0.5, f(0.5) / 2);
        c.update();
        out.curveChanged = { placed: [...w.counts.placed], drawn: [...w.counts.drawn] };
        // …and once it stays again, what is kept is the new curve, not the one kept before.
        for (let k = 0; k < 4; k += 1) { c.setPoint(0.1 * k, f(0.1 * k) / 2); c.update(); }
        out.curveChangedDiffering = differing(c);
      } finally {
        w.stop();
        c.setCurve(f);
        c.update();
      }

      // Heat map: the landscape's picture and the path stay while the current point moves;
      // then the landscape changes under them.
      const h = el.heat;
      const wh = watch(h);
      const { values, nx, ny } = h.grid;
      const before = Array.from(values);
      try {
        for (let k = 0; k < 4; k += 1) {
          wh.reset();
          h.setPoint(-1 + 0.1 * k, 1);
          h.update();
        }
        out.heatStill = { drawn: [...wh.counts.drawn], images: wh.counts.images };
        out.heatStillDiffering = differing(h);
        for (let k = 0; k < 4; k += 1) { h.setPoint(-1 + 0.1 * k, 1); h.update(); }
        h.setGrid(Float64Array.from(before, (v, i) => v + (i % nx) * 5), nx, ny);
        for (let k = 0; k < 4; k += 1) { h.setPoint(-1 + 0.1 * k, 1); h.update(); }
        out.heatChangedDiffering = differing(h);
      } finally {
        wh.stop();
        h.setGrid(Float64Array.from(before), nx, ny);
        h.update();
      }

      // The curve moves under the tangent, steps and point, which stay: those are drawn once into
      // a layer of their own and copied over the new curve. The point sits on the tangent, so in
      // the wrong order the tangent's dashes would cross it.
      const wo = watch(c);
      try {
        c.setPoint(0.3, f(0.3));
        c.setTangent(0.3, f(0.3), -40);
        // (Lower each time: the curve stays within the y axis, so no update lays the chart out.)
        for (let k = 1; k <= 6; k += 1) {
          wo.reset();
          c.setCurve((x) => f(x) * (1 - 0.05 * k));
          c.update();
        }
        out.over = { placed: [...wo.counts.placed], drawn: [...wo.counts.drawn] };
        out.overDiffering = differing(c);
      } finally {
        wo.stop();
        c.setCurve(f);
        c.update();
      }
      return out;
    });
    // CurveChart's datasets: 0 curve, 1 tangent, 2 steps (all kept), 3 the point (moved).
    assert.deepEqual(r.curveStill.placed.map((n) => n ?? 0), [0, 0, 0, 1], 'placed (curve, tangent, steps, point)');
    assert.deepEqual(r.curveStill.drawn.map((n) => n ?? 0), [0, 0, 0, 1], 'drawn (curve, tangent, steps, point)');
    assert.equal(r.curveStillDiffering, 0, 'kept datasets: pixels differ from a full redraw');
    assert.equal(r.curveChanged.drawn[0], 1, 'a changed curve was not drawn again');
    assert.equal(r.curveChanged.placed[0], 1, 'a changed curve was not placed again');
    assert.equal(r.curveChangedDiffering, 0, 'changed curve: pixels differ from a full redraw');
    // HeatmapChart's datasets: 0 path halo, 1 path (kept), 2 the point; the picture comes with the
    // kept background in one copy.
    assert.deepEqual(r.heatStill.drawn.map((n) => n ?? 0), [0, 0, 1], 'heat map drawn (halo, path, point)');
    assert.equal(r.heatStill.images, 1, 'heat map: the kept background is not one copy');
    assert.equal(r.heatStillDiffering, 0, 'heat map, kept: pixels differ from a full redraw');
    assert.equal(r.heatChangedDiffering, 0, 'heat map, new landscape: pixels differ from a full redraw');
    // Only the curve is placed and drawn; the three datasets over it come as one copy.
    const four = (counts) => Array.from({ length: 4 }, (_, i) => counts[i] ?? 0);
    assert.deepEqual(four(r.over.placed), [1, 0, 0, 0], 'placed (curve, tangent, steps, point)');
    assert.deepEqual(four(r.over.drawn), [1, 0, 0, 0], 'drawn (curve, tangent, steps, point)');
    assert.equal(r.overDiffering, 0, 'datasets kept over a moving curve: pixels differ from a full redraw');
  });

  test('the legend follows a changed line colour on the quick redraw, and is not rebuilt when no style changed', async () => {
    const r = await inWidget(async (el) => {
      const c = el.curve;
      const { legend } = c.chart;
      const dataset = c.chart.data.datasets[0];
      const colour = dataset.borderColor;
      let builds = 0;
      const build = legend.buildLabels;
      legend.buildLabels = function buildLabels(...args) { builds += 1; return build.apply(this, args); };
      try {
        c.chart.options.plugins.legend.display = true;
        c.update(); // a new layout (the legend takes room)
        c.update();
        builds = 0;
        c.setPoint(0.2, 1);
        c.update(); // same layout, same styles
        const unchanged = builds;
        dataset.borderColor = '#00aa00';
        c.update(); // same layout, a new colour
        const item = legend.legendItems.find((i) => i.datasetIndex === 0);
        return { unchanged, swatch: item?.strokeStyle };
      } finally {
        delete legend.buildLabels;
        dataset.borderColor = colour;
        c.chart.options.plugins.legend.display = false;
        c.update();
      }
    });
    assert.equal(r.unchanged, 0, 'the legend was rebuilt though no style had changed');
    assert.equal(r.swatch, '#00aa00', 'the legend kept the old colour');
  });

  test('heatmap: every contour segment joins two points of a cell\'s edges where the field crosses its level', async () => {
    // A bowl on a 61 × 61 grid with 10 levels: hundreds of segments. Each end must lie on a grid line, inside the extent, where the straight-line
    // interpolation of the scaled field along that cell edge equals one of the levels.
    const r = await inWidget((el) => {
      const c = el.heat;
      const saved = { grid: c.grid, scale: c.colorScale };
      const n = 61;
      try {
        c.setColorScale('linear');
        const { xMin, xMax, yMin, yMax } = c.extent;
        const values = new Float64Array(n * n);
        for (let row = 0; row < n; row += 1) {
          for (let col = 0; col < n; col += 1) values[row * n + col] = (col - 20) ** 2 + 2 * (row - 35) ** 2;
        }
        c.setGrid(values, n, n);
        const s = Array.from(c._segments);
        const t = Array.from(c._scaled);
        const levels = Array.from({ length: c.contourCount }, (_, q) => (q + 1) / (c.contourCount + 1));
        const dx = (xMax - xMin) / (n - 1);
        const dy = (yMax - yMin) / (n - 1);
        const field = (i, j) => t[j * n + i];
        const bad = [];
        for (let k = 0; k < s.length; k += 2) {
          const gx = (s[k] - xMin) / dx;
          const gy = (s[k + 1] - yMin) / dy;
          const onColumn = Math.abs(gx - Math.round(gx)) < 1e-9;
          const onRow = Math.abs(gy - Math.round(gy)) < 1e-9;
          let value;
          if (onColumn) {
            const i = Math.round(gx);
            const j = Math.min(n - 2, Math.floor(gy));
            value = field(i, j) + (gy - j) * (field(i, j + 1) - field(i, j));
          } else if (onRow) {
            const j = Math.round(gy);
            const i = Math.min(n - 2, Math.floor(gx));
            value = field(i, j) + (gx - i) * (field(i + 1, j) - field(i, j));
          }
          const inside = gx >= -1e-9 && gx <= n - 1 + 1e-9 && gy >= -1e-9 && gy <= n - 1 + 1e-9;
          if (!inside || value === undefined || !levels.some((l) => Math.abs(value - l) < 1e-9)) bad.push([s[k], s[k + 1], value]);
        }
        const perLevel = levels.map((l) => {
          let m = 0;
          for (let k = 0; k < s.length; k += 4) {
            const gx = (s[k] - xMin) / dx;
            const gy = (s[k + 1] - yMin) / dy;
            const i = Math.min(n - 2, Math.floor(gx + 1e-9));
            const j = Math.min(n - 2, Math.floor(gy + 1e-9));
            const lo = Math.min(field(i, j), field(i + 1, j), field(i, j + 1), field(i + 1, j + 1));
            const hi = Math.max(field(i, j), field(i + 1, j), field(i, j + 1), field(i + 1, j + 1));
            if (lo <= l && l <= hi) m += 1;
          }
          return m;
        });
        return { segments: s.length / 4, bad: bad.slice(0, 5), badCount: bad.length, perLevel };
      } finally {
        c.setColorScale(saved.scale);
        c.setGrid(saved.grid.values, saved.grid.nx, saved.grid.ny);
        c.update();
      }
    });
    assert.ok(r.segments > 256, `only ${r.segments} segments`);
    assert.equal(r.badCount, 0, `segment ends off their level: ${JSON.stringify(r.bad)}`);
    assert.ok(r.perLevel.every((m) => m > 0), `segments per level: ${r.perLevel}`);
  });

  test('heatmap: the colour image under the chart shows each grid point\'s colour at its place, and only inside the plot', async () => {
    // A grid whose colour changes as much along either axis (value = column + row, linear scale,
    // no contours, no path), then the page as the browser shows it: at the pixel of each
    // sampled grid point the screenshot has that point's colour (colorAt); just outside the plot
    // area it has none of the image's.
    const canvas = harness().locator('canvas[role=img]').first();
    await canvas.scrollIntoViewIfNeeded();
    const setup = await inWidget((el) => {
      const c = el.heat;
      const saved = { grid: c.grid, scale: c.colorScale, contours: c.contourCount };
      window.__heatSaved = saved;
      const nx = 5;
      const ny = 4;
      c.contourCount = 0;
      c.setColorScale('linear');
      c.setGrid(Float64Array.from({ length: nx * ny }, (_, i) => (i % nx) + Math.floor(i / nx)), nx, ny);
      c.setPath([], []);
      const { xMin, xMax, yMin, yMax } = c.extent;
      // The current point, between grid points: drawn on the chart's canvas, over the image.
      const dot = { x: xMin + (2.5 * (xMax - xMin)) / (nx - 1), y: yMin + (1.5 * (yMax - yMin)) / (ny - 1) };
      c.setPoint(dot.x, dot.y);
      c.update();
      const { x: sx, y: sy } = c.chart.scales;
      const points = [];
      for (const [col, row] of [[1, 1], [3, 2], [2, 0], [1, 3], [4, 1], [0, 0], [4, 3]]) {
        const x = xMin + (col * (xMax - xMin)) / (nx - 1);
        const y = yMin + (row * (yMax - yMin)) / (ny - 1);
        points.push({ col, row, px: sx.getPixelForValue(x), py: sy.getPixelForValue(y), colour: c.colorAt(x, y) });
      }
      const a = c.chart.chartArea;
      const red = c.chart.data.datasets[2].backgroundColor;
      return { points, area: { left: a.left, right: a.right, top: a.top, bottom: a.bottom },
        dot: [sx.getPixelForValue(dot.x), sy.getPixelForValue(dot.y)], red };
    });
    await frames(page, 2);
    const box = await canvas.boundingBox();
    const shot = await screenshotPixels(page, { x: box.x, y: box.y, width: box.width, height: box.height });
    await inWidget((el) => {
      const c = el.heat;
      const saved = window.__heatSaved;
      c.contourCount = saved.contours;
      c.setColorScale(saved.scale);
      c.setGrid(saved.grid.values, saved.grid.nx, saved.grid.ny);
      c.update();
    });
    const at = [
      ...setup.points.map((p) => [Math.min(Math.max(p.px, setup.area.left + 1), setup.area.right - 2),
        Math.min(Math.max(p.py, setup.area.top + 1), setup.area.bottom - 2)]),
      [setup.area.left - 4, (setup.area.top + setup.area.bottom) / 2],
      [(setup.area.left + setup.area.right) / 2, setup.area.top - 4],
      setup.dot,
    ].map(([x, y]) => shot.at(x, y).slice(0, 3));
    const near = (got, want, tol) => got.every((v, j) => Math.abs(v - want[j]) <= tol);
    setup.points.forEach((p, k) => {
      // Corners are sampled a pixel inside the plot: still within their cell's half.
      assert.ok(near(at[k], p.colour, 8), `grid point (${p.col}, ${p.row}) at (${p.px}, ${p.py}): shown ` +
        `${at[k]}, its colour ${p.colour}`);
    });
    const red = setup.red.match(/[0-9a-f]{2}/gi).map((h) => parseInt(h, 16));
    assert.ok(near(at.at(-1), red, 8), `the current point, over the image: shown ${at.at(-1)}, its colour ${red}`);
    const imageColours = setup.points.map((p) => p.colour);
    for (const outside of at.slice(setup.points.length, -1)) {
      assert.ok(!imageColours.some((colour) => near(outside, colour, 30)), `outside the plot: ${outside}`);
    }
  });

  test('heatmap: a new landscape is painted straight onto the chart, the same one again from its off-screen copy, pixel for pixel', async () => {
    const r = await inWidget(async (el) => {
      const c = el.heat;
      const { values, nx, ny } = c.grid;
      const before = Array.from(values);
      const pixels = () => Array.from(c.chart.canvas.getContext('2d').getImageData(0, 0, c.chart.canvas.width, c.chart.canvas.height).data);
      const ctx = c.chart.ctx;
      let copies = 0;
      ctx.drawImage = function drawImage(image, ...rest) {
        if (image === c._bg) copies += 1;
        return Object.getPrototypeOf(this).drawImage.call(this, image, ...rest);
      };
      try {
        c.setGrid(before.map((v, i) => before[before.length - 1 - i]), nx, ny); // a new picture
        c.update();
        const direct = { copies, pixels: pixels() };
        c.update(); // the same picture: now from the off-screen copy
        const cached = { copies, pixels: pixels() };
        // Up to 2 of 255 apart: a pixel the image's edge covers in part is blended twice on the
        // copy's way (into the transparent copy, then onto the chart), rounded each time.
        let differing = 0;
        for (let i = 0; i < direct.pixels.length; i += 1) if (Math.abs(direct.pixels[i] - cached.pixels[i]) > 2) differing += 1;
        return { first: direct.copies, second: cached.copies, differing, size: direct.pixels.length };
      } finally {
        delete ctx.drawImage;
        c.setGrid(before, nx, ny);
        c.update();
      }
    });
    assert.equal(r.first, 0, 'a new picture was copied from the off-screen canvas (painted twice)');
    assert.equal(r.second, 1, 'the same picture again was not taken from the off-screen copy');
    assert.equal(r.differing, 0, `${r.differing} of ${r.size} channel values differ between the two ways of painting`);
  });

  test('while a slider moves, automatic axes only grow; at rest they fit the data again', async () => {
    const seen = await inWidget(async (el) => {
      const range = el.shadowRoot.querySelectorAll('input[type=range]')[1]; // Steps, 0 … 400
      const lr = el.state.lr;
      el.state.lr = 0.001; // a walk that neither diverges nor settles within 400 steps
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const moveTo = async (v) => {
        range.value = String(v);
        range.dispatchEvent(new Event('input', { bubbles: true }));
        await frame();
        return { max: el.line.chart.scales.x.max, held: el.line.growOnly, steps: el.state.history.length - 1 };
      };
      const moves = [await moveTo(400), await moveTo(40), await moveTo(400)];
      await new Promise((r) => setTimeout(r, 700));
      await frame();
      const rest = { max: el.line.chart.scales.x.max, held: el.line.growOnly, moving: el.moving };
      moves.push(await moveTo(40));
      await new Promise((r) => setTimeout(r, 700));
      await frame();
      const after = { max: el.line.chart.scales.x.max, held: el.line.growOnly };
      el.state.lr = lr;
      await moveTo(100);
      return { moves, rest, after };
    });
    const [wide, narrow, again, shrinking] = seen.moves;
    assert.equal(wide.steps, 400);
    assert.ok(wide.max >= 400 && wide.max <= 500, `400 steps on an x axis to ${wide.max}`);
    assert.ok(wide.held && narrow.held && again.held && shrinking.held, 'growOnly while the slider moves');
    assert.equal(narrow.steps, 40);
    assert.equal(narrow.max, wide.max, '40 steps while moving: the axis is kept');
    assert.equal(again.max, wide.max);
    assert.deepEqual(seen.rest, { max: wide.max, held: false, moving: false });
    assert.equal(shrinking.max, wide.max);
    // At rest, 40 steps fill a fair part of the axis again: round limits from 0 to 40 or 50.
    assert.ok(seen.after.max >= 40 && seen.after.max <= 50, `at rest: x axis to ${seen.after.max}`);
    assert.equal(seen.after.held, false);
  });

  test('while a slider moves, a chart\'s text alternative waits; at rest it describes the last state', async () => {
    const seen = await inWidget(async (el) => {
      const range = el.shadowRoot.querySelectorAll('input[type=range]')[1]; // Steps, 0 … 400
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const label = () => el.line.canvas.getAttribute('aria-label');
      const table = () => el.line.caption.textContent;
      const lr = el.state.lr;
      el.state.lr = 0.001; // a walk that neither diverges nor settles within 400 steps
      const moveTo = async (v) => {
        range.value = String(v);
        range.dispatchEvent(new Event('input', { bubbles: true }));
        await frame();
        return { steps: el.state.history.length - 1, label: label(), deferred: el.line.deferText };
      };
      // At rest at 10 steps, long enough for the hidden table to have been written.
      await moveTo(10);
      await new Promise((r) => setTimeout(r, 1300));
      await frame();
      const rest = { label: label(), table: table() };
      // A drag of 1.2 s (moves 150 ms apart: longer than the table's 500 ms throttle in all).
      const moves = [];
      for (let k = 0; k < 8; k += 1) {
        moves.push({ ...(await moveTo(20 + 20 * k)), table: table() });
        await new Promise((r) => setTimeout(r, 150));
      }
      const lastSteps = el.state.history.length - 1;
      await new Promise((r) => setTimeout(r, 600)); // the slider settles
      await frame();
      const settled = { label: label(), deferred: el.line.deferText };
      await new Promise((r) => setTimeout(r, 700)); // and the table is written
      const after = { table: table(), rows: el.line.caption.querySelectorAll('tr').length };
      el.state.lr = lr;
      await moveTo(100);
      return { rest, moves, lastSteps, settled, after };
    });
    const { rest, moves, lastSteps, settled, after } = seen;
    assert.match(rest.label, /at step 10\.$/, rest.label);
    for (const m of moves) {
      assert.equal(m.deferred, true, 'deferText while the slider moves');
      assert.equal(m.label, rest.label, `${m.steps} steps: the accessible name changed during the drag`);
      assert.equal(m.table, rest.table, `${m.steps} steps: the hidden table changed during the drag`);
    }
    assert.equal(lastSteps, 160);
    assert.equal(settled.deferred, false);
    assert.match(settled.label, /at step 160\.$/, settled.label);
    assert.notEqual(after.table, rest.table, 'the hidden table was not brought up to date at rest');
    assert.match(after.table, /160/);
    assert.ok(after.rows > 4, `only ${after.rows} table rows`);
  });

  test('a line chart switched from a log to a linear axis is labelled as a linear one', async () => {
    const labels = await inWidget((el) => {
      const c = el.line;
      c.setLogScale(false);
      c.setLimits({ yMin: 1, yMax: 10 }); // ticks 1, 2, 4, … 10: two of them powers of ten
      c.update();
      const out = c.chart.scales.y.ticks.map((t) => t.label);
      c.setLimits({});
      c.setLogScale(true);
      c.update();
      return out;
    });
    assert.ok(labels.length >= 4, `labels ${labels}`);
    assert.ok(labels.every((l) => /^\d+$/.test(l)), `every tick labelled with its number: ${JSON.stringify(labels)}`);
    assert.deepEqual(labels.map(Number), [...labels.map(Number)].sort((a, b) => a - b));
  });

  test('a redraw re-resolves only the datasets whose style changed, and shows the new style', async () => {
    const result = await inWidget((el) => {
      const pixels = (c) => {
        const { canvas } = c.chart;
        return canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      };
      const differing = (a, b) => {
        let n = 0;
        for (let i = 0; i < a.length; i += 1) if (Math.abs(a[i] - b[i]) > 1) n += 1;
        return n;
      };
      const out = {};
      // Each case changes one dataset's style the way widgets do, then redraws on the fast path.
      const cases = {
        line: [el.line, 0, (d) => { d.borderColor = '#b00020'; d.borderWidth = 5; }],
        scatter: [el.scatter, 0, (d) => { d.backgroundColor = d.data.map((_, i) => (i === 2 ? '#6b3fa0' : '#1f5fbf')); }],
        scatterInPlace: [el.scatter, 0, (d) => { d.backgroundColor[3] = '#1d7a3a'; }],
      };
      for (const [name, [c, index, change]] of Object.entries(cases)) {
        c.update();
        c.update();
        const { controller } = c.chart.getDatasetMeta(index);
        let configured = 0;
        const original = controller.configure;
        controller.configure = function configure(...args) { configured += 1; return original.apply(this, args); };
        try {
          c.update();
          const unchanged = configured;
          const before = pixels(c);
          change(c.chart.data.datasets[index]);
          configured = 0;
          c.update();
          const changed = configured;
          const fast = pixels(c);
          c.chart.update('none');
          out[name] = { unchanged, changed, moved: differing(before, fast), wrong: differing(fast, pixels(c)) };
        } finally {
          delete controller.configure;
        }
      }
      return out;
    });
    for (const [name, r] of Object.entries(result)) {
      assert.equal(r.unchanged, 0, `${name}: options resolved again with no style change`);
      assert.equal(r.changed, 1, `${name}: the changed dataset was not resolved again`);
      assert.ok(r.moved > 20, `${name}: the new style did not show (${r.moved} values changed)`);
      assert.equal(r.wrong, 0, `${name}: ${r.wrong} values differ from a full redraw`);
    }
  });

  test('invalid attribute values show a notice and fall back to the default', async () => {
    await inWidget((el) => el.setAttribute('learning-rate', '5'));
    const notice = harness().locator('.gl-notice-warning');
    assert.match(await notice.textContent(), /Attribute “learning-rate”: 5 is out of range.*Using the default, 0\.001/);
    assert.equal(await inWidget((el) => el.attrs['learning-rate']), 0.001);
    await inWidget((el) => el.setAttribute('learning-rate', '0.003'));
    assert.equal(await notice.count(), 0);
    assert.equal(await inWidget((el) => el.state.lr), 0.003);
    await inWidget((el) => el.setAttribute('optimizer', 'adamw'));
    assert.match(await notice.textContent(), /not one of: sgd, adam/);
    await inWidget((el) => el.setAttribute('optimizer', 'adam'));
    assert.equal(await notice.count(), 0);
    await expectNoBadNumbers(page);
  });

  test('heatmap: click and arrow keys report data coordinates', async () => {
    const canvas = harness().locator('canvas[role=img]').first();
    await canvas.scrollIntoViewIfNeeded();
    const area = await inWidget((el) => {
      const a = el.heat.chart.chartArea;
      return { left: a.left, right: a.right, top: a.top, bottom: a.bottom };
    });
    const box = await canvas.boundingBox();
    // the centre of the plot area is (0, 1) in data coordinates
    await page.mouse.click(box.x + (area.left + area.right) / 2, box.y + (area.top + area.bottom) / 2);
    let log = await page.evaluate(() => window.harnessLog.filter((e) => e[0] === 'pick'));
    const start = log.find((e) => e[3] === 'start');
    assert.ok(Math.abs(start[1] - 0) < 0.05 && Math.abs(start[2] - 1) < 0.05, JSON.stringify(start));
    assert.ok(log.some((e) => e[3] === 'end'));
    // Arrow keys move from the point drawn last; the chart draws the new path on the next frame.
    await frames(page, 2);
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    log = await page.evaluate(() => window.harnessLog.filter((e) => e[3] === 'key'));
    assert.equal(log.length, 1);
    assert.ok(log[0][1] > 0, JSON.stringify(log[0]));
    await expectNoBadNumbers(page);
  });

  test('scatter: a point can be dragged and the fit follows', async () => {
    const canvas = harness().locator('canvas[role=img]').nth(3);
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    const [px, py, fitBefore] = await inWidget((el) => {
      const { x, y } = el.scatter.chart.scales;
      return [x.getPixelForValue(5), y.getPixelForValue(5.5), el.scatter.fitText];
    });
    await page.mouse.move(box.x + px, box.y + py);
    await page.mouse.down();
    await page.mouse.move(box.x + px, box.y + py - 60, { steps: 4 });
    await page.mouse.up();
    const drags = await page.evaluate(() => window.harnessLog.filter((e) => e[0] === 'drag'));
    assert.ok(drags.length >= 3, JSON.stringify(drags));
    assert.equal(drags[0][1], 3); // the fourth point, (5, 5.5)
    assert.ok(drags.at(-1)[3] > 6, JSON.stringify(drags.at(-1)));
    assert.notEqual(await inWidget((el) => el.scatter.fitText), fitBefore);
  });

  test('the animation loop pauses off-screen and resumes on screen', async () => {
    // The loop runs until the test lowers the limit, so a slow scroll on a loaded machine
    // cannot let it finish before it is off-screen.
    await inWidget((el) => { el.tickLimit = Infinity; });
    await harness().scrollIntoViewIfNeeded();
    await harness().getByRole('button', { name: 'Animate' }).click();
    await page.waitForFunction(() => document.querySelector('gradlab-test-harness').state.ticks > 2);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(() => !document.querySelector('gradlab-test-harness').visible);
    await frames(page, 2);
    const paused = await inWidget((el) => [el.state.ticks, el.looping]);
    await page.waitForTimeout(300);
    assert.equal(await inWidget((el) => el.state.ticks), paused[0], 'ticked while off-screen');
    assert.equal(paused[1], true, 'the loop should be paused, not ended');
    await harness().scrollIntoViewIfNeeded();
    await page.waitForFunction((n) => document.querySelector('gradlab-test-harness').state.ticks > n + 2,
      paused[0]);
    const limit = await inWidget((el) => { el.tickLimit = el.state.ticks + 5; return el.tickLimit; });
    await page.waitForFunction(() => !document.querySelector('gradlab-test-harness').looping);
    assert.equal(await inWidget((el) => el.state.ticks), limit);
  });

  test('an engine that fails to load shows a readable error box, not a broken page', async () => {
    const other = await browser.context.newPage();
    await other.route('**/gradlab-engine.mjs', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await other.goto(`${site.url}index.html`);
    const alert = other.locator('gradlab-test-harness .gl-alert');
    await assert.doesNotReject(alert.filter({ hasText: 'The engine could not be loaded' }).waitFor());
    assert.equal(await alert.getAttribute('role'), 'alert');
    assert.equal(await other.locator('gradlab-test-harness .gl-loading').isHidden(), true);
    await other.close();
  });

  test('disconnecting frees engine objects and destroys charts', async () => {
    const result = await page.evaluate(() => {
      const el = document.querySelector('gradlab-test-harness');
      const { model, heat } = el;
      el.remove();
      let modelUsable = true;
      try { model.parameters(); } catch { modelUsable = false; }
      return { modelUsable, chart: heat.chart, canvases: el.shadowRoot.querySelectorAll('canvas').length, owned: el._owned.length };
    });
    assert.deepEqual(result, { modelUsable: false, chart: null, canvases: 0, owned: 0 });
    // re-attaching builds it again
    await page.evaluate(() => document.querySelector('main').prepend(document.createElement('gradlab-test-harness')));
    await page.waitForFunction(() => document.querySelector('gradlab-test-harness').state.draws > 0);
    assert.equal(await harness().locator('canvas[role=img]').count(), 4);
    assertNoProblems(problems, 'harness');
  });
});
