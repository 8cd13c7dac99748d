// Peer 3: TensorFlow.js (tfjs-core with the 'cpu' or 'wasm' backend), written the way its docs
// teach: tensors for the data, tf.variable for parameters, an optimizer's minimize() around a
// loss closure (gradients by tf.variableGrads underneath). NOTE: TF.js computes in float32 only;
// its final parameters are widened to float64 before the shared reference recomputes the loss.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { gridAxis } from '../workloads.mjs';

let wasmPathSet = false;

// TF.js takes Float32Array (not Float64Array) for float tensors.
const f32 = (a) => Float32Array.from(a);

/** A trainable variable holding a copy of t (t itself is freed). */
function variableFrom(t) {
  const v = tf.variable(t);
  t.dispose();
  return v;
}

const ACT = { tanh: tf.tanh, sigmoid: tf.sigmoid, relu: tf.relu, linear: (z) => z };

function makeOptimizer(spec) {
  if (spec.optimizer === 'adam') return tf.train.adam(spec.lr, spec.beta1, spec.beta2, spec.eps);
  return tf.train.sgd(spec.lr);
}

function linear(spec, exam) {
  const x = tf.tensor1d(f32(exam.x));
  const y = tf.tensor1d(f32(exam.y));
  const w = variableFrom(tf.scalar(0));
  const b = variableFrom(tf.scalar(0));
  const opt = tf.train.sgd(spec.lr);
  const lossFn = () => tf.mean(tf.square(tf.sub(tf.add(tf.mul(w, x), b), y)));
  for (let s = 0; s < spec.steps; s++) opt.minimize(lossFn, false, [w, b]);
  const params = new Float64Array([w.dataSync()[0], b.dataSync()[0]]);
  tf.dispose([x, y, w, b]);
  opt.dispose();
  return { params };
}

/** All 40,000 losses at once: pred[k, i] = w_k x_i + b_k, then a row mean of squares. */
function landscape(spec, exam) {
  const ws = gridAxis(spec.wMin, spec.wMax, spec.nx);
  const bs = gridAxis(spec.bMin, spec.bMax, spec.ny);
  const count = spec.nx * spec.ny;
  const wFlat = new Float32Array(count);
  const bFlat = new Float32Array(count);
  for (let r = 0; r < spec.ny; r++) {
    for (let c = 0; c < spec.nx; c++) {
      wFlat[r * spec.nx + c] = ws[c];
      bFlat[r * spec.nx + c] = bs[r];
    }
  }
  const values = tf.tidy(() => {
    const w = tf.tensor2d(wFlat, [count, 1]);
    const b = tf.tensor2d(bFlat, [count, 1]);
    const x = tf.tensor2d(f32(exam.x), [1, exam.rows]);
    const y = tf.tensor2d(f32(exam.y), [1, exam.rows]);
    return tf.mean(tf.square(tf.sub(tf.add(tf.mul(w, x), b), y)), 1);
  });
  const grid = Float64Array.from(values.dataSync());
  values.dispose();
  return { grid };
}

function mlp(spec, net, data) {
  const { sizes } = net;
  const vars = [];
  let k = 0;
  for (let l = 1; l < sizes.length; l++) {
    const fi = sizes[l - 1];
    const fo = sizes[l];
    vars.push(variableFrom(tf.tensor2d(f32(net.init.subarray(k, k + fi * fo)), [fi, fo])));
    k += fi * fo;
    vars.push(variableFrom(tf.tensor1d(f32(net.init.subarray(k, k + fo)))));
    k += fo;
  }
  const bs = spec.batchSize > 0 ? spec.batchSize : data.rows;
  const batches = [];
  for (let start = 0; start < data.rows; start += bs) {
    const end = Math.min(start + bs, data.rows);
    batches.push([
      tf.tensor2d(f32(data.x.subarray(start * data.inputs, end * data.inputs)), [end - start, data.inputs]),
      tf.tensor2d(f32(data.y.subarray(start, end)), [end - start, 1]),
    ]);
  }
  const acts = spec.activations.map((a) => ACT[a]);
  const scale = spec.loss === 'half_mse' ? 0.5 : 1;
  const opt = makeOptimizer(spec);
  for (let s = 0; s < spec.steps; s++) {
    const [bx, by] = batches[s % batches.length];
    opt.minimize(() => {
      let a = bx;
      for (let l = 0; l < acts.length; l++) a = acts[l](tf.add(tf.matMul(a, vars[2 * l]), vars[2 * l + 1]));
      return tf.mul(tf.mean(tf.square(tf.sub(a, by))), scale);
    }, false, vars);
  }
  const params = new Float64Array(k);
  let o = 0;
  for (const v of vars) {
    const d = v.dataSync();
    params.set(d, o);
    o += d.length;
  }
  tf.dispose(vars);
  tf.dispose(batches.flat());
  opt.dispose();
  return { params };
}

/**
 * @param {'cpu'|'wasm'} backend
 * @param {{wasmPath?: string}} options wasmPath: folder (Node) or URL prefix (browser) holding
 *   tfjs-backend-wasm's .wasm files, ending in '/'.
 */
export function createTfjs(backend, { wasmPath } = {}) {
  return {
    id: `tfjs-${backend}`,
    label: `TF.js ${backend}`,
    precision: 'float32',
    async init() {
      if (backend === 'wasm' && wasmPath && !wasmPathSet) {
        setWasmPaths(wasmPath);
        wasmPathSet = true;
      }
      // tfjs-core prints a one-time "install tfjs-node" banner in Node; it is noise here.
      const { log, warn } = console;
      console.log = console.warn = () => {};
      try {
        if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} failed to initialise`);
        await tf.ready();
        tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
      } finally {
        console.log = log;
        console.warn = warn;
      }
      this.detail = backend === 'wasm'
        ? `simd=${await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')}, threads=${await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')}`
        : '';
    },
    async run(spec, data) {
      if (tf.getBackend() !== backend) await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      let out;
      if (spec.kind === 'linear') out = linear(spec, data.exam);
      else if (spec.kind === 'landscape') out = landscape(spec, data.exam);
      else out = mlp(spec, data[spec.net], data[spec.data]);
      const leaked = tf.memory().numTensors - before;
      if (leaked > 0) out.note = `${leaked} tensors leaked`;
      return out;
    },
    dispose() {},
  };
}
