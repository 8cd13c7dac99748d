// Peer 1: plain JavaScript as a careful engineer would write it for these exact workloads —
// Float64Array buffers allocated once per run, row-major loops ordered for contiguous access,
// no per-example objects. This is the bar Gradlab's WebAssembly must clear.

import { gridAxis } from '../workloads.mjs';

function linearGd(x, y, lr, steps) {
  const n = x.length;
  let w = 0;
  let b = 0;
  for (let s = 0; s < steps; s++) {
    let gw = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const r = w * x[i] + b - y[i];
      gw += r * x[i];
      gb += r;
    }
    w -= (lr * 2 * gw) / n;
    b -= (lr * 2 * gb) / n;
  }
  return new Float64Array([w, b]);
}

function landscape(spec, x, y) {
  const ws = gridAxis(spec.wMin, spec.wMax, spec.nx);
  const bs = gridAxis(spec.bMin, spec.bMax, spec.ny);
  const n = x.length;
  const grid = new Float64Array(spec.nx * spec.ny);
  for (let r = 0; r < spec.ny; r++) {
    const b = bs[r];
    for (let c = 0; c < spec.nx; c++) {
      const w = ws[c];
      let s = 0;
      for (let i = 0; i < n; i++) {
        const d = w * x[i] + b - y[i];
        s += d * d;
      }
      grid[r * spec.nx + c] = s / n;
    }
  }
  return grid;
}

const ACT_IDS = { linear: 0, tanh: 1, sigmoid: 2, relu: 3 };

/** A fixed-shape MLP trainer over preallocated buffers (canonical parameter layout). */
class Mlp {
  constructor(sizes, activations, maxBatch) {
    this.sizes = sizes;
    this.L = sizes.length - 1;
    this.act = activations.map((a) => ACT_IDS[a]);
    const count = sizes.reduce((s, _v, l) => (l ? s + sizes[l - 1] * sizes[l] + sizes[l] : s), 0);
    this.params = new Float64Array(count);
    this.grad = new Float64Array(count);
    this.wOff = [];
    this.bOff = [];
    let k = 0;
    for (let l = 1; l <= this.L; l++) {
      this.wOff.push(k);
      k += sizes[l - 1] * sizes[l];
      this.bOff.push(k);
      k += sizes[l];
    }
    this.a = sizes.map((s) => new Float64Array(maxBatch * s)); // a[0] = inputs
    this.d = sizes.map((s) => new Float64Array(maxBatch * s)); // dLoss/d(pre-activation)
  }

