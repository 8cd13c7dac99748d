// What each benchmark workload is (hyperparameters), and how its result is scored: every
// engine's final parameters are turned back into a loss here, in float64, by one reference
// implementation, so the engines are compared on identical arithmetic.
//
// May contain: workload specs, float64 reference losses, result checks.
// May not contain: timing or engine code (bundled for the browser run too).

export const WORKLOADS = [
  {
    id: 'W1',
    title: 'exam-score: linear, full-batch GD, 10,000 steps',
    kind: 'linear',
    lr: 0.01,
    steps: 10000,
  },
  {
    id: 'W2',
    title: 'landscape: 200x200 grid of MSE over 64 points',
    kind: 'landscape',
    nx: 200,
    ny: 200,
    wMin: 0,
    wMax: 10,
    bMin: 0,
    bMax: 100,
  },
  {
    id: 'W3a',
    title: 'playground MLP 2-8-8-1, SGD batch 10, 1,000 epochs',
    kind: 'mlp',
    data: 'circle',
    net: 'w3',
    activations: ['tanh', 'tanh', 'sigmoid'],
    loss: 'half_mse',
    optimizer: 'sgd',
    lr: 0.03,
    batchSize: 10,
    steps: 50000, // 500 points / 10 per batch * 1,000 epochs
  },
  {
    id: 'W3b',
    title: 'playground MLP 2-8-8-1, full batch, 1,000 steps',
    kind: 'mlp',
    data: 'circle',
    net: 'w3',
    activations: ['tanh', 'tanh', 'sigmoid'],
    loss: 'half_mse',
    optimizer: 'sgd',
    lr: 0.03,
    batchSize: 0,
    steps: 1000,
  },
  {
    id: 'W4',
    title: 'wider MLP 2-64-64-1 ReLU, Adam, full batch, 500 steps',
    kind: 'mlp',
    data: 'wave',
    net: 'w4',
    activations: ['relu', 'relu', 'linear'],
    loss: 'mse',
    optimizer: 'adam',
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    batchSize: 0,
    steps: 500,
  },
];

export const byId = Object.fromEntries(WORKLOADS.map((w) => [w.id, w]));

/** Grid coordinates of W2, inclusive at both ends (linspace). */
export function gridAxis(lo, hi, count) {
  const a = new Float64Array(count);
  for (let i = 0; i < count; i++) a[i] = lo + ((hi - lo) * i) / (count - 1);
  return a;
}

/** L(w, b) = mean((w x + b - y)^2). */
export function linearLoss(w, b, x, y) {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const r = w * x[i] + b - y[i];
    s += r * r;
  }
  return s / x.length;
}

/** Ordinary least squares for y = w x + b, and its loss: where W1 must end up. */
export function leastSquares(x, y) {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  const w = sxy / sxx;
  const b = my - w * mx;
  return { w, b, loss: linearLoss(w, b, x, y) };
}

const ACT = {
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  relu: (z) => (z > 0 ? z : 0),
  linear: (z) => z,
};

/** Loss of an MLP with canonical flat parameters (see data.mjs) over a whole dataset. */
export function mlpLoss(sizes, activations, loss, flat, data) {
  const { x, y, rows } = data;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let a = x.subarray(r * sizes[0], (r + 1) * sizes[0]);
    let k = 0;
    for (let l = 1; l < sizes.length; l++) {
      const fanIn = sizes[l - 1];
      const fanOut = sizes[l];
      const z = new Float64Array(fanOut);
      const bOff = k + fanIn * fanOut;
      for (let j = 0; j < fanOut; j++) z[j] = flat[bOff + j];
      for (let i = 0; i < fanIn; i++) {
        for (let j = 0; j < fanOut; j++) z[j] += a[i] * flat[k + i * fanOut + j];
      }
      const f = ACT[activations[l - 1]];
      for (let j = 0; j < fanOut; j++) z[j] = f(z[j]);
      a = z;
      k = bOff + fanOut;
    }
    const d = a[0] - y[r];
    total += d * d;
  }
  const mean = total / rows;
  return loss === 'half_mse' ? mean / 2 : mean;
}

/** The W2 grid as plain float64 loops: the reference every engine's grid is checked against. */
export function referenceGrid(spec, x, y) {
  const ws = gridAxis(spec.wMin, spec.wMax, spec.nx);
  const bs = gridAxis(spec.bMin, spec.bMax, spec.ny);
  const grid = new Float64Array(spec.nx * spec.ny);
  for (let r = 0; r < spec.ny; r++) {
    for (let c = 0; c < spec.nx; c++) grid[r * spec.nx + c] = linearLoss(ws[c], bs[r], x, y);
  }
  return grid;
}

/**
 * Scores a workload result: { loss } for W1/W3/W4 (from final parameters, float64), and for W2
 * the grid's minimum and its largest relative deviation from the reference grid.
 */
export function score(spec, result, data, refGrid) {
  if (spec.kind === 'linear') {
    const [w, b] = result.params;
    return { loss: linearLoss(w, b, data.exam.x, data.exam.y) };
  }
  if (spec.kind === 'landscape') {
    const g = result.grid;
    if (!g || g.length !== spec.nx * spec.ny) {
      return { loss: NaN, note: `grid has ${g ? g.length : 0} values` };
    }
    let min = Infinity;
    let maxRel = 0;
    for (let i = 0; i < g.length; i++) {
      if (g[i] < min) min = g[i];
      const rel = Math.abs(g[i] - refGrid[i]) / Math.max(Math.abs(refGrid[i]), 1e-12);
      if (!(rel <= maxRel)) maxRel = rel; // NaN sticks
    }
    return { loss: min, gridMaxRel: maxRel };
  }
  const net = data[spec.net];
  return { loss: mlpLoss(net.sizes, spec.activations, spec.loss, result.params, data[spec.data]) };
}

/**
 * Agreement with the float64 reference: |loss - ref| <= rel * |ref| + abs.
 * float32 (TF.js): rounding sends a long nonconvex run down a slightly different path, so MLPs
 * get 5% plus 1e-3 absolute (0.1% of W4's starting loss; W4 ends near 2e-3, where float32 Adam
 * lands about 10% away). float64: W3a's 50,000 updates let summation-order differences grow.
 */
export function tolerance(spec, precision) {
  if (precision === 'float32') return spec.kind === 'mlp' ? { rel: 5e-2, abs: 1e-3 } : { rel: 1e-4, abs: 0 };
  return { rel: spec.id === 'W3a' ? 1e-4 : 1e-7, abs: 0 };
}
