// The engine's JavaScript API: turns the raw Embind bindings of engine/bindings/bindings.cpp into
// idiomatic objects, and engine errors into real JS exceptions.
//
// May contain: loading the WebAssembly module, argument conversion, error translation, wrappers.
// May not contain: DOM code, charts, or any maths (the engine does the maths).
//
// OWNERSHIP. gl.model(), gl.trainer() and gl.graph() return objects that own memory inside the
// WebAssembly module, which JavaScript's garbage collector cannot see. Each has exactly one owner
// (whoever created it), who must call delete() exactly once when done — use try/finally, or a
// widget's disconnectedCallback. A trainer keeps its own reference to its model's objective, so
// deleting the model first is safe. Everything else this API returns (Float64Array, plain
// objects, strings, numbers) is a copy that the garbage collector frees as usual.
//
// ERRORS. Engine errors arrive as RangeError (a number out of range: learning rate <= 0, NaN in
// data) or Error (malformed input: unknown name, mismatched lengths), with the engine's message.
// A failed call changes nothing and the engine stays usable.
//
// LOADING. loadEngine() imports the ES module built by scripts/build.sh (gradlab-engine.mjs) and
// instantiates its WebAssembly (gradlab-engine.wasm, next to the module). Where it finds the
// module, first match wins:
//   1. loadEngine({ factory })    an already imported createGradlabEngine (lets a bundler inline it)
//   2. loadEngine({ moduleUrl })  an explicit URL or path
//   3. globalThis.GRADLAB_ENGINE_URL (browser) or the GRADLAB_ENGINE environment variable (Node)
//   4. ./gradlab-engine.mjs next to this file (the site build puts it in dist/assets/)
//   5. in Node only: ../../build/wasm/gradlab-engine.mjs (the source tree after scripts/build.sh)
// And its WebAssembly:
//   - loadEngine({ wasmBinary })  the .wasm bytes, given (the file:// build inlines them; also the
//                                 way to use { factory } in Node)
//   - in Node, for a module loaded from a file: <module name>.wasm read from next to it, when it
//     exists (Node's fetch cannot read files); a module built with the wasm embedded has none
//   - in browsers: the module fetches gradlab-engine.wasm from next to itself with streaming
//     compilation (WebAssembly.instantiateStreaming), which needs the server to send .wasm as
//     application/wasm (and, from another origin, Access-Control-Allow-Origin)

/** @typedef {Float64Array | ArrayLike<number>} Numbers */

let enginePromise = null;

/**
 * Loads the engine once; later calls return the same instance (their options are ignored).
 * @param {{ factory?: Function, moduleUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array }} [options]
 * @returns {Promise<Engine>}
 */
export function loadEngine(options = {}) {
  if (!enginePromise) {
    enginePromise = instantiate(options).catch((error) => {
      enginePromise = null; // let a later call retry (e.g. after a network hiccup)
      throw error;
    });
  }
  return enginePromise;
}

const isNode = typeof process === 'object' && process !== null && !!process.versions?.node;

/** @returns {Promise<{ factory: Function, href?: string }>} */
async function importFactory(options) {
  if (typeof options.factory === 'function') return { factory: options.factory };
  const candidates = [];
  if (options.moduleUrl) candidates.push(options.moduleUrl);
  else {
    const configured = isNode ? process.env.GRADLAB_ENGINE : globalThis.GRADLAB_ENGINE_URL;
    if (configured) candidates.push(configured);
    else {
      candidates.push(new URL('./gradlab-engine.mjs', import.meta.url));
      if (isNode) candidates.push(new URL('../../build/wasm/gradlab-engine.mjs', import.meta.url));
    }
  }
  let lastError;
  for (const candidate of candidates) {
    const href = toHref(candidate);
    try {
      const mod = await import(/* @vite-ignore */ href);
      return { factory: mod.default ?? mod.createGradlabEngine, href };
    } catch (error) {
      lastError = error;
      if (error?.code !== 'ERR_MODULE_NOT_FOUND') break; // a real error inside the module
    }
  }
  throw new Error(
    `cannot load the Gradlab engine (tried ${candidates.map(toHref).join(', ')}); ` +
      `run scripts/build.sh or pass loadEngine({ moduleUrl }): ${lastError?.message ?? lastError}`,
  );
}

