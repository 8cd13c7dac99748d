// The benchmark's data and starting points, generated ONCE here and handed to every engine, so
// that all engines do exactly the same work from exactly the same numbers.
//
// May contain: the seeded generator, the four workloads' datasets and initial parameters.
// May not contain: timing, engines, or anything that touches Node or the DOM (this module is
// bundled for the browser run too).

/** Seeded generator: splitmix32 for the state walk, two 32-bit draws per 53-bit double. */
export class Rng {
  constructor(seed) {
    this.state = seed >>> 0;
  }

  /** Next raw unsigned 32-bit integer. */
  next32() {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform() {
    const hi = this.next32() >>> 5; // 27 bits
    const lo = this.next32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform on [lo, hi). */
  range(lo, hi) {
    return lo + (hi - lo) * this.uniform();
  }

  /** Normal(mean, sd) by Box-Muller (one value per call; simple beats clever here). */
  normal(mean = 0, sd = 1) {
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/**
 * A multilayer perceptron's parameters in the benchmark's canonical layout: for each layer l,
 * W_l as a fanIn x fanOut row-major block (W[i * fanOut + j] links input i to unit j), then b_l.
 * Engines whose own layout differs convert to and from this one.
 */
export function mlpParamCount(sizes) {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l - 1] * sizes[l] + sizes[l];
  return n;
}

function mlpInit(sizes, rng, weight, bias) {
  const flat = new Float64Array(mlpParamCount(sizes));
  let k = 0;
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1];
    for (let i = 0; i < fanIn * sizes[l]; i++) flat[k++] = weight(fanIn, rng);
    for (let j = 0; j < sizes[l]; j++) flat[k++] = bias;
  }
  return flat;
}

/** W1 (and W2): exam scores, y = 5x + 50 + N(0, 5), x ~ U(0, 10), 64 points. */
function examScores(rng, n) {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.range(0, 10);
    y[i] = 5 * x[i] + 50 + rng.normal(0, 5);
  }
  return { x, y, rows: n, inputs: 1, outputs: 1 };
}

/**
 * W3: TensorFlow Playground's "circle" set (radius 5): half the points inside radius 2.5
 * (label 1), half in the ring 3.5..5 (label 0), then shuffled once, as Playground does.
 */
function circle(rng, n) {
  const radius = 5;
  const points = [];
  for (let i = 0; i < n; i++) {
    const inside = i < n / 2;
    const r = inside ? rng.range(0, radius * 0.5) : rng.range(radius * 0.7, radius);
    const angle = rng.range(0, 2 * Math.PI);
    points.push([r * Math.sin(angle), r * Math.cos(angle), inside ? 1 : 0]);
  }
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [points[i], points[j]] = [points[j], points[i]];
  }
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  points.forEach(([a, b, label], i) => {
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = label;
  });
  return { x, y, rows: n, inputs: 2, outputs: 1 };
}

/** W4: x ~ U(-1, 1)^2, target sin(3 x1) cos(3 x2), 1,024 points. */
function wave(rng, n) {
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = rng.range(-1, 1);
    x[2 * i + 1] = rng.range(-1, 1);
    y[i] = Math.sin(3 * x[2 * i]) * Math.cos(3 * x[2 * i + 1]);
  }
  return { x, y, rows: n, inputs: 2, outputs: 1 };
}

export const SEED = 20261122;

/** Everything every engine needs, from one seed. Deterministic: same seed, same numbers. */
export function makeBenchData(seed = SEED) {
  const rng = new Rng(seed);
  const exam = examScores(rng, 64);
  const circ = circle(rng, 500);
  const w3Sizes = [2, 8, 8, 1];
  // Playground's init: weights U(-0.5, 0.5), biases 0.1.
  const w3Init = mlpInit(w3Sizes, rng, (_fanIn, r) => r.range(-0.5, 0.5), 0.1);
  const wv = wave(rng, 1024);
  const w4Sizes = [2, 64, 64, 1];
  // He-uniform: U(-sqrt(6 / fanIn), sqrt(6 / fanIn)), biases 0.
  const w4Init = mlpInit(w4Sizes, rng, (fanIn, r) => {
    const limit = Math.sqrt(6 / fanIn);
    return r.range(-limit, limit);
  }, 0);
  return {
    seed,
    exam,
    circle: circ,
    wave: wv,
    w3: { sizes: w3Sizes, init: w3Init },
    w4: { sizes: w4Sizes, init: w4Init },
  };
}