  /** Loss over rows [start, start + bs) and its gradient into this.grad. */
  lossAndGrad(x, y, start, bs, lossScale) {
    const { sizes, L, params: p, grad: g, a, d } = this;
    const in0 = sizes[0];
    a[0].set(x.subarray(start * in0, (start + bs) * in0));
    for (let l = 1; l <= L; l++) {
      const fi = sizes[l - 1];
      const fo = sizes[l];
      const wo = this.wOff[l - 1];
      const bo = this.bOff[l - 1];
      const A = a[l - 1];
      const Z = a[l];
      const act = this.act[l - 1];
      for (let r = 0; r < bs; r++) {
        const zr = r * fo;
        for (let j = 0; j < fo; j++) Z[zr + j] = p[bo + j];
        for (let i = 0; i < fi; i++) {
          const ai = A[r * fi + i];
          const wr = wo + i * fo;
          for (let j = 0; j < fo; j++) Z[zr + j] += ai * p[wr + j];
        }
        for (let j = zr; j < zr + fo; j++) {
          const z = Z[j];
          Z[j] = act === 1 ? Math.tanh(z) : act === 2 ? 1 / (1 + Math.exp(-z)) : act === 3 ? (z > 0 ? z : 0) : z;
        }
      }
    }
    // Loss: lossScale * mean((out - y)^2); dL/dout = 2 lossScale (out - y) / bs.
    const out = a[L];
    const dL = d[L];
    let loss = 0;
    for (let r = 0; r < bs; r++) {
      const diff = out[r] - y[start + r];
      loss += diff * diff;
      dL[r] = (2 * lossScale * diff) / bs;
    }
    g.fill(0);
    for (let l = L; l >= 1; l--) {
      const fi = sizes[l - 1];
      const fo = sizes[l];
      const wo = this.wOff[l - 1];
      const bo = this.bOff[l - 1];
      const D = d[l];
      const Aout = a[l];
      const act = this.act[l - 1];
      // Through the activation, using its output: tanh' = 1 - a^2, sigmoid' = a (1 - a).
      const m = bs * fo;
      if (act === 1) for (let k = 0; k < m; k++) D[k] *= 1 - Aout[k] * Aout[k];
      else if (act === 2) for (let k = 0; k < m; k++) D[k] *= Aout[k] * (1 - Aout[k]);
      else if (act === 3) for (let k = 0; k < m; k++) if (Aout[k] <= 0) D[k] = 0;
      const A = a[l - 1];
      for (let r = 0; r < bs; r++) {
        const dr = r * fo;
        for (let j = 0; j < fo; j++) g[bo + j] += D[dr + j];
        for (let i = 0; i < fi; i++) {
          const ai = A[r * fi + i];
          const wr = wo + i * fo;
          for (let j = 0; j < fo; j++) g[wr + j] += ai * D[dr + j];
        }
      }
      if (l > 1) {
        const Dp = d[l - 1];
        for (let r = 0; r < bs; r++) {
          const dr = r * fo;
          for (let i = 0; i < fi; i++) {
            const wr = wo + i * fo;
            let s = 0;
            for (let j = 0; j < fo; j++) s += D[dr + j] * p[wr + j];
            Dp[r * fi + i] = s;
          }
        }
      }
    }
    return (lossScale * loss) / bs;
  }
}

function trainMlp(spec, net, data) {
  const rows = data.rows;
  const bs = spec.batchSize > 0 ? spec.batchSize : rows;
  const mlp = new Mlp(net.sizes, spec.activations, bs);
  const p = mlp.params;
  const g = mlp.grad;
  p.set(net.init);
  const lossScale = spec.loss === 'half_mse' ? 0.5 : 1;
  const n = p.length;
  const adam = spec.optimizer === 'adam';
  const m1 = new Float64Array(n);
  const m2 = new Float64Array(n);
  const { lr } = spec;
  let start = 0;
  for (let t = 1; t <= spec.steps; t++) {
    const take = Math.min(bs, rows - start);
    mlp.lossAndGrad(data.x, data.y, start, take, lossScale);
    start += take;
    if (start >= rows) start = 0;
    if (adam) {
      const { beta1, beta2, eps } = spec;
      const c1 = 1 - beta1 ** t;
      const c2 = Math.sqrt(1 - beta2 ** t);
      for (let k = 0; k < n; k++) {
        m1[k] = beta1 * m1[k] + (1 - beta1) * g[k];
        m2[k] = beta2 * m2[k] + (1 - beta2) * g[k] * g[k];
        p[k] -= ((lr / c1) * m1[k]) / (Math.sqrt(m2[k]) / c2 + eps);
      }
    } else {
      for (let k = 0; k < n; k++) p[k] -= lr * g[k];
    }
  }
  return Float64Array.from(p);
}

export function createPlainJs() {
  return {
    id: 'plainjs',
    label: 'plain JS',
    precision: 'float64',
    async init() {},
    run(spec, data) {
      if (spec.kind === 'linear') return { params: linearGd(data.exam.x, data.exam.y, spec.lr, spec.steps) };
      if (spec.kind === 'landscape') return { grid: landscape(spec, data.exam.x, data.exam.y) };
      return { params: trainMlp(spec, data[spec.net], data[spec.data]) };
    },
    dispose() {},
  };
}