function toHref(candidate) {
  if (candidate instanceof URL) return candidate.href;
  const text = String(candidate);
  // A plain filesystem path in Node (GRADLAB_ENGINE=/abs/path or a relative path).
  if (isNode && !/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    return new URL(text, `file://${process.cwd()}/`).href;
  }
  return text;
}

// A variable, so that bundlers for the browser leave this Node-only import alone.
const NODE_FS = 'node:fs/promises';

/** In Node: the .wasm next to a module file (x.mjs -> x.wasm), or undefined when there is none. */
async function siblingWasm(href) {
  if (!isNode || !href?.startsWith('file:')) return undefined;
  const { readFile } = await import(/* @vite-ignore */ NODE_FS);
  try {
    return await readFile(new URL(href.replace(/\.m?js(?=$|[?#])/, '.wasm')));
  } catch (error) {
    if (error?.code === 'ENOENT') return undefined; // a module with the wasm embedded
    throw error;
  }
}

async function instantiate(options) {
  const { factory, href } = await importFactory(options);
  const wasmBinary = options.wasmBinary ?? await siblingWasm(href);
  // With the bytes at hand the module must not compute the .wasm URL (a bundle inlining the
  // module has no import.meta.url), so locateFile returns the name as it is.
  const raw = await factory(wasmBinary ? { wasmBinary, locateFile: (name) => name } : {});
  guardRaw(raw);
  return new Engine(raw);
}

// ---------------------------------------------------------------------------------------------
// Errors: the C++ side never throws into JS; it records the error and returns a dummy value.
// Every raw call is checked here, in one place.

const RAW_FUNCTIONS = [
  'loss', 'dataset', 'datasetNames', 'makeModel', 'makeTrainer', 'memoryStats', 'testThrow',
  'opNames',
];
const RAW_CLASSES = ['Model', 'Trainer', 'Graph'];
const EMBIND_OWN = new Set(['constructor', 'delete', 'clone', 'isDeleted', 'deleteLater',
  'isAliasOf']);

function guardRaw(raw) {
  const check = (result) => {
    const kind = raw.errorKind();
    if (kind === 0) return result;
    const message = raw.takeErrorMessage();
    // A failed factory call still returned an (empty) object: free it before throwing.
    if (result && typeof result.delete === 'function' && !result.isDeleted()) result.delete();
    throw kind === 1 ? new RangeError(message) : new Error(message);
  };
  for (const name of RAW_FUNCTIONS) {
    const fn = raw[name];
    if (typeof fn !== 'function') continue;
    raw[name] = (...args) => check(fn(...args));
  }
  for (const cls of RAW_CLASSES) {
    const proto = raw[cls]?.prototype;
    if (!proto) continue;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (EMBIND_OWN.has(name)) continue;
      const desc = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof desc.value !== 'function') continue;
      const fn = desc.value;
      proto[name] = function guarded(...args) {
        return check(fn.apply(this, args));
      };
    }
  }
}

/** Numbers as a Float64Array (no copy when it already is one). */
function f64(values, what) {
  if (values instanceof Float64Array) return values;
  if (typeof values === 'number') return Float64Array.of(values);
  if (values == null || typeof values.length !== 'number' || typeof values === 'string') {
    throw new TypeError(`${what} must be an array of numbers`);
  }
  return Float64Array.from(values);
}

function alive(handle, type) {
  if (!handle) throw new Error(`this ${type} has been deleted`);
  return handle;
}

// ---------------------------------------------------------------------------------------------

/** Version of the engine and its JS API; kept equal to package.json's (a wasm test checks). */
export const ENGINE_VERSION = '0.1.0';

/** The loaded engine (one per page or process). */
class Engine {
  #raw;
  constructor(raw) {
    this.#raw = raw;
  }

  /** Version of the engine and its JS API (follows package.json). */
  get version() {
    return ENGINE_VERSION;
  }

  /** A generated dataset, as a plain copy. */
  dataset(name, { n = 100, seed = 1, noise = 0 } = {}) {
    return this.#raw.dataset(String(name), { n, seed, noise });
  }

  /** The dataset names dataset() accepts. */
  datasetNames() {
    return this.#raw.datasetNames();
  }

  /** A model or a lesson function; the caller must delete() it. */
  model(spec) {
    if (spec === null || typeof spec !== 'object') throw new TypeError('model spec must be an object');
    return new Model(this.#raw.makeModel(spec));
  }

  /** A trainer of model m; the caller must delete() it (it may outlive m). */
  trainer(model, optimizer = {}, options = {}) {
    if (!(model instanceof Model)) throw new TypeError('trainer() needs a model from gl.model()');
    const raw = this.#raw.makeTrainer(model._handle(), optimizer ?? {}, options ?? {});
    return new Trainer(raw);
  }

  /** An empty computation graph; the caller must delete() it. */
  graph() {
    return new Graph(new this.#raw.Graph());
  }

  /** The op names Graph.op() accepts. */
  opNames() {
    return this.#raw.opNames();
  }

  /** A loss and its gradient with respect to the predictions. */
  loss(kind, pred, target, { rows, cols, delta = 1 } = {}) {
    const p = f64(pred, 'predictions');
    const t = f64(target, 'targets');
    const r = rows ?? (cols ? p.length / cols : p.length);
    const c = cols ?? (rows ? p.length / rows : 1);
    return this.#raw.loss(String(kind), p, t, r, c, delta);
  }

  /** Wasm memory size, bytes held by malloc and the C stack position (for leak tests). */
  memoryStats() {
    return this.#raw.memoryStats();
  }

  /** Makes the engine throw (kind 1: RangeError, 2: Error, 3: from inside libc++); for tests. */
  _testThrow(kind) {
    return this.#raw.testThrow(kind);
  }
}

/** A trainable objective: a model (linear, logistic, mlp) or a lesson function. */
class Model {
  #raw;
  #layout;
  constructor(raw) {
    this.#raw = raw;
  }
  /** @internal */
  _handle() {
    return alive(this.#raw, 'model');
  }
  /** 'linear' | 'logistic' | 'mlp' | 'function' */
  get type() {
    return this._handle().type();
  }
  get size() {
    return this._handle().size();
  }
  layout() {
    this.#layout ??= this._handle().layout();
    return this.#layout.map((b) => ({ ...b }));
  }
  parameters() {
    return this._handle().parameters();
  }
  setParameters(values) {
    this._handle().setParameters(f64(values, 'parameters'));
  }
  #block(name) {
    const block = this.layout().find((b) => b.name === name);
    if (!block) {
      throw new Error(`no parameter block "${name}" (blocks: ${this.layout().map((b) => b.name).join(', ')})`);
    }
    return block;
  }
  get(name) {
    const b = this.#block(name);
    return this.parameters().slice(b.offset, b.offset + b.rows * b.cols);
  }
  set(name, values) {
    const b = this.#block(name);
    const v = f64(values, name);
    if (v.length !== b.rows * b.cols) {
      throw new Error(`${name} needs ${b.rows * b.cols} numbers, got ${v.length}`);
    }
    const p = this.parameters();
    p.set(v, b.offset);
    this.setParameters(p);
  }
  setData({ x, y, rows } = {}) {
    const xs = f64(x, 'x');
    const ys = f64(y, 'y');
    this._handle().setData(xs, ys, rows ?? Number.NaN);
  }
  evaluate(params) {
    return this._handle().evaluate(params === undefined ? undefined : f64(params, 'parameters'));
  }
  evaluateMany(params, count) {
    const p = f64(params, 'parameters');
    return this._handle().evaluateMany(p, count ?? p.length / this.size);
  }
  predict(x, rows) {
    return this._handle().predict(f64(x, 'x'), rows ?? Number.NaN);
  }
  hessian(params) {
    return this._handle().hessian(params === undefined ? undefined : f64(params, 'parameters'));
  }
  landscape(spec) {
    return this._handle().landscape(spec ?? {});
  }
  gradcheck(params, h) {
    return this._handle().gradcheck(params === undefined ? undefined : f64(params, 'parameters'), h ?? Number.NaN);
  }
  info() {
    return this._handle().info();
  }
  layerGradientNorms() {
    return this._handle().layerGradientNorms();
  }
  inputGradient(row, output = 0) {
    return this._handle().inputGradient(f64(row, 'input row'), output);
  }
  inputGradients(x, rows, output = 0) {
    return this._handle().inputGradients(f64(x, 'x'), rows ?? Number.NaN, output);
  }
  delete() {
    if (this.#raw) {
      this.#raw.delete();
      this.#raw = null;
    }
  }
}

/** Runs an optimizer on a model. */
class Trainer {
  #raw;
  constructor(raw) {
    this.#raw = raw;
  }
  #h() {
    return alive(this.#raw, 'trainer');
  }
  run(n) {
    return this.#h().run(n);
  }
  step() {
    return this.#h().run(1);
  }
  get status() {
    return this.#h().status();
  }
  get steps() {
    return this.#h().steps();
  }
  get loss() {
    return this.#h().loss();
  }
  parameters() {
    return this.#h().parameters();
  }
  gradient() {
    return this.#h().gradient();
  }
  history() {
    return this.#h().history();
  }
  trajectory() {
    return this.#h().trajectory();
  }
  reset(params) {
    this.#h().reset(params === undefined ? undefined : f64(params, 'parameters'));
  }
  setLearningRate(lr) {
    this.#h().setLearningRate(lr);
  }
  /** The optimizer's current learning rate. */
  get learningRate() {
    return this.#h().learningRate();
  }
  /** Loss over all examples at the current parameters (= loss unless mini-batching). */
  fullLoss() {
    return this.#h().fullLoss();
  }
  delete() {
    if (this.#raw) {
      this.#raw.delete();
      this.#raw = null;
    }
  }
}

/** A computation graph built op by op (the chain-rule and backprop lessons). */
class Graph {
  #raw;
  constructor(raw) {
    this.#raw = raw;
  }
  #h() {
    return alive(this.#raw, 'graph');
  }
  get size() {
    return this.#h().size();
  }
  input(name, values, shape) {
    return this.#h().input(String(name ?? ''), f64(values, 'values'), shapeOf(values, shape));
  }
  constant(values, shape, name = '') {
    return this.#h().constant(f64(values, 'values'), shapeOf(values, shape), String(name));
  }
  op(opName, inputs, attr) {
    const ids = Array.isArray(inputs) ? inputs : [inputs];
    return this.#h().op(String(opName), f64(ids, 'inputs'), attr);
  }
  forward() {
    this.#h().forward();
  }
  backward(rootId) {
    this.#h().backward(rootId);
  }
  value(id) {
    return this.#h().value(id);
  }
  grad(id) {
    return this.#h().grad(id);
  }
  setValue(id, values, shape) {
    this.#h().setValue(id, f64(values, 'values'), shape === undefined ? undefined : f64(shape, 'shape'));
  }
  sweep(leafId, values, outputId) {
    return this.#h().sweep(leafId, f64(values, 'values'), outputId);
  }
  nodes() {
    return this.#h().nodes();
  }
  gradcheck(rootId, h) {
    return this.#h().gradcheck(rootId, h ?? Number.NaN);
  }
  delete() {
    if (this.#raw) {
      this.#raw.delete();
      this.#raw = null;
    }
  }
}

/** A number is a scalar (shape []); an array without shape is a vector. */
function shapeOf(values, shape) {
  if (shape !== undefined) return f64(shape, 'shape');
  if (typeof values === 'number') return new Float64Array(0);
  return Float64Array.of(values.length);
}
