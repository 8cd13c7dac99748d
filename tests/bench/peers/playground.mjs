// Peer 2: the design of TensorFlow Playground's nn.ts, re-implemented for these workloads.
// One object per neuron and one per link; each example is pushed forward and backpropagated on
// its own, every link accumulates its derivative, and an update step divides by the number of
// accumulated derivatives (a batch mean). Activations are {output, der(totalInput)} pairs and the
// error function is an {error, der} pair, as there. Adam is an extension Playground does not
// have (W4 needs it); it lives in the same per-link update.

import { gridAxis } from '../workloads.mjs';

const Activations = {
  tanh: { output: (x) => Math.tanh(x), der: (x) => { const o = Math.tanh(x); return 1 - o * o; } },
  relu: { output: (x) => Math.max(0, x), der: (x) => (x <= 0 ? 0 : 1) },
  sigmoid: {
    output: (x) => 1 / (1 + Math.exp(-x)),
    der: (x) => { const o = 1 / (1 + Math.exp(-x)); return o * (1 - o); },
  },
  linear: { output: (x) => x, der: () => 1 },
};

/** Per-example error functions. Playground's "square" is ½(o - t)²; MSE is (o - t)². */
const Errors = {
  half_mse: { error: (o, t) => 0.5 * (o - t) * (o - t), der: (o, t) => o - t },
  mse: { error: (o, t) => (o - t) * (o - t), der: (o, t) => 2 * (o - t) },
};

class Neuron {
  constructor(id, activation) {
    this.id = id;
    this.activation = activation;
    this.inputLinks = [];
    this.outputs = [];
    this.bias = 0.1;
    this.totalInput = 0;
    this.output = 0;
    this.outputDer = 0; // dE/d(output)
    this.inputDer = 0; // dE/d(totalInput)
    this.accInputDer = 0; // summed dE/d(totalInput) = dE/d(bias) since the last update
    this.numAccumulatedDers = 0;
    this.m = 0; // Adam moments of the bias
    this.v = 0;
  }

  updateOutput() {
    this.totalInput = this.bias;
    for (let j = 0; j < this.inputLinks.length; j++) {
      const link = this.inputLinks[j];
      this.totalInput += link.weight * link.source.output;
    }
    this.output = this.activation.output(this.totalInput);
    return this.output;
  }
}

class Link {
  constructor(source, dest) {
    this.id = `${source.id}-${dest.id}`;
    this.source = source;
    this.dest = dest;
    this.weight = 0;
    this.errorDer = 0;
    this.accErrorDer = 0;
    this.numAccumulatedDers = 0;
    this.m = 0;
    this.v = 0;
  }
}

function buildNetwork(shape, activation, outputActivation) {
  const network = [];
  let id = 1;
  for (let l = 0; l < shape.length; l++) {
    const layer = [];
    network.push(layer);
    for (let i = 0; i < shape[l]; i++) {
      const node = new Neuron(l === 0 ? `x${i + 1}` : String(id++),
        l === shape.length - 1 ? outputActivation : activation);
      layer.push(node);
      if (l > 0) {
        for (const prev of network[l - 1]) {
          const link = new Link(prev, node);
          prev.outputs.push(link);
          node.inputLinks.push(link);
        }
      }
    }
  }
  return network;
}

/** Canonical flat parameters (W_l fanIn x fanOut, then b_l) into links and biases. */
function setParams(network, flat) {
  let k = 0;
  for (let l = 1; l < network.length; l++) {
    const prev = network[l - 1];
    const layer = network[l];
    for (let i = 0; i < prev.length; i++) {
      for (let j = 0; j < layer.length; j++) layer[j].inputLinks[i].weight = flat[k++];
    }
    for (const node of layer) node.bias = flat[k++];
  }
}

function getParams(network) {
  const out = [];
  for (let l = 1; l < network.length; l++) {
    const prev = network[l - 1];
    const layer = network[l];
    for (let i = 0; i < prev.length; i++) {
      for (let j = 0; j < layer.length; j++) out.push(layer[j].inputLinks[i].weight);
    }
    for (const node of layer) out.push(node.bias);
  }
  return Float64Array.from(out);
}

function forwardProp(network, inputs) {
  const inputLayer = network[0];
  for (let i = 0; i < inputLayer.length; i++) inputLayer[i].output = inputs[i];
  for (let l = 1; l < network.length; l++) {
    const layer = network[l];
    for (let i = 0; i < layer.length; i++) layer[i].updateOutput();
  }
  return network[network.length - 1][0].output;
}

