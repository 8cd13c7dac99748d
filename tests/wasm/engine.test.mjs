// The engine through its public JS API (web/engine/gradlab.js), in Node: every part is reachable,
// the seeds' hand-computed numbers come out, and typed arrays have the right sizes and contents.
// Needs build/wasm/gradlab-engine.mjs (scripts/build.sh) or GRADLAB_ENGINE=<path>.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from '../../web/engine/gradlab.js';

const gl = await loadEngine();

/** Runs body(handle) and always deletes the handle. */
function using(handle, body) {
  try {
    return body(handle);
  } finally {
    handle.delete();
  }
}

function close(actual, expected, tol = 1e-12, what = '') {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what} ${actual} != ${expected} (tolerance ${tol})`,
  );
}

function closeAll(actual, expected, tol = 1e-12, what = '') {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let k = 0; k < expected.length; k++) close(actual[k], expected[k], tol, `${what}[${k}]`);
}

test('loadEngine is memoised', async () => {
  assert.equal(await loadEngine(), gl);
  assert.equal(await loadEngine({ moduleUrl: 'ignored-after-first-load.mjs' }), gl);
});

test('seed 000: the exam score, its error and dL/dW by backprop', () => {
  using(gl.model({ type: 'linear', inputs: 1, bias: true, loss: 'mse' }), (m) => {
    assert.deepEqual(m.layout(), [
      { name: 'weight', rows: 1, cols: 1, offset: 0 },
      { name: 'bias', rows: 1, cols: 1, offset: 1 },
    ]);
    m.set('weight', [5]);
    m.set('bias', [50]);
    assert.deepEqual([...m.parameters()], [5, 50]);
    const pred = m.predict([4]);
    assert.ok(pred instanceof Float64Array);
    assert.deepEqual([...pred], [70]); // (4 x 5) + 50
    m.setData({ x: [4], y: [75], rows: 1 });
    const { loss, gradient } = m.evaluate();
    assert.equal(loss, 25); // error 75 - 70 = 5, squared
    assert.deepEqual([...gradient], [-40, -10]); // dL/dW = 2 (70 - 75) 4, dL/db = 2 (70 - 75)
    // evaluate at other parameters leaves the model's own alone
    assert.equal(m.evaluate([0, 0]).loss, 75 * 75);
    assert.deepEqual([...m.parameters()], [5, 50]);
  });
});

test('MSE of [2.5, 3.1, 4.8] against [3, 3, 5] is 0.10', () => {
  const r = gl.loss('mse', [2.5, 3.1, 4.8], [3, 3, 5]);
  close(r.loss, 0.1, 1e-15);
  closeAll(r.gradient, [(2 * -0.5) / 3, (2 * 0.1) / 3, (2 * -0.2) / 3], 1e-12);
  const g = gl.loss('softmax_ce', [0, 0, 0, 0], [1, 0, 0, 1], { rows: 2, cols: 2 });
  close(g.loss, Math.log(2), 1e-15);
  closeAll(g.gradient, [-0.25, 0.25, 0.25, -0.25]);
  close(gl.loss('huber', [3], [0], { delta: 2 }).loss, 2 * (3 - 1));
});

test('sigmoid neuron: dLoss/dW = -y (1 - y) X through the graph', () => {
  using(gl.graph(), (g) => {
    const W = g.input('W', 0.5);
    const X = g.constant(2, undefined, 'X');
    const z = g.op('mul', [W, X]);
    const y = g.op('sigmoid', [z]);
    const L = g.op('sub', [g.constant(1), y], undefined);
    g.backward(L);
    const yv = 1 / (1 + Math.exp(-1));
    close(g.value(y)[0], yv, 1e-15);
    close(g.grad(W)[0], -yv * (1 - yv) * 2, 1e-15);
    const nodes = g.nodes();
    assert.equal(nodes.length, g.size);
    assert.deepEqual(nodes.map((n) => n.op), ['input', 'constant', 'mul', 'sigmoid', 'constant', 'sub']);
    assert.deepEqual(nodes[2].inputs, [0, 1]);
    assert.deepEqual(nodes[2].shape, []);
    assert.equal(nodes[0].name, 'W');
    assert.ok(nodes[3].value instanceof Float64Array && nodes[3].grad instanceof Float64Array);
    const check = g.gradcheck(L);
    assert.equal(check.ok, true);
    assert.ok(check.maxRelError < 1e-8);
    // change W, replay forward and backward
    g.setValue(W, 0);
    g.forward();
    g.backward(L);
    close(g.grad(W)[0], -0.25 * 2, 1e-15);
  });
});

test('graph sweep: the loss over one weight in one call equals the closed form; the graph is put back', () => {
  using(gl.graph(), (g) => {
    // The exam-score error of seed 002's student: (4 W + 50 - 75)^2, swept over W.
    const W = g.input('W', 5);
    const pred = g.op('add', [g.op('mul', [g.constant(4), W]), g.constant(50)]);
    const L = g.op('square', [g.op('sub', [pred, g.constant(75)])]);
    g.backward(L);
    const ws = [-2, 0, 5, 6.25, 10.5];
    const out = g.sweep(W, ws, L);
    assert.ok(out instanceof Float64Array);
    closeAll(out, ws.map((w) => (4 * w - 25) ** 2), 1e-12);
    assert.equal(g.value(W)[0], 5);
    assert.equal(g.value(L)[0], 25);
    assert.equal(g.grad(W)[0], -40); // 2 (70 - 75) 4, untouched by the sweep
    assert.equal(g.sweep(W, [], L).length, 0);
    assert.equal(g.sweep(W, new Float64Array([6]), pred)[0], 74);
    // Refusals are exceptions with a message; nothing changes.
    const v = g.input('v', [1, 2]);
    assert.throws(() => g.sweep(v, [1], L), /sweep: node \d+ must be an input or constant of one element/);
    assert.throws(() => g.sweep(L, [1], L), /must be an input or constant/);
    assert.throws(() => g.sweep(W, [1, NaN], L), /values must be finite/);
    assert.throws(() => g.sweep(W, [1], 99), /node|id/i);
    assert.throws(() => g.sweep(W, 'abc', L), TypeError);
    assert.equal(g.value(L)[0], 25);
  });
});

test('evaluateMany: loss and gradient at many points in one call, as the closed form gives them', () => {
  // The partial-derivatives lesson's model: ŷ = w·x with x = (1, 2, 3), target 10, L = (ŷ − 10)²,
  // ∇L = 2 (ŷ − 10) x. At (1, 1, 1): L = 16, ∇L = (−8, −16, −24).
  using(gl.model({ type: 'linear', inputs: 3, bias: false, loss: 'mse' }), (m) => {
    m.setData({ x: [1, 2, 3], y: [10], rows: 1 });
    const points = [[1, 1, 1], [0, 0, 0], [2, -1, 0.5], [5, 5, 5]];
    const before = Array.from(m.parameters());
    const out = m.evaluateMany(points.flat());
    assert.ok(out instanceof Float64Array);
    assert.equal(out.length, points.length * 4);
    points.forEach((w, k) => {
      const r = w[0] + 2 * w[1] + 3 * w[2] - 10;
      closeAll(out.subarray(4 * k, 4 * k + 4), [r * r, 2 * r, 4 * r, 6 * r], 1e-12, `point ${k}`);
      closeAll(out.subarray(4 * k, 4 * k + 4), [m.evaluate(w).loss, ...m.evaluate(w).gradient], 1e-15, `evaluate at ${k}`);
    });
    closeAll(out.subarray(0, 4), [16, -8, -16, -24], 1e-12, 'the lesson\'s point');
    assert.deepEqual(Array.from(m.parameters()), before, 'the model\'s own parameters are untouched');
    assert.equal(m.evaluateMany([1, 1, 1, 2, 2, 2], 2).length, 8);
    // Refusals: exceptions with a message.
    assert.throws(() => m.evaluateMany([1, 2, 3, 4]), /count must be an integer/);
    assert.throws(() => m.evaluateMany([1, 2, 3, 4, 5, 6], 3), /parameters must hold count \* 3 = 9 numbers, not 6/);
    assert.throws(() => m.evaluateMany([1, NaN, 3]), /finite/);
    assert.throws(() => m.evaluateMany([], 0), /count must be an integer/);
  });
});

test('graph: shapes, broadcasting, attributes and op names', () => {
  assert.ok(gl.opNames().includes('matmul'));
  using(gl.graph(), (g) => {
    const A = g.input('A', [1, 2, 3, 4, 5, 6], [2, 3]);
    const b = g.input('b', [10, 20, 30]);
    const s = g.op('add', [A, b]);
    assert.deepEqual(g.nodes()[s].shape, [2, 3]);
    assert.deepEqual([...g.value(s)], [11, 22, 33, 14, 25, 36]);
    const p = g.op('pow', [s], { exponent: 2 });
    const lr = g.op('leaky_relu', [g.op('neg', [s])], { slope: 0.1 });
    const L = g.op('sum', [g.op('add', [p, lr])]);
    g.backward(L);
    assert.equal(g.nodes()[p].attr, 2);
    // dL/db_j = sum over rows of (2 s - 0.1)
    closeAll(g.grad(b), [2 * (11 + 14) - 0.2, 2 * (22 + 25) - 0.2, 2 * (33 + 36) - 0.2]);
    assert.equal(g.gradcheck(L).ok, true);
  });
});

test('datasets: every name, plain copies of the right size, deterministic', () => {
  for (const name of gl.datasetNames()) {
    const d = gl.dataset(name, { n: 30, seed: 4, noise: 0.2 });
    assert.ok(d.x instanceof Float64Array && d.y instanceof Float64Array, name);
    assert.equal(d.x.length, d.rows * d.inputs, name);
    assert.equal(d.y.length, d.rows * d.outputs, name);
    assert.deepEqual(gl.dataset(name, { n: 30, seed: 4, noise: 0.2 }), d, `${name} repeats`);
  }
  const s = gl.dataset('seed002');
  assert.deepEqual([...s.x], [1, 1, 1, 2, 2, 2, 2, 3]);
  assert.deepEqual([...s.y], [1, 2, 2, 3]);
  assert.equal(gl.dataset('exam-scores', { n: 12 }).rows, 12);
});

test('models: logistic, mlp, predict, landscape, gradcheck', () => {
  const xor = gl.dataset('xor', { n: 40, seed: 2, noise: 0 });
  using(gl.model({ type: 'logistic', inputs: 2 }), (m) => {
    m.setData(xor);
    close(m.evaluate().loss, Math.log(2), 1e-15); // all-zero start: every probability is 1/2
    assert.deepEqual([...m.predict([1, 2, -3, 4], 2)], [0.5, 0.5]);
  });
  using(gl.model({ type: 'mlp', sizes: [2, 8, 8, 1], activations: ['tanh', 'tanh', 'sigmoid'], loss: 'bce', seed: 1 }), (m) => {
    assert.equal(m.size, 2 * 8 + 8 + 8 * 8 + 8 + 8 + 1);
    assert.deepEqual(m.layout().map((b) => b.name), ['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    m.setData(xor);
    const check = m.gradcheck();
    assert.equal(check.ok, true, `max relative error ${check.maxRelError}`);
    const p = m.predict(xor.x, xor.rows);
    assert.equal(p.length, xor.rows);
    assert.ok(p.every((v) => v > 0 && v < 1));
    assert.equal(m.layerGradientNorms().length, 3);
    assert.equal(m.inputGradient([0.5, -0.5]).length, 2);
    // Many rows in one call: each row's gradient as inputGradient gives it alone, and each one
    // a central difference of predict (the integrated-gradients widget sums 64 such rows).
    const rows = [0.5, -0.5, 1.5, 0.25, -2, 1];
    const all = m.inputGradients(rows, 3);
    assert.equal(all.length, 6);
    assert.deepEqual([...m.inputGradients(rows)], [...all]); // rows left out: all of x
    for (let r = 0; r < 3; r += 1) {
      const row = rows.slice(2 * r, 2 * r + 2);
      assert.deepEqual([...all.slice(2 * r, 2 * r + 2)], [...m.inputGradient(row)]);
      for (let c = 0; c < 2; c += 1) {
        const up = [...row];
        const down = [...row];
        up[c] += 1e-6;
        down[c] -= 1e-6;
        close(all[2 * r + c], (m.predict(up)[0] - m.predict(down)[0]) / 2e-6, 1e-6);
      }
    }
    assert.deepEqual(m.info().sizes, [2, 8, 8, 1]);
  });
  using(gl.model({ type: 'linear', inputs: 2, bias: false }), (m) => {
    m.setData(gl.dataset('seed002'));
    m.setParameters([0, 1]);
    assert.equal(m.evaluate().loss, 0); // y = X (0, 1) exactly
    const grid = m.landscape({ i: 0, j: 1, iMin: -1, iMax: 1, jMin: 0, jMax: 2, nx: 3, ny: 3 });
    assert.equal(grid.length, 9);
    assert.equal(grid[1 * 3 + 1], 0); // centre cell: w = (0, 1)
    close(grid[0], m.evaluate([-1, 0]).loss); // row 0 = jMin, column 0 = iMin
  });
});

test("landscape method 'sum' (explicit per-cell sums) agrees with 'auto' and with evaluate", () => {
  using(gl.model({ type: 'linear', inputs: 1, bias: true, loss: 'mse' }), (m) => {
    // Points (0, 1) and (2, 3): at w = 0, b = 0 the residuals are -1 and -3, MSE = 5; at
    // w = 1, b = 1 both are 0.
    m.setData({ x: [0, 2], y: [1, 3], rows: 2 });
    const tiny = m.landscape({ iMin: 0, iMax: 1, jMin: 0, jMax: 1, nx: 2, ny: 2, method: 'sum' });
    assert.equal(tiny[0], 5);
    assert.equal(tiny[3], 0);
    m.setData(gl.dataset('exam-scores', { n: 37, seed: 4 }));
    const spec = { iMin: 0, iMax: 10, jMin: 0, jMax: 100, nx: 19, ny: 11 };
    const sum = m.landscape({ ...spec, method: 'sum' });
    const auto = m.landscape(spec);
    for (let k = 0; k < sum.length; k++) close(sum[k], auto[k], 1e-9 * Math.max(1, auto[k]));
    // Cell (row 4, column 7) is w = 7 * 10 / 18, b = 4 * 100 / 10.
    close(sum[4 * 19 + 7], m.evaluate([70 / 18, 40]).loss, 1e-12 * sum[4 * 19 + 7]);
    assert.throws(() => m.landscape({ ...spec, method: 'closed' }), { message: /unknown landscape method "closed"/ });
  });
});

test('functions: value, gradient, Hessian, info, curves', () => {
  using(gl.model({ type: 'function', name: 'rosenbrock' }), (f) => {
    assert.equal(f.type, 'function');
    assert.deepEqual(f.layout().map((b) => b.name), ['x', 'y']);
    const at0 = f.evaluate([0, 0]);
    assert.equal(at0.loss, 1);
    assert.deepEqual([...at0.gradient], [-2, 0]);
    assert.deepEqual([...f.hessian([1, 1])], [802, -400, -400, 200]);
    const info = f.info();
    assert.equal(info.name, 'rosenbrock');
    assert.deepEqual([...info.minima[0]], [1, 1]);
    assert.deepEqual([...f.predict([1, 1, 0, 0])], [0, 1]);
  });
  using(gl.model({ type: 'function', name: 'square' }), (f) => {
    assert.deepEqual([...f.predict([-2, -1, 0, 1, 2])], [4, 1, 0, 1, 4]);
    assert.deepEqual([...f.hessian()], [2]);
  });
  using(gl.model({ type: 'function', name: 'bowl', condition: 4, angle: 0 }), (f) => {
    closeAll(f.hessian([0, 0]), [1, 0, 0, 4], 1e-15);
  });
});

test('typed arrays are copies, safe across memory growth', () => {
  using(gl.model({ type: 'linear', inputs: 1 }), (m) => {
    const p = m.parameters();
    p[0] = 123;
    assert.equal(m.parameters()[0], 0);
    const d = gl.dataset('exam-scores', { n: 10000, seed: 1, noise: 5 }); // grows memory
    m.setData(d);
    assert.equal(p[0], 123);
    assert.equal(d.x.length, 10000);
  });
});

test('trainer: steps, history, trajectory, status, reset, learning rate', () => {
  const f = gl.model({ type: 'function', name: 'square' });
  const t = gl.trainer(f, { type: 'sgd', lr: 0.1 });
  f.delete(); // the trainer keeps its own reference to the objective
  try {
    f.delete();
    const x0 = t.parameters()[0];
    assert.equal(t.status, 'running');
    assert.equal(t.steps, 0);
    assert.equal(t.step(), 'running');
    assert.equal(t.steps, 1);
    close(t.parameters()[0], x0 * 0.8); // x - 0.1 * 2x
    t.run(9);
    assert.equal(t.steps, 10);
    const h = t.history();
    assert.equal(h.length, 11);
    close(h[0], x0 * x0);
    close(h[10], (x0 * 0.8 ** 10) ** 2);
    assert.equal(t.trajectory().length, 11 * 1);
    close(t.gradient()[0], 2 * t.parameters()[0]);
    close(t.loss, h[10]);
    t.setLearningRate(0.5); // x - 0.5 * 2x = 0: one step to the minimum
    assert.equal(t.learningRate, 0.5);
    t.run(1);
    assert.equal(t.parameters()[0], 0);
    assert.equal(t.run(5), 'converged');
    t.reset([3]);
    assert.equal(t.steps, 0);
    assert.equal(t.status, 'running');
    assert.deepEqual([...t.parameters()], [3]);
    t.setLearningRate(1.5); // |1 - 2 * 1.5| = 2 > 1: every step doubles x
    assert.equal(t.run(1000), 'diverged');
    assert.ok(t.history().every(Number.isFinite));
  } finally {
    t.delete();
  }
});

test('trainer: exam scores with every optimizer, mini-batches and max-steps', () => {
  const data = gl.dataset('exam-scores', { n: 40, seed: 3, noise: 5 });
  for (const type of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']) {
    using(gl.model({ type: 'linear' }), (m) => {
      m.setData(data);
      using(gl.trainer(m, { type, lr: type === 'adagrad' || type === 'rmsprop' || type === 'adam' ? 0.5 : 0.01 }, { batchSize: 8 }), (t) => {
        const first = t.fullLoss();
        t.run(200);
        assert.ok(t.fullLoss() < first, `${type}: ${t.fullLoss()} < ${first}`);
      });
    });
  }
  using(gl.model({ type: 'function', name: 'rosenbrock' }), (f) => {
    using(gl.trainer(f, { type: 'adam', lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-8 }, { maxSteps: 10 }), (t) => {
      assert.equal(t.run(100), 'max-steps');
      assert.equal(t.steps, 10);
      assert.equal(t.trajectory().length, 11 * 2);
    });
  });
});

test('trainer: bad optimizer specs and options are refused', () => {
  using(gl.model({ type: 'function', name: 'square' }), (f) => {
    assert.throws(() => gl.trainer(f, { type: 'sgd', lr: 0 }), { name: 'RangeError', message: 'learning rate must be finite and > 0' });
    assert.throws(() => gl.trainer(f, { type: 'sgd', lr: Number.NaN }), { name: 'RangeError', message: /lr/ });
    assert.throws(() => gl.trainer(f, { type: 'newton' }), { message: /newton/ });
    assert.throws(() => gl.trainer(f, { type: 'sgd', learningRate: 0.1 }), { message: /unknown field "learningRate"/ });
    assert.throws(() => gl.trainer(f, {}, { batchSize: -1 }), { name: 'RangeError', message: /batchSize/ });
    using(gl.trainer(f, { type: 'sgd', lr: 0.1 }), (t) => {
      assert.throws(() => t.setLearningRate(0), { name: 'RangeError', message: 'learning rate must be finite and > 0' });
      assert.throws(() => t.run(-1), { name: 'RangeError' });
      assert.throws(() => t.reset([1, 2]), Error);
      assert.equal(t.learningRate, 0.1);
    });
  });
});
