// Charts keep the datasets that did not change (BaseChart: not placed again, those at the
// bottom of the drawing order kept with the axes in one bitmap, those at the top in a bitmap of
// their own copied over the moving ones). This checks it across the site:
// every lesson page is loaded twice, once as it ships and once with keeping switched off on every
// chart (`keepStill = false`: each dataset placed and drawn at every update); the same scripted
// slider moves are made on both, and every chart's picture, recorded in the middle of each
// slider's moves, must be the same. Needs dist/ (bash scripts/build.sh); GRADLAB_DIST overrides.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openPage, waitForWidgets, withSiteAndBrowser } from './helpers.mjs';

const LESSONS = ['exam-score', 'gulab-jamun', 'derivatives', 'partial-derivatives', 'gradient-descent',
  'chain-rule', 'loss-functions', 'optimizers', 'curvature', 'linear-regression-code', 'backpropagation',
  'attribution'];

/**
 * In the page: moves each slider of each widget three steps up and three down (a frame after
 * each), and records each of the widget's charts after the last move as 8 × 8-pixel block means
 * (all four channels summed). Returns { pictures: [[name, means]], kept } where `kept` counts
 * charts that were drawing from a kept plan when recorded.
 */
async function movesAndPictures(keep) {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  const widgets = [...document.querySelectorAll('*')].filter((e) => e.localName.startsWith('gradlab-'));
  const chartsOf = (el) => (el._owned ?? []).filter((o) => o?.chart && typeof o.keepStill === 'boolean');
  for (const el of widgets) for (const c of chartsOf(el)) c.keepStill = keep;
  const pictures = [];
  let kept = 0;
  const over = [];
  for (const el of widgets) {
    el.scrollIntoView({ block: 'center', behavior: 'instant' });
    const ranges = [...(el.shadowRoot?.querySelectorAll('input[type=range]') ?? [])];
    for (const [r, input] of ranges.entries()) {
      if (input.disabled) continue;
      const step = Number(input.step) || (Number(input.max) - Number(input.min)) / 100;
      for (let k = 0; k < 6; k += 1) {
        input.value = String(Number(input.value) + (k < 3 ? 3 : -3) * step);
        input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        await frame();
      }
      for (const [i, c] of chartsOf(el).entries()) {
        const { canvas } = c.chart;
        if (!canvas.width || !canvas.height) continue;
        if (c._bake) kept += 1;
        if (c._over) over.push(`${el.localName} slider ${r} chart ${i}`);
        const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const means = [];
        for (let by = 0; by < canvas.height; by += 8) {
          for (let bx = 0; bx < canvas.width; bx += 8) {
            let sum = 0;
            let n = 0;
            for (let y = by; y < Math.min(canvas.height, by + 8); y += 1) {
              for (let x = bx; x < Math.min(canvas.width, bx + 8); x += 1) {
                const o = (y * canvas.width + x) * 4;
                sum += px[o] + px[o + 1] + px[o + 2] + px[o + 3];
                n += 1;
              }
            }
            means.push(sum / n);
          }
        }
        pictures.push([`${el.localName} slider ${r} chart ${i}`, means]);
      }
      input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
      await frame();
    }
  }
  return { pictures, kept, over };
}

describe('kept datasets across the site', () => {
  let site;
  let browser;
  withSiteAndBrowser((s, b) => { site = s; browser = b; });

  test('every chart on every lesson page shows the same pictures with kept datasets as with every dataset drawn again', async () => {
    let kept = 0;
    const over = [];
    let compared = 0;
    const differing = [];
    for (const lesson of LESSONS) {
      const run = async (keep) => {
        const { page } = await openPage(browser, `${site.url}lessons/${lesson}.html`);
        await waitForWidgets(page);
        const result = await page.evaluate(movesAndPictures, keep);
        await page.close();
        return result;
      };
      const on = await run(true);
      const off = await run(false);
      assert.equal(off.kept, 0, `${lesson}: a chart kept datasets with keeping off`);
      assert.deepEqual(off.over, [], `${lesson}: a chart kept datasets over others with keeping off`);
      assert.deepEqual(on.pictures.map(([name]) => name), off.pictures.map(([name]) => name), `${lesson}: other charts`);
      kept += on.kept;
      over.push(...on.over.map((name) => `${lesson} ${name}`));
      on.pictures.forEach(([name, means], k) => {
        compared += 1;
        const other = off.pictures[k][1];
        // Block means of the four channels summed: 2 allows a few pixels' rounding (a copy blends
        // an anti-aliased edge twice, ≤ 2/255); a stale or missing line moves a block by far more.
        let worst = 0;
        for (let j = 0; j < means.length; j += 1) worst = Math.max(worst, Math.abs(means[j] - other[j]));
        if (worst > 2) differing.push(`${lesson} ${name}: a block differs by ${worst.toFixed(1)}`);
      });
    }
    assert.deepEqual(differing, [], `pictures differ:\n${differing.join('\n')}`);
    assert.ok(compared > 100, `only ${compared} pictures compared`);
    // Without kept plans in use the comparison would prove nothing.
    assert.ok(kept >= 30, `only ${kept} charts drew from kept datasets`);
    // exam-score's W and B move its line under its points, which stay: those are kept over it.
    for (const slider of [0, 1]) {
      assert.ok(over.includes(`exam-score gradlab-exam-score slider ${slider} chart 0`),
        `exam-score's points not kept over its line (slider ${slider}); kept over others: ${over.join('; ') || 'none'}`);
    }
  });
});
