// Arguments of the wrong JavaScript type are refused before they reach the engine, with a
// TypeError (documented in web/engine/gradlab.d.ts and README "JS API"): a value that is not an
// array of numbers where numbers are read, a spec that is not an object, a trainer without a
// model from gl.model(), and a BigInt where a number is expected. Wrong values of the right type
// (a string learning rate inside a spec, an unknown name) stay Error/RangeError from the engine.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from '../../web/engine/gradlab.js';

const gl = await loadEngine();
const typeError = (message) => (e) => e instanceof TypeError && message.test(e.message);

test('non-arrays where numbers are read throw TypeError naming the argument', () => {
  assert.throws(() => gl.loss('mse', 'abc', [1]), typeError(/^predictions must be an array of numbers$/));
  assert.throws(() => gl.loss('mse', [1], null), typeError(/^targets must be an array of numbers$/));
  const m = gl.model({ type: 'function', name: 'wells1d' });
  try {
    assert.throws(() => m.setParameters(null), typeError(/^parameters must be an array of numbers$/));
    assert.throws(() => m.evaluate('1'), typeError(/^parameters must be an array of numbers$/));
    assert.throws(() => m.predict({}), typeError(/^x must be an array of numbers$/));
    // a single number is taken as a one-element array, not refused
    assert.ok(Number.isFinite(m.evaluate(0.5).loss));
  } finally {
    m.delete();
  }
  const g = gl.graph();
  try {
    assert.throws(() => g.input('a', 'abc'), typeError(/^values must be an array of numbers$/));
  } finally {
    g.delete();
  }
});

test('a spec that is not an object, or a trainer without a model, throws TypeError', () => {
  for (const spec of [null, undefined, 'linear', 3]) {
    assert.throws(() => gl.model(spec), typeError(/^model spec must be an object$/), String(spec));
  }
  for (const model of [null, {}, { _handle: () => 0 }]) {
    assert.throws(() => gl.trainer(model), typeError(/needs a model from gl\.model\(\)/));
  }
});

test('a BigInt where a number is expected throws TypeError; the engine stays usable', () => {
  const m = gl.model({ type: 'function', name: 'wells1d' });
  const t = gl.trainer(m, { type: 'sgd', lr: 0.1 });
  try {
    assert.throws(() => t.run(1n), TypeError);
    assert.equal(t.steps, 0, 'nothing ran');
    t.run(3);
    assert.equal(t.steps, 3);
  } finally {
    t.delete();
    m.delete();
  }
});

test('wrong values of the right type are Error/RangeError, not TypeError', () => {
  const notType = (e) => !(e instanceof TypeError) && e instanceof Error;
  assert.throws(() => gl.model({ type: 5 }), notType);
  assert.throws(() => gl.dataset('exam-scores', { n: 'x' }), notType);
  assert.throws(() => gl.loss('mse', [1], [1], { rows: 'x' }), notType);
});
