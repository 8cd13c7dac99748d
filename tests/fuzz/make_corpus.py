#!/usr/bin/env python3
"""Writes the seed corpus corpus/<target>/ for the libFuzzer targets in this folder.

Each seed is one meaningful scenario (a lesson's dataset, a classroom model, a typical grid
request, a small graph) encoded the way FuzzedDataProvider decodes it: integers, booleans and
numbers are taken from the END of the input (the first value read is the last byte, most
significant byte first), strings from the FRONT. So an Encoder records values in the order the
target reads them and writes front + reversed(back).

The scenarios mirror the reading order of each fuzz_*.cpp; if a target changes how it reads,
regenerate with `python3 tests/fuzz/make_corpus.py` (old seeds still work, just less well).
"""
import hashlib
import os
import struct

U64 = (1 << 64) - 1
DBL_MAX = 1.7976931348623157e308

DATASETS = ["exam-scores", "recipe", "seed002", "xor", "circle", "spirals", "blobs"]
FUNCTIONS = ["square", "recipe", "recipe2", "bowl", "rosenbrock", "saddle", "wells1d", "wells2d"]
OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
TYPES = ["linear", "logistic", "mlp"]
LOSSES = ["", "mse", "half_mse", "mae", "huber", "bce", "bce_logits", "softmax_ce"]
ACTIVATIONS = ["linear", "relu", "leaky_relu", "tanh", "sigmoid"]
INITS = ["uniform", "xavier", "he"]
PARAMS = ["ideal", "scale", "ideal_sugar", "sugar_scale", "ideal_time", "time_scale",
          "interaction", "condition", "angle", "a", "b", "amplitude", "bowl"]
OPS = ["add", "sub", "mul", "div", "neg", "matmul", "sum", "mean", "square", "pow", "exp", "log",
       "sqrt", "abs", "sigmoid", "tanh", "relu", "leaky_relu", "softmax", "mse", "half_mse", "mae",
       "huber", "bce_logits", "softmax_ce", "bce"]
SPECIAL = ["nan", "inf", "-inf", 0.0, -0.0, 1.0, -1.0, 0.5, 2.0, DBL_MAX, -DBL_MAX,
           2.2250738585072014e-308, 5e-324, 2.220446049250313e-16, 1e-300, 1e300, -1e300, 1e9,
           1e-9]
