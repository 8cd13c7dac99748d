// The WebAssembly build computes the same numbers as the native build, for the same seeds:
// build/native/gradlab_reference (tests/wasm/native_reference.cpp) prints seeded runs as JSON,
// and this test repeats each one through the JS API. Both run the same C++, so any difference
// beyond 1e-12 (relative) is a real portability bug (e.g. an unseeded or platform-dependent
// random number, or uninitialised memory).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../../web/engine/gradlab.js';

const reference = process.env.GRADLAB_REFERENCE ??
  fileURLToPath(new URL('../../build/native/gradlab_reference', import.meta.url));
const gl = await loadEngine();

function closeAll(actual, expected, what, tol = 1e-12) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let k = 0; k < expected.length; k++) {
    const a = actual[k];
    const e = expected[k];
    assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${what}[${k}]: wasm ${a} vs native ${e}`);
  }
}

function using(handle, body) {
  try {
    return body(handle);
  } finally {
    handle.delete();
  }
}

test('wasm matches native for the same seeds', { skip: !existsSync(reference) && `no ${reference} (run scripts/build.sh)` }, () => {
  const ref = JSON.parse(execFileSync(reference, { encoding: 'utf8' }));

  for (const name of gl.datasetNames()) {
    const d = gl.dataset(name, { n: 24, seed: 7, noise: 0.3 });
    closeAll(d.x, ref.datasets[name].x, `${name}.x`);
    closeAll(d.y, ref.datasets[name].y, `${name}.y`);
  }

  using(gl.model({ type: 'mlp', sizes: [2, 8, 8, 1], activations: ['tanh', 'tanh', 'sigmoid'], loss: 'bce', seed: 3, init: 'xavier' }), (mlp) => {
    closeAll(mlp.parameters(), ref.mlpInit, 'mlp init');
    mlp.setData(gl.dataset('xor', { n: 40, seed: 5, noise: 0.1 }));
    using(gl.trainer(mlp, { type: 'adam', lr: 0.05 }), (t) => {
      assert.equal(t.run(50), 'running');
      closeAll(t.parameters(), ref.mlpTrained, 'mlp after 50 Adam steps');
      closeAll(t.history(), ref.mlpHistory, 'mlp loss history');
    });
    closeAll(mlp.predict([-3, -3, 0.5, 2, 4, -1], 3), ref.mlpPredict, 'mlp predictions');
  });

  using(gl.model({ type: 'linear' }), (lin) => {
    lin.setData(gl.dataset('exam-scores', { n: 32, seed: 11, noise: 5 }));
    using(gl.trainer(lin, { type: 'momentum', lr: 0.005 }, { batchSize: 8 }), (t) => {
      t.run(50);
      closeAll(t.history(), ref.linearHistory, 'linear history');
      closeAll(t.trajectory(), ref.linearTrajectory, 'linear trajectory');
    });
    closeAll(lin.landscape({ i: 0, j: 1, iMin: 0, iMax: 10, jMin: 0, jMax: 100, nx: 4, ny: 3 }), ref.linearLandscape, 'landscape');
  });

  using(gl.model({ type: 'function', name: 'rosenbrock' }), (f) => {
    using(gl.trainer(f, { type: 'rmsprop', lr: 0.01 }), (t) => {
      t.run(50);
      closeAll(t.trajectory(), ref.rosenbrockTrajectory, 'rosenbrock trajectory');
    });
  });

  using(gl.graph(), (g) => {
    const x = g.constant([0.5, -1.0, 2.0, 0.25], [2, 2], 'x');
    const W = g.input('W', [0.1, -0.2, 0.3, 0.7, 0.05, -0.4], [2, 3]);
    const t = g.constant([1, 0, 0, 0, 0, 1], [2, 3], 't');
    const z = g.op('tanh', [g.op('matmul', [x, W])]);
    const loss = g.op('softmax_ce', [z, t]);
    g.backward(loss);
    closeAll(g.value(loss), ref.graphLoss, 'graph loss');
    closeAll(g.grad(W), ref.graphGradW, 'graph dL/dW');
  });
});
