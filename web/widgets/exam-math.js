// The arithmetic of the exam-score lessons, kept apart from the DOM so it can be read (and tested)
// on its own. The ENGINE computes the losses and gradients the widgets display; the functions here
// only spell the same numbers out as a learner would on paper (the "chain of numbers"), check them
// with finite differences, and format them.
//
// Model: predicted score = hours × W + B.   Loss over n students (mean squared error):
//   L(W, B) = (1/n) Σ (pred_i − y_i)²
//   ∂L/∂W  = (2/n) Σ (pred_i − y_i)·x_i = 2 · mean(error × hours)
//   ∂L/∂B  = (2/n) Σ (pred_i − y_i)     = 2 · mean(error)
// where error_i = pred_i − y_i (the seed's "actual − predicted" has the opposite sign).

/** Formats a number for display; never returns "NaN" or "Infinity" (a dash instead). */
export function fmt(value, digits = 5) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e7 || abs < 1e-4) return value.toExponential(2).replace('e+', 'e').replace(/^-/, '−');
  // `digits` significant figures (whole numbers are never cut), trailing zeros dropped,
  // and a real minus sign.
  const rounded = abs >= 10 ** digits ? Math.round(value) : Number(value.toPrecision(digits));
  return String(rounded === 0 ? 0 : rounded).replace(/^-/, '−');
}

/** Same as fmt but wraps negative numbers in parentheses, for use inside a product: 2 × (−5). */
export function fmtFactor(value, digits) {
  const s = fmt(value, digits);
  return s.startsWith('−') ? `(${s})` : s;
}

/** predicted score = hours × W + B */
export const predict = (w, b, hours) => hours * w + b;

/**
 * The "chain of numbers" behind ∂L/∂W and ∂L/∂B for the current W, B and data.
 * @param {ArrayLike<number>} xs hours
 * @param {ArrayLike<number>} ys scores
 */
export function chainTerms(xs, ys, w, b) {
  const n = xs.length;
  let sumErr = 0, sumErrX = 0, sumSq = 0;
  for (let i = 0; i < n; i++) {
    const err = predict(w, b, xs[i]) - ys[i];
    sumErr += err;
    sumErrX += err * xs[i];
    sumSq += err * err;
  }
  const meanErr = n ? sumErr / n : 0;
  const meanErrX = n ? sumErrX / n : 0;
  return { n, meanErr, meanErrX, loss: n ? sumSq / n : 0, dW: 2 * meanErrX, dB: 2 * meanErr };
}

/**
 * Central finite differences of a loss function of (W, B):
 *   ∂L/∂W ≈ [L(W+h, B) − L(W−h, B)] / 2h, and likewise for B.
 * @param {(w: number, b: number) => number} lossAt
 */
export function finiteDifference(lossAt, w, b, h = 1e-4) {
  return {
    h,
    dW: (lossAt(w + h, b) - lossAt(w - h, b)) / (2 * h),
    dB: (lossAt(w, b + h) - lossAt(w, b - h)) / (2 * h),
  };
}

/** |a − b| / max(|a|, |b|); 0 when both are (nearly) zero. */
export function relativeDifference(a, b) {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale < 1e-12 ? 0 : Math.abs(a - b) / scale;
}

/** Least-squares line through the points (closed form), used only to centre the loss map. */
export function bestFit(xs, ys) {
  const n = xs.length;
  if (n === 0) return { w: 0, b: 0 };
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += xs[i]; my += ys[i]; }
  mx /= n; my /= n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) { sxx += (xs[i] - mx) ** 2; sxy += (xs[i] - mx) * (ys[i] - my); }
  const w = sxx > 1e-12 ? sxy / sxx : 0;
  return { w, b: my - w * mx };
}

/**
 * The window of the (W, B) loss map: centred on the best fit, wide enough to contain the
 * current point and the default start, rounded to friendly numbers.
 */
export function landscapeWindow(xs, ys, points = []) {
  const fit = bestFit(xs, ys);
  let wHalf = 8, bHalf = 40;
  for (const [w, b] of points) {
    if (Number.isFinite(w)) wHalf = Math.max(wHalf, Math.abs(w - fit.w) * 1.2);
    if (Number.isFinite(b)) bHalf = Math.max(bHalf, Math.abs(b - fit.b) * 1.2);
  }
  wHalf = Math.min(wHalf, 1e3);
  bHalf = Math.min(bHalf, 1e4);
  // Bounds on multiples of 5 (W) and 20 (B), so the axes get round tick labels.
  const down = (v, step) => Math.floor(v / step) * step;
  const up = (v, step) => Math.ceil(v / step) * step;
  return { wMin: down(fit.w - wHalf, 5), wMax: up(fit.w + wHalf, 5),
    bMin: down(fit.b - bHalf, 20), bMax: up(fit.b + bHalf, 20) };
}

/**
 * One student, one gradient step, written out as the numbered arithmetic of the lesson.
 * Inputs are the current values and the ENGINE's loss and gradient; returns lines of text.
 */
export function stepArithmetic({ w, b, hours, actual, lr, loss, dW, dB }) {
  const pred = predict(w, b, hours);
  const err = pred - actual;
  const newW = w - lr * dW;
  const newB = b - lr * dB;
  return {
    newW,
    newB,
    lines: [
      `Prediction = hours × W + B = ${fmt(hours)} × ${fmtFactor(w)} + ${fmtFactor(b)} = ${fmt(pred)}`,
      `Error = actual − prediction = ${fmt(actual)} − ${fmtFactor(pred)} = ${fmt(-err)}, so prediction − actual = ${fmt(err)}`,
      `Loss L = (prediction − actual)² = ${fmtFactor(err)}² = ${fmt(loss)}`,
      `∂L/∂W = 2 × (prediction − actual) × hours = 2 × ${fmtFactor(err)} × ${fmtFactor(hours)} = ${fmt(dW)}`,
      `∂L/∂B = 2 × (prediction − actual) = 2 × ${fmtFactor(err)} = ${fmt(dB)}`,
      `New W = W − learning rate × ∂L/∂W = ${fmt(w)} − ${fmt(lr)} × ${fmtFactor(dW)} = ${fmt(newW)}`,
      `New B = B − learning rate × ∂L/∂B = ${fmt(b)} − ${fmt(lr)} × ${fmtFactor(dB)} = ${fmt(newB)}`,
    ],
  };
}