HUGE_SIZES = [0, 1, 257, 10001, 250001, 1000000000, U64, U64 // 8 + 1]


class Encoder:
    """Records reads in order; bytes() gives the input that replays them."""

    def __init__(self):
        self.front = bytearray()
        self.back = bytearray()

    # -- primitives (FuzzedDataProvider) --
    def int_range(self, lo, hi, v):
        assert lo <= v <= hi, (lo, hi, v)
        rng, x, n = hi - lo, v - lo, 0
        while n < 8 and (rng >> (8 * n)) > 0:
            n += 1
        self.back += x.to_bytes(n, "big") if n else b""

    def boolean(self, v):
        self.int_range(0, 255, 1 if v else 0)

    def u64(self, v):
        self.int_range(0, U64, v)

    def u8(self, v):
        self.int_range(0, 255, v)

    def probability(self, p):
        self.u64(min(U64, max(0, round(p * U64))))

    def float_range(self, lo, hi, v):
        if hi > 0 and lo < 0 and hi > lo + DBL_MAX:  # the provider halves huge ranges
            half = hi / 2 - lo / 2
            upper = v >= lo + half
            self.boolean(upper)
            base = lo + half if upper else lo
            self.probability((v - base) / half)
        else:
            self.probability((v - lo) / (hi - lo) if hi > lo else 0.0)

    def string(self, s, max_length):
        raw = s.encode().replace(b"\\", b"\\\\")
        self.front += raw
        if len(s) < max_length:
            self.front += b"\\|"  # backslash + other byte ends the string

    def bytes(self):
        return bytes(self.front) + bytes(reversed(self.back))

    # -- the helpers of fuzz_common.hpp --
    def name(self, valid, v):
        if v in valid:
            self.int_range(0, len(valid) + 1, valid.index(v))
        else:
            self.int_range(0, len(valid) + 1, len(valid))
            self.string(v, 12)

    def special(self, v):
        for k, s in enumerate(SPECIAL):
            if (isinstance(s, str) and str(v) == s) or (not isinstance(s, str) and s == v):
                self.int_range(0, len(SPECIAL) - 1, k)
                return
        raise ValueError(v)

    def any_double(self, lo, hi, v):
        if isinstance(v, str) or not (lo <= v <= hi):
            self.int_range(0, 7, 0)
            self.special(v)
        else:
            self.int_range(0, 7, 2)
            self.float_range(lo, hi, v)

    def bounded(self, lo, hi, v):
        self.float_range(lo, hi, v)

    def any_size(self, cap, v):
        if v <= cap:
            self.int_range(0, 15, 1)
            self.int_range(0, cap, v)
        else:
            self.int_range(0, 15, 0)
            self.int_range(0, len(HUGE_SIZES) - 1, HUGE_SIZES.index(v))


# ---- shared: optimizer + trainer (fuzz_train.hpp) -------------------------------------------

def optimizer(e, kind, **hp):
    e.name(OPTIMIZERS, kind)
    ranges = [("lr", 1e-6, 2.0), ("momentum", 0, 1), ("dampening", 0, 1),
              ("weight_decay", 0, 1), ("nesterov", None, None), ("alpha", 0, 1),
              ("eps", 0, 1e-3), ("beta1", 0, 1), ("beta2", 0, 1), ("amsgrad", None, None),
              ("centered", None, None), ("lr_decay", 0, 1), ("initial_accumulator_value", 0, 1)]
    for key, lo, hi in ranges:
        if lo is None:
            e.boolean(hp.get(key, False))
        elif key in hp:
            e.boolean(True)
            e.any_double(lo, hi, hp[key])
        else:
            e.boolean(False)


def trainer(e, batch=0, max_steps=None, record=True, actions=()):
    e.any_size(70, batch)
    e.boolean(max_steps is None)
    if max_steps is not None:
        e.any_size(25, max_steps)
    e.boolean(False)  # grad tolerance
    e.boolean(False)  # loss tolerance
    e.boolean(False)  # divergence factor
    e.boolean(record)
    e.boolean(True)  # default trajectory limit
    budget = 20
    for act in actions:
        if act[0] == "run":
            e.int_range(0, 7, 0)
            e.int_range(0, budget, act[1])
            budget -= act[1]
        elif act[0] == "lr":
            e.int_range(0, 7, 4)
            e.any_double(1e-6, 2.0, act[1])
        elif act[0] == "reset":
            e.int_range(0, 7, 6)
        elif act[0] == "full":
            e.int_range(0, 7, 7)


# ---- fuzz_data --------------------------------------------------------------------------------

def data_seeds():
    def make(name, n, seed, noise):
        e = Encoder()
        e.int_range(0, 2, 0)
        e.name(DATASETS, name)
        e.any_size(64, n)
        e.u64(seed)
        e.any_double(0.0, 3.0, noise)
        return e.bytes()

    def points(inputs, outputs, x, y, wild=False):
        e = Encoder()
        e.int_range(0, 2, 1)
        e.any_size(17, inputs)
        e.any_size(17, outputs)
        e.int_range(0, 64, len(x) // max(inputs, 1))
        e.int_range(0, 9, 1)
        e.int_range(0, 9, 1)
        e.boolean(wild)
        for v in x + y:
            if wild:
                e.any_double(-1e6, 1e6, v)
            else:
                e.bounded(-100, 100, v)
        return e.bytes()

    hours, scores = [2, 4, 6, 8], [60, 70, 80, 90]
    return {
        "exam_scores_20": make("exam-scores", 20, 1, 2.0),
        "xor_64": make("xor", 64, 7, 0.3),
        "seed002": make("seed002", 4, 0, 0.0),
        "spirals_n_1e9": make("spirals", 1000000000, 3, 0.1),
        "blobs_nan_noise": make("blobs", 10, 3, "nan"),
        "unknown_moons": make("moons", 10, 1, 0.1),
        "points_hours_scores": points(1, 1, hours, scores),
        "points_nan": points(2, 1, [1, 2, "nan", 4], [0, 1], wild=True),
    }


# ---- fuzz_model -------------------------------------------------------------------------------

def model_seed(type_, inputs=1, bias=True, loss="", sizes=(), acts=(), seed=1, init="uniform",
               rows=8, x=None, y=None, labels=False, opt=("sgd", {}), train=None, batch=0):
    e = Encoder()
    e.name(TYPES, type_)
    e.any_size(17, inputs)
    e.boolean(bias)
    e.name(LOSSES, loss)
    e.int_range(0, 13, len(sizes))
    for k, w in enumerate(sizes):
        e.any_size(3 if k + 1 == len(sizes) else 10, w)
    e.int_range(0, 9, 1)
    for a in acts:
        e.name(ACTIVATIONS, a)
    e.u64(seed)
    e.name(INITS, init)
    n_in = sizes[0] if type_ == "mlp" else inputs
    n_out = sizes[-1] if type_ == "mlp" else 1
    e.int_range(0, 64, rows)
    e.int_range(0, 9, 1)
    e.int_range(0, 9, 1)
    e.int_range(0, 3, 1)  # tame data
    bce = type_ == "logistic" or loss == "bce"
    if bce:
        e.boolean(labels)
    for k in range(rows * n_in):
        e.bounded(-100, 100, x[k] if x else ((k * 37) % 19 - 9) / 3)
    for k in range(rows * n_out):
        if bce and labels:
            e.boolean(True if (y[k] if y else k % 2) == 1 else False)
            if not (y[k] if y else k % 2) == 1:
                e.probability(0.0)
        else:
            e.bounded(-100, 100, y[k] if y else (k % 5) - 2)
    e.any_size(rows + 1, 0)  # batch [0, rows)
    e.any_size(rows + 1, rows)
    e.int_range(0, 8, 2)  # predict 2 rows
    e.boolean(True)
    e.boolean(False)
    for k in range(2 * n_in):
        e.bounded(-100, 100, 0.5 * k)
    e.boolean(False)  # input gradient
    for k in range(n_in):
        e.bounded(-100, 100, 1.0)
    e.any_size(n_out, 0)
    if type_ == "mlp":
        for k in range(n_in):
            e.bounded(-100, 100, 1.0)
        e.boolean(False)
    optimizer(e, opt[0], **opt[1])
    trainer(e, batch=batch, actions=train or [("run", 20)])
    return e.bytes()


def model_seeds():
    return {
        "linear_exam": model_seed("linear", 1, True, "mse", rows=4, x=[2, 4, 6, 8],
                                  y=[60, 70, 80, 90], opt=("sgd", {"lr": 0.01})),
        "linear_seed002_nobias": model_seed("linear", 2, False, "half_mse", rows=4,
                                            x=[1, 1, 1, 2, 2, 2, 2, 3], y=[1, 2, 2, 3],
                                            opt=("momentum", {"lr": 0.05})),
        "logistic_labels": model_seed("logistic", 2, rows=6, labels=True, opt=("adam", {"lr": 0.1})),
        "mlp_xor_tanh_sigmoid_bce": model_seed(
            "mlp", loss="bce", sizes=(2, 8, 8, 1), acts=("tanh", "tanh", "sigmoid"), seed=1,
            init="xavier", rows=8, labels=True, opt=("adam", {"lr": 0.03}), batch=4),
        "mlp_relu_huber_rmsprop": model_seed(
            "mlp", loss="huber", sizes=(3, 5, 2), acts=("relu", "linear"), seed=9, init="he",
            rows=5, opt=("rmsprop", {"lr": 0.01, "momentum": 0.5}, ),
            train=[("run", 5), ("lr", 0.5), ("run", 5), ("reset",), ("full",)]),
        "mlp_too_deep": model_seed(
            "mlp", sizes=(1,) * 13, acts=("linear",) * 12, rows=2),
    }


# ---- fuzz_function ----------------------------------------------------------------------------

PARAM_RANGES = {"ideal": (-10, 410), "ideal_sugar": (-10, 410), "ideal_time": (-10, 250),
                "interaction": (-2.5, 2.5), "condition": (0.5, 2e6), "angle": (-10, 10),
                "a": (-12, 12), "b": (-1, 2e4), "amplitude": (-1, 110), "bowl": (-1, 11)}


def function_seed(name, params, points, opt, train):
    e = Encoder()
    e.name(FUNCTIONS, name)
    e.int_range(0, 4, len(params))
    for key, v in params:
        e.name(PARAMS, key)
        lo, hi = PARAM_RANGES.get(key, (-1, 200))
        e.any_double(lo, hi, v)
    e.int_range(0, 4, len(points))
    for p in points:
        e.int_range(0, 7, 1)  # length = dims
        e.boolean(False)
        for c in p:
            e.bounded(-1000, 1000, c)
    optimizer(e, opt[0], **opt[1])
    trainer(e, actions=train)
    return e.bytes()


def function_seeds():
    return {
        "square_sgd": function_seed("square", [], [[3.0]], ("sgd", {"lr": 0.1}), [("run", 20)]),
        "recipe_sgd": function_seed("recipe", [], [[100.0]], ("sgd", {"lr": 1.25}),
                                         [("run", 3)]),
        "recipe2_interaction": function_seed("recipe2", [("interaction", 1.5)], [[100, 30]],
                                             ("adam", {"lr": 1.0}), [("run", 20)]),
        "bowl_condition_50": function_seed("bowl", [("condition", 50.0), ("angle", 0.5)],
                                           [[-2.5, 1.5]], ("nesterov", {"lr": 0.02}),
                                           [("run", 10), ("lr", 0.03), ("run", 10)]),
        "rosenbrock_adam": function_seed("rosenbrock", [("a", 1.0), ("b", 100.0)],
                                         [[-1.2, 1.0], [1, 1]], ("adam", {"lr": 0.05}),
                                         [("run", 20)]),
        "saddle_diverge": function_seed("saddle", [], [[-1.8, 0.05]], ("sgd", {"lr": 2.0}),
                                        [("run", 20)]),
        "wells1d_adagrad": function_seed("wells1d", [("amplitude", 1.0)], [[4.0]],
                                         ("adagrad", {"lr": 0.5}), [("run", 20)]),
        "wells2d_rmsprop": function_seed("wells2d", [("bowl", 0.05)], [[-0.6, 0.0]],
                                         ("rmsprop", {"lr": 0.01}), [("run", 20)]),
        "bowl_bad_param": function_seed("bowl", [("condition", "inf")], [], ("sgd", {}), []),
    }


# ---- fuzz_landscape ---------------------------------------------------------------------------

def landscape_seed(kind, setup, n, i, j, ranges, nx, ny):
    """n: the objective's parameter count (a model's are all set from the input)."""
    e = Encoder()
    e.int_range(0, 3, kind)
    setup(e)
    if kind != 0:
        for k in range(n):
            e.bounded(-5, 5, 0.5 - 0.25 * (k % 3))
    e.any_size(n, i)
    e.any_size(n, j)
    e.int_range(0, 3, 1)  # not wild
    for v in ranges:
        e.bounded(-10, 10, v)
    for side in (nx, ny):
        if side <= 32:
            e.int_range(0, 9, 1)
            e.int_range(0, 32, side)
        else:
            e.int_range(0, 9, 0)
            e.int_range(0, 4, [0, 1, 1001, 1000000000, U64].index(side))
    for r in range(4):
        e.int_range(0, ny - 1, (r * 7) % ny)
        e.int_range(0, nx - 1, (r * 5) % nx)
    return e.bytes()


def line_data(e, rows, far=False):
    e.int_range(0, 7, 1)  # has data
    e.int_range(1, 64, rows)
    e.boolean(not far)
    e.boolean(not far)  # shift
    rng = 10.0 if not far else 1e4
    if far:
        e.bounded(-rng, rng, 5000.0)
    for k in range(rows):
        e.bounded(-rng, rng, 1.0 + k)
    for k in range(rows):
        e.bounded(-rng, rng, 2.0 * k + 1)


def landscape_seeds():
    def fast_line(far):
        def setup(e):
            e.int_range(0, 3, 1)  # one input
            e.int_range(0, 3, 1)  # bias
            e.int_range(0, 3, 0)  # mse
            line_data(e, 16, far)
        return setup

    def function(k):
        return lambda e: e.int_range(0, 7, k)

    def mlp(e):
        e.int_range(1, 3, 2)
        e.int_range(1, 4, 3)
        e.boolean(True)
        e.boolean(True)
        e.u8(1)
        e.int_range(0, 7, 1)
        e.int_range(1, 64, 8)
        e.boolean(True)
        e.boolean(True)
        for k in range(16):
            e.bounded(-10, 10, (k % 7) - 3.0)
        for k in range(8):
            e.probability(k % 2)

    return {
        "line_fast_path": landscape_seed(1, fast_line(False), 2, 0, 1, [-2, 8, -10, 10], 32, 32),
        "line_far_from_origin": landscape_seed(1, fast_line(True), 2, 1, 0, [-5, 5, -1, 3], 9, 7),
        "rosenbrock_grid": landscape_seed(0, function(4), 2, 0, 1, [-2, 2, -1, 3], 24, 24),
        "mlp_grid_general_path": landscape_seed(3, mlp, 13, 0, 5, [-3, 3, -3, 3], 8, 8),
        "grid_side_1e9": landscape_seed(0, function(3), 2, 0, 1, [-3, 3, -3, 3], 1000000000, 4),
    }


# ---- fuzz_graph -------------------------------------------------------------------------------

class GraphProgram:
    def __init__(self):
        self.e = Encoder()
        self.size = 0

    def _id(self, v):
        if self.size == 0:
            self.e.any_size(self.size + 1, v)
            return
        self.e.int_range(0, 11, 1)
        self.e.int_range(0, self.size - 1, v)

    def leaf(self, shape, values, name=None):
        e = self.e
        e.int_range(0, 11, 0)
        e.int_range(0, 3, len(shape))
        for d in shape:
            e.int_range(0, 15, 1)
            e.int_range(1, 4, d)
        e.int_range(0, 5, 1)  # tame values
        for v in values:
            e.bounded(-3, 3, v)
        e.boolean(name is not None)
        if name is not None:
            e.string(name, 6)
        self.size += 1
        return self.size - 1

    def op(self, name, inputs, attr=None):
        e = self.e
        e.int_range(0, 11, 2)
        e.name(OPS, name)
        e.int_range(0, 7, 1)
        e.int_range(1, 2, len(inputs))
        for i in inputs:
            self._id(i)
        e.boolean(attr is None)
        if attr is not None:
            e.any_double(-3, 3, attr)
        self.size += 1
        return self.size - 1

    def backward(self, root):
        self.e.int_range(0, 11, 9)
        self._id(root)

    def gradcheck(self, root):
        self.e.int_range(0, 11, 10)
        self._id(root)
        self.e.boolean(True)
        self.e.boolean(True)

    def forward(self):
        self.e.int_range(0, 11, 8)


def graph_seeds():
    seeds = {}
    # The chain-rule lesson's neuron: L = (1 - sigmoid(W X))... as a loss against a target.
    p = GraphProgram()
    w = p.leaf([], [0.5], "W")
    x = p.leaf([], [2.0])
    z = p.op("mul", [w, x])
    y = p.op("sigmoid", [z])
    t = p.leaf([], [1.0])
    loss = p.op("mse", [y, t])
    p.backward(loss)
    p.gradcheck(loss)
    seeds["sigmoid_neuron"] = p.e.bytes()

    # A 2-layer perceptron on a batch: softmax cross-entropy of (X W1 + b1) relu W2.
    p = GraphProgram()
    xx = p.leaf([3, 2], [0.1, -0.2, 0.3, 0.4, -0.5, 0.6])
    w1 = p.leaf([2, 4], [0.1 * k - 0.3 for k in range(8)], "W1")
    b1 = p.leaf([4], [0.1, 0.0, -0.1, 0.2], "b1")
    h = p.op("relu", [p.op("add", [p.op("matmul", [xx, w1]), b1])])
    w2 = p.leaf([4, 2], [0.2, -0.1, 0.0, 0.3, -0.2, 0.1, 0.4, -0.3], "W2")
    logits = p.op("matmul", [h, w2])
    tgt = p.leaf([3, 2], [1, 0, 0, 1, 1, 0])
    loss = p.op("softmax_ce", [logits, tgt])
    p.backward(loss)
    p.gradcheck(loss)
    seeds["mlp_softmax_ce"] = p.e.bytes()

    # A diamond (a node used twice) and the attr ops.
    p = GraphProgram()
    a = p.leaf([2], [0.7, -1.2], "a")
    sq = p.op("pow", [a], 3.0)
    lk = p.op("leaky_relu", [a], 0.1)
    s = p.op("mean", [p.op("mul", [sq, lk])])
    hub = p.op("huber", [sq, lk], 0.5)
    tot = p.op("add", [s, hub])
    p.forward()
    p.backward(tot)
    seeds["diamond_pow_leaky_huber"] = p.e.bytes()

    # Broadcasting a row over a matrix, then bce against labels.
    p = GraphProgram()
    m = p.leaf([2, 3], [0.5, -1, 2, 0, 1, -2], "m")
    r = p.leaf([3], [0.1, 0.2, 0.3], "r")
    zz = p.op("sub", [p.op("div", [m, p.op("exp", [r])]), r])
    lab = p.leaf([2, 3], [1, 0, 1, 0, 1, 0])
    loss = p.op("bce", [zz, lab])
    p.backward(loss)
    seeds["broadcast_bce"] = p.e.bytes()

    # Invalid: unknown op name, wrong arity, non-scalar root.
    p = GraphProgram()
    v = p.leaf([2, 2], [1, 2, 3, 4], "v")
    p.e.int_range(0, 11, 2)
    p.e.name(OPS, "sigmoidd")
    p.e.int_range(0, 7, 1)
    p.e.int_range(1, 2, 1)
    p._id(v)
    p.e.boolean(True)
    p.backward(v)
    seeds["invalid_op_and_root"] = p.e.bytes()
    return seeds


# ---- fuzz_loss --------------------------------------------------------------------------------

LOSS_NAMES = ["mse", "half_mse", "mae", "huber", "bce", "bce_logits", "softmax_ce"]


def loss_seed(name, rows, cols, pred, target, probabilities, delta=1.0, scale=10.0):
    e = Encoder()
    e.name(LOSS_NAMES, name)
    e.int_range(0, 16, rows)
    e.int_range(0, 8, cols)
    e.boolean(delta == 1.0)
    if delta != 1.0:
        e.any_double(0.0, 5.0, delta)
    e.boolean(scale == 10.0)
    if scale != 10.0:
        e.boolean(scale == 800.0)
    e.int_range(0, 5, 1)  # not wild
    e.boolean(probabilities)
    for v in pred:
        e.bounded(-scale, scale, v)
    for v in target:
        if probabilities:
            e.boolean(v in (0, 1))
            if v in (0, 1):
                e.boolean(v == 1)
            else:
                e.probability(v)
        else:
            e.bounded(-scale, scale, v)
    return e.bytes()


def loss_seeds():
    return {
        "mse_exam": loss_seed("mse", 4, 1, [60, 70, 80, 90], [62, 68, 81, 95], False, scale=800.0),
        "huber_delta_half": loss_seed("huber", 2, 2, [0.1, 3, -2, 0], [0, 0, 0, 0], False, delta=0.5),
        "bce_logits_far": loss_seed("bce", 1, 4, [-790, -5, 5, 790], [1, 0, 1, 0.25], True,
                                    scale=800.0),
        "softmax_ce_one_hot": loss_seed("softmax_ce", 2, 3, [2, 1, 0.1, -1, 4, 0.5],
                                        [1, 0, 0, 0, 1, 0], True),
        "empty_rows": loss_seed("mae", 0, 3, [], [], False),
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    groups = {"fuzz_data": data_seeds(), "fuzz_model": model_seeds(),
              "fuzz_function": function_seeds(), "fuzz_landscape": landscape_seeds(),
              "fuzz_graph": graph_seeds(), "fuzz_loss": loss_seeds()}
    for target, seeds in groups.items():
        folder = os.path.join(here, "corpus", target)
        os.makedirs(folder, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
        print(f"{target}: {len(seeds)} seeds, {sum(len(d) for d in seeds.values())} bytes")


if __name__ == "__main__":
    main()
