// Gradlab's WebAssembly engine through its public JS API (web/engine/gradlab.js), used exactly
// as a lesson widget uses it: a model, setData, setParameters, a trainer, run(n), delete().
// Parameter layouts: the linear model's blocks are "weight" and "bias"; the MLP's are W1, b1,
// W2, b2, ... with W_l fan_in x fan_out row-major — the benchmark's canonical layout, which is
// checked against m.layout() on every run (cheap) rather than assumed.

function optimizerFor(spec) {
  if (spec.optimizer === 'adam') {
    return { type: 'adam', lr: spec.lr, beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps };
  }
  return { type: 'sgd', lr: spec.lr };
}

function checkMlpLayout(m, sizes) {
  const layout = m.layout();
  let offset = 0;
  for (let l = 1; l < sizes.length; l++) {
    const w = layout[2 * (l - 1)];
    const b = layout[2 * (l - 1) + 1];
    if (!w || w.rows !== sizes[l - 1] || w.cols !== sizes[l] || w.offset !== offset) {
      throw new Error(`unexpected MLP layout: ${JSON.stringify(layout)}`);
    }
    offset += w.rows * w.cols;
    if (!b || b.rows * b.cols !== sizes[l] || b.offset !== offset) {
      throw new Error(`unexpected MLP layout: ${JSON.stringify(layout)}`);
    }
    offset += sizes[l];
  }
}

/** Index of [weight, bias] in a linear model's parameters. */
function linearIndex(m) {
  const layout = m.layout();
  const w = layout.find((b) => /^w/i.test(b.name));
  const b = layout.find((b) => /^b/i.test(b.name));
  if (!w || !b) throw new Error(`unexpected linear layout: ${JSON.stringify(layout)}`);
  return [w.offset, b.offset];
}

/**
 * @param {() => Promise<object>} load  resolves to the engine (loadEngine from gradlab.js)
 */
export function createGradlab(load, { id = 'gradlab-wasm', label = 'Gradlab wasm' } = {}) {
  let gl = null;
  let trainerOptions = null;

  // Full-length runs only: a trainer that stops early (converged) did less work than asked.
  function train(m, spec, batchSize) {
    const options = { batchSize, ...trainerOptions };
    const t = gl.trainer(m, optimizerFor(spec), options);
    try {
      t.run(spec.steps);
      const note = t.steps !== spec.steps ? `trainer stopped after ${t.steps} of ${spec.steps} steps (${t.status})` : undefined;
      return { params: t.parameters(), note };
    } finally {
      t.delete();
    }
  }

  return {
    id,
    label,
    precision: 'float64',
    async init() {
      gl = await load();
      // Ask for no convergence stop (tolerance 0) if the trainer accepts it.
      const m = gl.model({ type: 'linear', inputs: 1, bias: true, loss: 'mse' });
      try {
        m.setData({ x: [0, 1], y: [0, 1], rows: 2 });
        for (const candidate of [{ tolerance: 0 }, {}]) {
          try {
            gl.trainer(m, { type: 'sgd', lr: 0.01 }, { batchSize: 0, ...candidate }).delete();
            trainerOptions = candidate;
            break;
          } catch {
            // try the next
          }
        }
      } finally {
        m.delete();
      }
    },
    run(spec, data) {
      if (spec.kind === 'linear' || spec.kind === 'landscape') {
        const { x, y, rows } = data.exam;
        const m = gl.model({ type: 'linear', inputs: 1, bias: true, loss: 'mse' });
        try {
          m.setData({ x, y, rows });
          const [wi, bi] = linearIndex(m);
          const p = new Float64Array(m.size);
          m.setParameters(p);
          if (spec.kind === 'landscape') {
            // method 'sum': an explicit sum over the points in every cell, as the workload
            // specifies (the widgets' default 'auto' uses the closed form, which is faster).
            const grid = m.landscape({ i: wi, j: bi, iMin: spec.wMin, iMax: spec.wMax,
              jMin: spec.bMin, jMax: spec.bMax, nx: spec.nx, ny: spec.ny, method: 'sum' });
            return { grid };
          }
          const out = train(m, spec, 0);
          return { params: new Float64Array([out.params[wi], out.params[bi]]), note: out.note };
        } finally {
          m.delete();
        }
      }
      const net = data[spec.net];
      const d = data[spec.data];
      const m = gl.model({ type: 'mlp', sizes: net.sizes, activations: spec.activations, loss: spec.loss, seed: 1 });
      try {
        checkMlpLayout(m, net.sizes);
        m.setData({ x: d.x, y: d.y, rows: d.rows });
        m.setParameters(net.init);
        return train(m, spec, spec.batchSize);
      } finally {
        m.delete();
      }
    },
    dispose() {},
  };
}
