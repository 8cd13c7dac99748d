// Types of the Gradlab engine API (web/engine/gradlab.js). Hand-written: emcc 3.1.6 has no
// --emit-tsd, and the wrapper's API is not the raw Embind surface anyway.
//
// Ownership: Model, Trainer and Graph own memory inside the WebAssembly module that the garbage
// collector cannot see. Whoever creates one must call delete() exactly once (try/finally, or a
// custom element's disconnectedCallback). Every other value returned is a plain JS copy.
//
// Errors: engine errors are thrown as RangeError (a number out of range) or Error (malformed
// input), with the engine's message. A failed call changes nothing; the engine stays usable.
// TypeError is thrown by gradlab.js itself, while converting arguments and before the engine is
// called: a value that is not an array of numbers (nor a single number) where Numbers are read
// ("parameters must be an array of numbers", likewise predictions, targets, x, y, values, …),
// a model spec that is not an object, trainer() without a Model from model(), and a BigInt or
// Symbol where a number is expected (JavaScript's own number conversion). Calling a method after
// delete() throws Error ("this model has been deleted").

/** Numbers accepted wherever the engine reads an array (copied on the way in); a single number
 *  counts as a one-element array. Anything else (a string, null, an object without a numeric
 *  length) throws TypeError "<argument> must be an array of numbers". */
export type Numbers = Float64Array | ArrayLike<number>;

