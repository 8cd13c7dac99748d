// Errors at the JS boundary: every engine error arrives as a RangeError (out-of-range number) or
// Error (malformed input) carrying the C++ message; the module keeps working after thousands of
// them; and creating and deleting objects thousands of times does not leak.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from '../../web/engine/gradlab.js';

const gl = await loadEngine();

test('range errors are RangeError, input errors are Error, with the engine message', () => {
  assert.throws(() => gl._testThrow(1), { name: 'RangeError', message: 'test range error' });
  assert.throws(() => gl._testThrow(2), (e) => e.constructor === Error && e.message === 'test input error');
  // a throw from inside libc++ itself (std::vector::at) is caught too
  assert.throws(() => gl._testThrow(3), (e) => e.constructor === Error && e.message.length > 0);
  assert.equal(gl._testThrow(0), 42);

  assert.throws(() => gl.dataset('nope'), (e) => e.constructor === Error && /unknown dataset/i.test(e.message));
  assert.throws(() => gl.dataset('xor', { n: 0 }), { name: 'RangeError', message: /^n must be/ });
  assert.throws(() => gl.dataset('xor', { noise: Number.NaN }), { name: 'RangeError', message: /noise/ });
  assert.throws(() => gl.dataset('xor', { n: '5' }), { name: 'Error', message: 'n must be a number, not a string' });
  assert.throws(() => gl.model({}), { message: /missing field "type"/ });
  assert.throws(() => gl.model({ type: 'mlp' }), { message: /missing field "sizes"/ });
  assert.throws(() => gl.model({ type: 'linear', inputs: 0 }), { name: 'RangeError', message: /inputs/ });
  assert.throws(() => gl.model({ type: 'linear', lr: 1 }), { message: /unknown field "lr"/ });
  assert.throws(() => gl.model({ type: 'function', name: 'bowl', condition: 'big' }), { message: /condition/ });
  assert.throws(() => gl.model({ type: 'function', name: 'nope' }), { message: /nope/ });
  assert.throws(() => gl.loss('mse', [1, 2], [1]), { message: /targets/ });
  assert.throws(() => gl.loss('mse', [Number.NaN], [1]), { name: 'RangeError' });
  assert.throws(() => gl.loss('nope', [1], [1]), { message: /unknown loss "nope"/ });
});