function backProp(network, target, errorFunc) {
  const outputNode = network[network.length - 1][0];
  outputNode.outputDer = errorFunc.der(outputNode.output, target);
  for (let l = network.length - 1; l >= 1; l--) {
    const layer = network[l];
    for (let i = 0; i < layer.length; i++) {
      const node = layer[i];
      node.inputDer = node.outputDer * node.activation.der(node.totalInput);
      node.accInputDer += node.inputDer;
      node.numAccumulatedDers++;
    }
    for (let i = 0; i < layer.length; i++) {
      const node = layer[i];
      for (let j = 0; j < node.inputLinks.length; j++) {
        const link = node.inputLinks[j];
        link.errorDer = node.inputDer * link.source.output;
        link.accErrorDer += link.errorDer;
        link.numAccumulatedDers++;
      }
    }
    if (l === 1) continue;
    const prev = network[l - 1];
    for (let i = 0; i < prev.length; i++) {
      const node = prev[i];
      node.outputDer = 0;
      for (let j = 0; j < node.outputs.length; j++) {
        const out = node.outputs[j];
        node.outputDer += out.weight * out.dest.inputDer;
      }
    }
  }
}

/** One optimiser step on one parameter holder (a link's weight or a node's bias). */
function stepValue(value, meanDer, holder, opt) {
  if (opt.type !== 'adam') return value - opt.lr * meanDer;
  holder.m = opt.beta1 * holder.m + (1 - opt.beta1) * meanDer;
  holder.v = opt.beta2 * holder.v + (1 - opt.beta2) * meanDer * meanDer;
  return value - ((opt.lr / opt.c1) * holder.m) / (Math.sqrt(holder.v) / opt.c2 + opt.eps);
}

function updateWeights(network, opt) {
  for (let l = 1; l < network.length; l++) {
    const layer = network[l];
    for (let i = 0; i < layer.length; i++) {
      const node = layer[i];
      if (node.numAccumulatedDers > 0) {
        node.bias = stepValue(node.bias, node.accInputDer / node.numAccumulatedDers, node, opt);
        node.accInputDer = 0;
        node.numAccumulatedDers = 0;
      }
      for (let j = 0; j < node.inputLinks.length; j++) {
        const link = node.inputLinks[j];
        if (link.numAccumulatedDers > 0) {
          link.weight = stepValue(link.weight, link.accErrorDer / link.numAccumulatedDers, link, opt);
          link.accErrorDer = 0;
          link.numAccumulatedDers = 0;
        }
      }
    }
  }
}

/** Playground's training loop: example by example, updating every batchSize examples. */
function train(network, data, spec, errorFunc, batchSize, updates) {
  const inputs = new Array(data.inputs);
  const opt = { type: spec.optimizer || 'sgd', lr: spec.lr, beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps, c1: 1, c2: 1 };
  let t = 0;
  let i = 0;
  while (t < updates) {
    for (let k = 0; k < data.inputs; k++) inputs[k] = data.x[i * data.inputs + k];
    forwardProp(network, inputs);
    backProp(network, data.y[i], errorFunc);
    i++;
    if (i % batchSize === 0 || i === data.rows) {
      t++;
      if (opt.type === 'adam') {
        opt.c1 = 1 - opt.beta1 ** t;
        opt.c2 = Math.sqrt(1 - opt.beta2 ** t);
      }
      updateWeights(network, opt);
    }
    if (i === data.rows) i = 0;
  }
}

export function createPlayground() {
  return {
    id: 'playground',
    label: 'Playground-style',
    precision: 'float64',
    async init() {},
    run(spec, data) {
      if (spec.kind === 'linear') {
        const net = buildNetwork([1, 1], Activations.linear, Activations.linear);
        setParams(net, [0, 0]);
        train(net, data.exam, spec, Errors.mse, data.exam.rows, spec.steps);
        return { params: getParams(net) };
      }
      if (spec.kind === 'landscape') {
        const net = buildNetwork([1, 1], Activations.linear, Activations.linear);
        const link = net[1][0].inputLinks[0];
        const out = net[1][0];
        const { x, y, rows } = data.exam;
        const ws = gridAxis(spec.wMin, spec.wMax, spec.nx);
        const bs = gridAxis(spec.bMin, spec.bMax, spec.ny);
        const grid = new Float64Array(spec.nx * spec.ny);
        const input = [0];
        for (let r = 0; r < spec.ny; r++) {
          for (let c = 0; c < spec.nx; c++) {
            link.weight = ws[c];
            out.bias = bs[r];
            let s = 0;
            for (let i = 0; i < rows; i++) {
              input[0] = x[i];
              s += Errors.mse.error(forwardProp(net, input), y[i]);
            }
            grid[r * spec.nx + c] = s / rows;
          }
        }
        return { grid };
      }
      const netSpec = data[spec.net];
      const acts = spec.activations;
      const net = buildNetwork(netSpec.sizes, Activations[acts[0]], Activations[acts[acts.length - 1]]);
      setParams(net, netSpec.init);
      const d = data[spec.data];
      const bs = spec.batchSize > 0 ? spec.batchSize : d.rows;
      train(net, d, spec, Errors[spec.loss], bs, spec.steps);
      return { params: getParams(net) };
    },
    dispose() {},
  };
}