export interface LoadOptions {
  /** An already imported createGradlabEngine factory (lets a bundler inline the module). */
  factory?: (moduleArg?: object) => Promise<unknown>;
  /** URL or (Node) path of gradlab-engine.mjs; default: next to gradlab.js, then (Node only)
   *  ../../build/wasm/. Also settable with globalThis.GRADLAB_ENGINE_URL / env GRADLAB_ENGINE. */
  moduleUrl?: string | URL;
  /** The bytes of gradlab-engine.wasm. Default: browsers fetch it from next to the module
   *  (streaming compilation); Node reads it from next to a module file. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** Loads the engine once per page or process; later calls return the same instance and ignore
 *  their options. A failed load is not memoised, so it can be retried. */
export function loadEngine(options?: LoadOptions): Promise<Engine>;

export type DatasetName =
  | 'exam-scores' | 'recipe' | 'seed002' | 'xor' | 'circle' | 'spirals' | 'blobs';

/** A dataset as flat row-major copies: x is rows x inputs, y is rows x outputs. */
export interface Dataset {
  x: Float64Array;
  y: Float64Array;
  rows: number;
  inputs: number;
  outputs: number;
}

export type LossName = 'mse' | 'half_mse' | 'mae' | 'huber' | 'bce' | 'softmax_ce';
export type ActivationName = 'linear' | 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid';
export type FunctionName =
  | 'square' | 'recipe' | 'recipe2' | 'bowl' | 'rosenbrock' | 'saddle' | 'wells1d' | 'wells2d';

export interface LinearSpec {
  type: 'linear';
  /** Number of input columns (default 1). */
  inputs?: number;
  /** Whether there is a bias block (default true). */
  bias?: boolean;
  /** Default 'mse'; also 'half_mse', 'mae', 'huber'. */
  loss?: LossName;
}
export interface LogisticSpec {
  type: 'logistic';
  inputs?: number;
  /** Always binary cross-entropy; 'bce' is the only accepted value. */
  loss?: 'bce';
}
export interface MlpSpec {
  type: 'mlp';
  /** Layer widths: [inputs, hidden..., outputs]. */
  sizes: number[];
  /** One per layer (sizes.length - 1); default tanh hidden layers and a linear output. */
  activations?: ActivationName[];
  /** Default 'mse'. 'bce' needs a 'sigmoid' or 'linear' output and reads the logit. */
  loss?: LossName;
  /** Initialisation seed (default 1). */
  seed?: number;
  /** Default 'uniform' (U(-0.5, 0.5), bias 0.1); 'xavier' or 'he' (uniform, bias 0). */
  init?: 'uniform' | 'xavier' | 'he';
}
export interface FunctionSpec {
  type: 'function';
  name: FunctionName;
  /** Named numeric parameters of the function, e.g. condition and angle for 'bowl'. */
  [param: string]: number | string;
}
export type ModelSpec = LinearSpec | LogisticSpec | MlpSpec | FunctionSpec;

/** Where one named parameter block lives in the flat parameter vector. */
export interface ParamBlock {
  name: string;
  rows: number;
  cols: number;
  offset: number;
}

export interface Evaluation {
  loss: number;
  /** dLoss/dparameter, one per parameter. */
  gradient: Float64Array;
}

export interface LandscapeSpec {
  /** Parameter along the columns (default 0). */
  i?: number;
  /** Parameter along the rows (default 1). */
  j?: number;
  iMin: number;
  iMax: number;
  jMin: number;
  jMax: number;
  /** Cells along i (columns), 2..1000, default 50. */
  nx?: number;
  /** Cells along j (rows), 2..1000, default 50. */
  ny?: number;
  /**
   * 'auto' (default): a one-input linear model with (half) MSE uses the exact quadratic form,
   * O(1) per cell. 'sum': every cell is an explicit mean over all data points (same values to
   * rounding; what the benchmark measures). Other objectives ignore it.
   */
  method?: 'auto' | 'sum';
}

export interface GradCheckResult {
  /** Worst |analytic - numeric| / max(1, |analytic|, |numeric|). */
  maxRelError: number;
  /** maxRelError <= tolerance and nothing was NaN. */
  ok: boolean;
  tolerance: number;
  /** The function value at the checked point. */
  value: number;
  analytic: Float64Array;
  numeric: Float64Array;
  parts: { name: string; offset: number; size: number; maxRelError: number }[];
}

export interface ModelInfo {
  type: 'linear' | 'logistic' | 'mlp' | 'function';
  size: number;
  // models
  inputs?: number;
  outputs?: number;
  loss?: LossName;
  /** Rows of data set with setData (0 before). */
  examples?: number;
  sizes?: number[];
  activations?: ActivationName[];
  // functions
  name?: FunctionName;
  formula?: string;
  axisLabels?: string[];
  /** Suggested plot window: x range, and y range (2-D: second coordinate; 1-D: f values). */
  view?: { xMin: number; xMax: number; yMin: number; yMax: number };
  start?: Float64Array;
  /** Local minima, lowest first. */
  minima?: Float64Array[];
}

/** A trainable objective: a model with data and a loss, or a lesson function. */
export interface Model {
  /** 'linear' | 'logistic' | 'mlp' | 'function'. */
  readonly type: string;
  /** Number of parameters. */
  readonly size: number;
  /** The named blocks of the parameter vector, in order. */
  layout(): ParamBlock[];
  /** A copy of the current parameters. */
  parameters(): Float64Array;
  /** Replaces all parameters (size numbers, finite). */
  setParameters(values: Numbers): void;
  /** A copy of one named block (e.g. 'weight', 'W1', 'x'). */
  get(name: string): Float64Array;
  /** Replaces one named block. */
  set(name: string, values: Numbers): void;
  /** Models only: the examples the loss is measured on (x: rows*inputs, y: rows*outputs).
   *  A Dataset from engine.dataset() fits as is. */
  setData(data: { x: Numbers; y: Numbers; rows?: number }): void;
  /** Loss and gradient at params, or at the current parameters when omitted. */
  evaluate(params?: Numbers): Evaluation;
  /** Loss and gradient at count parameter vectors (params: count*size numbers, one vector
   *  after another; count defaults to params.length / size), in one call. Returns
   *  count*(1 + size) numbers: each point's loss, then its gradient. */
  evaluateMany(params: Numbers, count?: number): Float64Array;
  /** Models: predictions (rows*outputs, after the output activation) for rows of inputs.
   *  Functions: f at each row of coordinates (rows numbers). */
  predict(x: Numbers, rows?: number): Float64Array;
  /** Functions only: the size x size Hessian (row-major) at params or the current parameters. */
  hessian(params?: Numbers): Float64Array;
  /** Loss over an ny x nx grid (row r = j index, column c = i index), other parameters fixed.
   *  Non-finite cells are +Infinity. */
  landscape(spec: LandscapeSpec): Float64Array;
  /** Central differences against the analytic gradient (h default 1e-6). */
  gradcheck(params?: Numbers, h?: number): GradCheckResult;
  /** Type, sizes, loss (models) or formula, axes, view, start and minima (functions). */
  info(): ModelInfo;
  /** MLP only: ||dLoss/dW_l|| per layer from the last gradient evaluation. */
  layerGradientNorms(): Float64Array;
  /** Models only: d prediction[output] / d input at one input row. */
  inputGradient(row: Numbers, output?: number): Float64Array;
  /**
   * Models only: inputGradient at each of `rows` input rows (x row-major, rows x inputs; rows
   * defaults to all of x) in one call: rows x inputs numbers.
   */
  inputGradients(x: Numbers, rows?: number, output?: number): Float64Array;
  /** Frees the engine memory. Call exactly once; any later call throws. A trainer made from
   *  this model keeps working. */
  delete(): void;
}

export type OptimizerKind = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam';

/** PyTorch's hyper-parameters and defaults (torch.optim). */
export interface OptimizerSpec {
  type?: OptimizerKind;
  /** Learning rate, finite and > 0 (default: PyTorch's for the kind). */
  lr?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  /** RMSprop smoothing constant (0.99). */
  alpha?: number;
  eps?: number;
  beta1?: number;
  beta2?: number;
  amsgrad?: boolean;
  centered?: boolean;
  lrDecay?: number;
  initialAccumulatorValue?: number;
}

export interface TrainerOptions {
  /** Examples per step; 0 (default) = the full batch. Batches are consecutive rows. */
  batchSize?: number;
  /** Converged when every |gradient component| < tolerance (default 1e-10; 0 disables). */
  tolerance?: number;
  /** When > 0: converged when a step changes the loss by less than this, relatively. */
  lossTolerance?: number;
  /** Step budget; reaching it gives status 'max-steps' (default 1e6). */
  maxSteps?: number;
  /** Diverged when the loss exceeds this times max(1, initial loss) (default 1e12). */
  divergenceFactor?: number;
  /** Record the parameters after every step (default true). */
  recordTrajectory?: boolean;
  /** Most numbers trajectory() keeps (default 200000). */
  trajectoryLimit?: number;
}

export type TrainerStatus = 'running' | 'converged' | 'diverged' | 'max-steps';

/** Runs an optimizer on a model, recording losses and the parameter trajectory. */
export interface Trainer {
  /** Takes up to n steps (stops early on convergence or divergence); returns the status. */
  run(n: number): TrainerStatus;
  /** run(1). */
  step(): TrainerStatus;
  readonly status: TrainerStatus;
  /** Steps taken since creation or reset(). */
  readonly steps: number;
  /** Loss at the current parameters. */
  readonly loss: number;
  /** A copy of the current parameters. */
  parameters(): Float64Array;
  /** Gradient at the current parameters. */
  gradient(): Float64Array;
  /** Loss after each step; index 0 is the initial loss (steps + 1 numbers). */
  history(): Float64Array;
  /** Parameters after each step, flat: (steps + 1) * size numbers. */
  trajectory(): Float64Array;
  /** Starts again (optimizer state cleared) from params or the starting parameters. */
  reset(params?: Numbers): void;
  /** Changes the learning rate for the next steps (finite, > 0). */
  setLearningRate(lr: number): void;
  /** The optimizer's current learning rate. */
  readonly learningRate: number;
  /** Loss over all examples at the current parameters (= loss unless mini-batching). */
  fullLoss(): number;
  /** Frees the engine memory. Call exactly once; any later call throws. */
  delete(): void;
}

export interface GraphNode {
  id: number;
  /** Op label, e.g. 'input', 'constant', 'mul', 'sigmoid', 'mse'. */
  op: string;
  name: string;
  inputs: number[];
  shape: number[];
  /** pow exponent, leaky_relu slope, huber delta (only when the op has one). */
  attr?: number;
  value: Float64Array;
  grad: Float64Array;
}

/** A computation graph built op by op; building a node computes its value. */
export interface Graph {
  /** Number of nodes. */
  readonly size: number;
  /** A variable leaf (perturbed by gradcheck). A number is a scalar; an array without shape a
   *  vector. Returns its id. */
  input(name: string, values: number | Numbers, shape?: number[]): number;
  /** A constant leaf (data, targets, literals). Returns its id. */
  constant(values: number | Numbers, shape?: number[], name?: string): number;
  /** Applies an op by name ('add', 'matmul', 'sigmoid', 'mse', ...; see engine.opNames()) to
   *  node ids. attr: a number or { exponent } (pow), { slope } (leaky_relu), { delta } (huber). */
  op(opName: string, inputs: number[] | number, attr?: number | { exponent?: number; p?: number; slope?: number; delta?: number }): number;
  /** Recomputes every op node from the current leaf values. */
  forward(): void;
  /** Every node's grad becomes d(root)/d(node); root must be a scalar. */
  backward(rootId: number): void;
  /** A copy of a node's value (row-major). */
  value(id: number): Float64Array;
  /** A copy of a node's gradient from the last backward(). */
  grad(id: number): Float64Array;
  /** New values for a leaf (same shape unless shape is given); call forward() afterwards. */
  setValue(id: number, values: number | Numbers, shape?: number[]): void;
  /** The one-element node outputId with the one-element leaf leafId set to each value in turn
   *  (one forward pass each, in one call; at most 100000 values). Afterwards the leaf and every
   *  node hold what they held before (as after forward()). */
  sweep(leafId: number, values: Numbers, outputId: number): Float64Array;
  /** Every node with its op, inputs, shape, value and grad (for drawing the graph). */
  nodes(): GraphNode[];
  /** Checks d(root)/d(input leaves) by central differences (h default 1e-6). */
  gradcheck(rootId: number, h?: number): GradCheckResult;
  /** Frees the engine memory. Call exactly once; any later call throws. */
  delete(): void;
}

export interface Engine {
  /** A generated dataset (a plain copy). n 1..10000 (default 100), seed (default 1),
   *  noise >= 0 (default 0). 'seed002' ignores them. */
  dataset(name: DatasetName, options?: { n?: number; seed?: number; noise?: number }): Dataset;
  /** Version of the engine and its JS API, e.g. "0.1.0" (equal to package.json's version). */
  readonly version: string;
  /** The names dataset() accepts. */
  datasetNames(): string[];
  /** A model or lesson function. The caller owns it and must delete() it.
   *  @throws {TypeError} when spec is not an object. */
  model(spec: ModelSpec): Model;
  /** A trainer of the model. The caller owns it and must delete() it; it keeps its own
   *  reference to the model's objective, so the model may be deleted first.
   *  @throws {TypeError} when model is not a Model from model(). */
  trainer(model: Model, optimizer?: OptimizerSpec, options?: TrainerOptions): Trainer;
  /** An empty graph. The caller owns it and must delete() it. */
  graph(): Graph;
  /** The op names Graph.op() accepts. */
  opNames(): string[];
  /** A loss over rows x cols predictions and its gradient dLoss/dprediction. Default shape:
   *  one column. delta is Huber's threshold (default 1). */
  loss(kind: LossName, pred: Numbers, target: Numbers, shape?: { rows?: number; cols?: number; delta?: number }): Evaluation;
  /** Wasm memory size, bytes held by malloc and the C stack position (for leak tests). */
  memoryStats(): { heap: number; allocated: number; stack: number };
}