test('spec fields: each kind of bad value names its field (messages are built only on failure)', () => {
  assert.throws(() => gl.model({ type: 'linear', bias: 1 }), { name: 'Error', message: 'bias must be true or false' });
  assert.throws(() => gl.model({ type: 7 }), { name: 'Error', message: 'type must be a string, not a number' });
  assert.throws(() => gl.model({ type: 'linear', inputs: 1.5 }), { name: 'RangeError', message: /^inputs must be an integer in \[1, / });
  assert.throws(() => gl.model({ type: 'mlp', sizes: 3 }), { message: 'missing field "sizes" (an array of layer widths)' });
  assert.throws(() => gl.model({ type: 'mlp', sizes: [2, 1], activations: 'tanh' }), { message: 'activations must be an array of names' });
  assert.throws(() => gl.model({ type: 'mlp', sizes: [2, 1], activations: [3] }), { message: 'activations must be an array of names' });
  assert.throws(() => gl.model({ type: 'mlp', sizes: [2, 1], seed: -1 }), { name: 'RangeError', message: 'seed must be an integer in [0, 2^53)' });
  assert.throws(() => gl.model({ type: 'function', name: 'bowl', condition: Number.NaN }), { name: 'RangeError', message: 'condition must be a finite number' });
  // The message lists the fields the spec may have, only when one is wrong.
  assert.throws(() => gl.model({ type: 'linear', sizes: [1] }),
    { message: 'unknown field "sizes" in a linear spec (fields: type, inputs, bias, loss)' });
  const m = gl.model({ type: 'linear', inputs: 1 });
  try {
    m.setData({ x: [1, 2], y: [3, 5] });
    assert.throws(() => gl.trainer(m, { type: 'sgd', nesterov: 'yes' }), { message: 'nesterov must be true or false' });
    assert.throws(() => gl.trainer(m, { type: 'sgd' }, { batchSize: -1 }), { name: 'RangeError', message: /^batchSize must be an integer in \[0, / });
    assert.throws(() => gl.trainer(m, { type: 'sgd' }, { recordTrajectory: 0 }), { message: 'recordTrajectory must be true or false' });
    const t = gl.trainer(m, { type: 'sgd', nesterov: false }, { recordTrajectory: false });
    t.delete();
    assert.throws(() => m.setParameters([1, 2, 3]), { message: 'parameters must hold 2 numbers, not 3' });
    assert.throws(() => m.inputGradient([1, 2], 0), { message: 'the input row must hold 1 numbers' });
    assert.throws(() => m.inputGradients([1, 2, 3], 2), { message: 'x must hold rows * 1 numbers, not 3' });
    assert.throws(() => m.inputGradients([1, 2], 1.5), { name: 'RangeError', message: /^rows must be an integer in \[1, / });
    assert.throws(() => m.inputGradients([1, NaN]), { name: 'RangeError', message: 'x must be finite numbers' });
    assert.throws(() => m.inputGradients([1, 2], 2, 1), { name: 'RangeError', message: 'output must be an integer in [0, 1)' });
  } finally {
    m.delete();
  }
});

test('model and graph misuse', () => {
  const m = gl.model({ type: 'linear', inputs: 1 });
  try {
    assert.throws(() => m.evaluate(), { message: /data/ }); // no data yet
    assert.throws(() => m.setParameters([1, 2, 3]), { message: /2 numbers/ });
    assert.throws(() => m.setParameters([1, Number.NaN]), { name: 'RangeError' });
    assert.throws(() => m.setData({ x: [1, 2], y: [1] }), Error);
    assert.throws(() => m.setData({ x: [1, Number.POSITIVE_INFINITY], y: [1, 2] }), { name: 'RangeError' });
    assert.throws(() => m.hessian(), { message: /only available for functions/ });
    assert.throws(() => m.get('nope'), { message: /no parameter block "nope"/ });
    m.setData({ x: [1, 2], y: [3, 5] });
    assert.throws(() => m.landscape({ i: 0, j: 0, iMin: 0, iMax: 1, jMin: 0, jMax: 1 }), { name: 'RangeError' });
    assert.throws(() => m.landscape({ iMin: 0, iMax: 1, jMin: 0 }), { message: /missing field "jMax"/ });
    // a failed call changed nothing
    assert.deepEqual([...m.parameters()], [0, 0]);
  } finally {
    m.delete();
  }
  assert.throws(() => m.parameters(), { message: /deleted/ });
  const f = gl.model({ type: 'function', name: 'square' });
  try {
    assert.throws(() => f.predict([1, Number.NaN]), { name: 'RangeError', message: /finite/ });
    assert.throws(() => f.setData({ x: [1], y: [1] }), { message: /only available for models/ });
  } finally {
    f.delete();
  }
  m.delete(); // a second delete is harmless

  const g = gl.graph();
  try {
    const a = g.input('a', [1, 2, 3]);
    const b = g.input('b', [1, 2]);
    assert.throws(() => g.op('add', [a, b]), { message: /add/ });
    assert.throws(() => g.op('nope', [a]), { message: /nope/ });
    assert.throws(() => g.op('add', [a, 99]), Error);
    assert.throws(() => g.backward(a), { message: /one element|scalar/ });
    assert.throws(() => g.input('c', [1, 2, 3], [2, 2]), { message: /shape/ });
    assert.throws(() => g.input('d', [1, Number.NaN]), { name: 'RangeError', message: /finite/ });
    assert.equal(g.size, 2);
  } finally {
    g.delete();
  }
});

test('the module keeps working after 10,000 throws, with no leak or drift', () => {
  // k = 0 is a warm-up: the first read of a spec field caches its name as a JS string (once
  // per name, for the module's lifetime), which is not a leak.
  let before;
  for (let k = 0; k <= 10000; k++) {
    if (k === 1) before = gl.memoryStats();
    try {
      gl.model({ type: 'mlp', sizes: [2, 4, 1], activations: ['tanh', 'bogus'] });
      assert.fail('must throw');
    } catch (e) {
      if (!(e instanceof Error) || !/bogus/.test(e.message)) throw e;
    }
    try {
      gl._testThrow(1 + (k % 3));
      assert.fail('must throw');
    } catch (e) {
      if (!(e instanceof Error) || e.name === 'AssertionError') throw e;
    }
  }
  const after = gl.memoryStats();
  assert.equal(after.allocated, before.allocated, 'malloc bytes in use');
  assert.equal(after.heap, before.heap, 'wasm memory size');
  assert.equal(after.stack, before.stack, 'C stack position');
  // still fully working
  const r = gl.loss('mse', [2.5, 3.1, 4.8], [3, 3, 5]);
  assert.ok(Math.abs(r.loss - 0.1) < 1e-15);
});

test('10,000 create/delete cycles do not leak', () => {
  const cycle = () => {
    const m = gl.model({ type: 'mlp', sizes: [2, 8, 1], activations: ['tanh', 'sigmoid'], loss: 'bce' });
    const f = gl.model({ type: 'function', name: 'bowl', condition: 5 });
    const g = gl.graph();
    let t = null;
    try {
      m.setData({ x: [0, 1, 1, 0], y: [1, 0], rows: 2 });
      m.evaluate();
      f.hessian();
      g.op('sigmoid', [g.input('x', [1, 2, 3])]);
      t = gl.trainer(m, { type: 'adam', lr: 0.01 });
      m.delete(); // the trainer keeps the objective alive until it is deleted too
      t.run(2);
    } finally {
      m.delete();
      f.delete();
      g.delete();
      t?.delete();
    }
  };
  for (let k = 0; k < 100; k++) cycle(); // warm up (first-use allocations, memory growth)
  const before = gl.memoryStats();
  for (let k = 0; k < 10000; k++) cycle();
  const after = gl.memoryStats();
  assert.equal(after.allocated, before.allocated, 'malloc bytes in use');
  assert.equal(after.heap, before.heap, 'wasm memory size');
});
