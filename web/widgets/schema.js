// The registry of every Gradlab widget tag and the attributes it accepts.
//
// This file is pure data plus two pure functions. It must not touch the DOM: the site build
// (Node) imports it to validate lessons at build time, and web/widgets/base.js imports it to
// parse attributes in the browser — so an attribute means the same thing in both places.
//
// Adding a widget: add one entry below, keyed by its tag name, with
//   description  one sentence for authors (shown in the authoring reference)
//   example      a snippet an author can paste into a lesson
//   attributes   { name: spec }, where spec is one of
//     { type: 'number',  default, min?, max?, integer?, description }
//     { type: 'enum',    default, values: [...strings], description }
//     { type: 'boolean', default, description }   present / "true" -> true, "false" -> false
//     { type: 'string',  default, maxLength?, pattern? (a RegExp source), description }
//     { type: 'numbers', default: [...], minLength?, maxLength?, lengths?, min?, max?, description }
//                        a list of finite numbers separated by commas and/or spaces; `lengths`
//                        (e.g. [0, 2]) lists the only counts allowed, for "none or a point x y"
// Entries are kept in alphabetical order of tag.

/** @typedef {{type:string, default:any, description:string, min?:number, max?:number,
 *   integer?:boolean, values?:string[], maxLength?:number, minLength?:number, lengths?:number[],
 *   pattern?:string}}
 *   AttributeSpec */

/** @type {Record<string, {description:string, example:string,
 *   attributes: Record<string, AttributeSpec>}>} */
export const widgets = {
  'gradlab-attribution-explorer': {
    description:
      'Explaining one prediction of a pass/fail classifier trained by the engine on made-up ' +
      'students (hours studied, hours slept, practice tests): sliders for the student, the ' +
      'probability of passing, and per feature the engine\'s input gradient ∂p/∂x (with a ' +
      'central-difference check), gradient × (input − baseline) and integrated gradients, as bars and numbers.',
    example: '<gradlab-attribution-explorer model="mlp" hours="6" sleep="7" tests="2">' +
      '</gradlab-attribution-explorer>',
    attributes: {
      model: { type: 'enum', default: 'mlp', values: ['mlp', 'logistic'],
        description: 'The classifier: a small network (3 → 8 tanh → 1) or logistic regression.' },
      hours: { type: 'number', default: 6, min: 0, max: 12,
        description: 'Starting hours of study of the student being explained.' },
      sleep: { type: 'number', default: 7, min: 3, max: 11,
        description: 'Starting hours of sleep the night before the exam.' },
      tests: { type: 'number', default: 2, min: 0, max: 10,
        description: 'Starting number of practice tests taken.' },
      baseline: { type: 'numbers', default: [0, 5, 0], minLength: 3, maxLength: 3, min: 0, max: 12,
        description: 'The "did nothing" student the contributions are measured from: hours, sleep, tests.' },
      students: { type: 'number', default: 300, min: 50, max: 1000, integer: true,
        description: 'Number of made-up students the model is trained on.' },
      seed: { type: 'number', default: 1, min: 0, max: 1000000, integer: true,
        description: 'Seed of the made-up students (same seed, same class).' },
      nudge: { type: 'number', default: 0.01, min: 0.0001, max: 1,
        description: 'Step h of the central-difference check (p(x + h) − p(x − h)) / 2h.' },
      'train-steps': { type: 'number', default: 600, min: 50, max: 3000, integer: true,
        description: 'Adam steps the engine trains for when the page loads.' },
    },
  },
  'gradlab-backprop-net': {
    description:
      'A small neural network (the engine\'s MLP) learning a 2-D classification data set: the ' +
      'decision boundary as a heat map with the data, the loss over steps, the gradient size of ' +
      'each layer\'s weights (vanishing gradients), and the backward pass for one first-layer ' +
      'weight and one example written out, checked against the engine and a central difference.',
    example: '<gradlab-backprop-net dataset="circle" activation="tanh" depth="2" width="6">' +
      '</gradlab-backprop-net>',
    attributes: {
      dataset: { type: 'enum', default: 'circle', values: ['xor', 'circle', 'spirals'],
        description: 'The engine\'s data set: xor (four corners), circle (ring around a disc) or two spirals.' },
      activation: { type: 'enum', default: 'tanh', values: ['sigmoid', 'tanh', 'relu'],
        description: 'Activation of the hidden layers (the output is always a sigmoid).' },
      depth: { type: 'number', default: 2, min: 1, max: 4, integer: true,
        description: 'Number of hidden layers.' },
      width: { type: 'number', default: 6, min: 2, max: 16, integer: true,
        description: 'Neurons in each hidden layer.' },
      'learning-rate': { type: 'number', default: 0.03, min: 0.0005, max: 1,
        description: 'Step size of the optimizer.' },
      optimizer: { type: 'enum', default: 'adam', values: ['sgd', 'adam'],
        description: 'Plain gradient descent ("sgd") or Adam.' },
      points: { type: 'number', default: 200, min: 50, max: 400, integer: true,
        description: 'Number of examples generated.' },
      noise: { type: 'number', default: 0.2, min: 0, max: 1,
        description: 'Random jitter added to the points (mixes the classes near the border).' },
      seed: { type: 'number', default: 1, min: 0, max: 1000000, integer: true,
        description: 'Seed of the data and of the starting weights.' },
      'max-steps': { type: 'number', default: 3000, min: 100, max: 20000, integer: true,
        description: 'Run stops after this many steps.' },
      'steps-per-frame': { type: 'number', default: 5, min: 1, max: 50, integer: true,
        description: 'Training steps per animation frame while running (the speed).' },
    },
  },
  'gradlab-backprop-steps': {
    description:
      'Backpropagation by hand through a = w₁x + b₁, h = act(a), ŷ = w₂h + b₂, L = (ŷ − y)², ' +
      'built with the engine\'s Graph: Forward fills in one node per press, Backward one gradient ' +
      'per press with the multiplication written out, a central-difference check per parameter, ' +
      'and one training step with the loss before and after.',
    example: '<gradlab-backprop-steps x="2" y="1" w1="0.5" b1="0" w2="1.5" b2="0"></gradlab-backprop-steps>',
    attributes: {
      x: { type: 'number', default: 2, min: -4, max: 4, description: 'The input x.' },
      y: { type: 'number', default: 1, min: -4, max: 4, description: 'The target y.' },
      w1: { type: 'number', default: 0.5, min: -3, max: 3, description: 'Starting weight w₁.' },
      b1: { type: 'number', default: 0, min: -3, max: 3, description: 'Starting bias b₁.' },
      w2: { type: 'number', default: 1.5, min: -3, max: 3, description: 'Starting weight w₂.' },
      b2: { type: 'number', default: 0, min: -3, max: 3, description: 'Starting bias b₂.' },
      activation: { type: 'enum', default: 'tanh', values: ['tanh', 'sigmoid', 'relu'],
        description: 'The activation h = act(a).' },
      'learning-rate': { type: 'number', default: 0.1, min: 0.001, max: 1,
        description: 'Step size η of "Take a training step".' },
      nudge: { type: 'number', default: 0.000001, min: 0.000001, max: 0.1,
        description: 'Step h of the central difference (L(p + h) − L(p − h)) / 2h.' },
    },
  },
  'gradlab-chain-graph': {
    description:
      'The chain rule on one neuron, z = W·X, y = σ(z), Loss = 1 − y, built with the engine\'s ' +
      'Graph: a drawn computational graph with each node\'s forward value and ∂Loss/∂node and each ' +
      'arrow\'s local derivative, the product ∂Loss/∂W = (−1)·y(1 − y)·X, a finite-difference ' +
      'check with its relative error, and "Take a step" W ← W − α·∂Loss/∂W.',
    example: '<gradlab-chain-graph w="0.5" x="2" learning-rate="0.1"></gradlab-chain-graph>',
    attributes: {
      w: { type: 'number', default: 0.5, min: -4, max: 4,
        description: 'The starting weight W.' },
      x: { type: 'number', default: 2, min: -4, max: 4,
        description: 'The input X.' },
      'learning-rate': { type: 'number', default: 0.1, min: 0.001, max: 10,
        description: 'Step size α used by "Take a step".' },
      h: { type: 'number', default: 0.0001, min: 0.000001, max: 0.1,
        description: 'Step h of the central difference (Loss(W + h) − Loss(W − h)) / 2h.' },
    },
  },
  'gradlab-curvature-hessian': {
    description:
      'Curvature of a two-parameter loss at a point (the engine\'s "bowl" with condition number ' +
      'and angle, "saddle" or "rosenbrock"): the Hessian from the engine, its eigenvalues and ' +
      'principal directions, the condition number, the largest stable learning rate 2/λmax, a ' +
      'gradient step and a Newton step −H⁻¹∇f drawn as arrows on the heat map, and a ' +
      'gradient-descent run from the point.',
    example: '<gradlab-curvature-hessian landscape="bowl" condition="10" angle="30">' +
      '</gradlab-curvature-hessian>',
    attributes: {
      landscape: { type: 'enum', default: 'bowl', values: ['bowl', 'saddle', 'rosenbrock'],
        description: 'The loss surface: a stretched bowl, the saddle x² − y², or Rosenbrock\'s valley.' },
      condition: { type: 'number', default: 10, min: 1, max: 100,
        description: 'Condition number κ of the bowl: its curvatures are 1 and κ.' },
      angle: { type: 'number', default: 30, min: -90, max: 90,
        description: 'Angle of the bowl\'s long (gentle) axis from the x axis, in degrees.' },
      point: { type: 'numbers', default: [], lengths: [0, 2], min: -3, max: 3,
        description: 'The point x y where the curvature is measured (empty: the surface\'s usual start).' },
      'learning-rate': { type: 'number', default: 0.15, min: 0.0001, max: 2,
        description: 'Learning rate η of the gradient step and of the gradient-descent run.' },
    },
  },
  'gradlab-derivative-slope': {
    description:
      'The derivative as a slope on f(x) = x² (the engine\'s "square" function): the curve, a ' +
      'point x, the secant to x + h and the tangent, with f(x), f(x + h), the secant slope, the ' +
      'central difference and the engine\'s derivative, a table for h = 1 … 0.001, and which way ' +
      'is downhill.',
    example: '<gradlab-derivative-slope x="3" h="0.01"></gradlab-derivative-slope>',
    attributes: {
      x: { type: 'number', default: 3, min: -4, max: 4,
        description: 'The point where the slope is measured.' },
      h: { type: 'number', default: 0.01, min: 0.001, max: 1,
        description: 'Step from x to the second point of the secant.' },
      label: { type: 'string', default: 'Slope of f(x) = x² at a point', maxLength: 80,
        description: 'Heading shown at the top of the widget.' },
    },
  },
  'gradlab-descent-curve': {
    description:
      'Gradient descent by the engine\'s trainer on f(x) = x²/10 + (1 − cos 2x), a curve with ' +
      'several valleys: start point, learning rate with presets, Step / Run / Reset, the path on ' +
      'the curve, the loss after each step, and whether the walk converged, kept jumping or diverged.',
    example: '<gradlab-descent-curve start="4" learning-rate="0.05"></gradlab-descent-curve>',
    attributes: {
      start: { type: 'number', default: 4, min: -7, max: 7,
        description: 'Where the walk begins.' },
      'learning-rate': { type: 'number', default: 0.05, min: 0.001, max: 40,
        description: 'Step size η; above about 0.48 the walk cannot settle, above 10 it diverges.' },
      'max-steps': { type: 'number', default: 500, min: 1, max: 5000, integer: true,
        description: 'Run stops after this many steps if the walk has not settled.' },
    },
  },
  'gradlab-descent-map': {
    description:
      'Gradient descent by the engine\'s trainer on a two-parameter landscape with three valleys ' +
      '(the engine\'s "wells2d"): heat map with the path, click to choose the start, learning ' +
      'rate with presets, Step / Run / Reset, the loss after each step and the outcome.',
    example: '<gradlab-descent-map start="-2.5 -2.5" learning-rate="0.3"></gradlab-descent-map>',
    attributes: {
      start: { type: 'numbers', default: [-2.5, -2.5], minLength: 2, maxLength: 2, min: -3, max: 3,
        description: 'Where the walk begins: x and y.' },
      'learning-rate': { type: 'number', default: 0.3, min: 0.001, max: 40,
        description: 'Step size η; around 1 or more the walk keeps jumping, above about 20 it diverges.' },
      'max-steps': { type: 'number', default: 500, min: 1, max: 5000, integer: true,
        description: 'Run stops after this many steps if the walk has not settled.' },
    },
  },
  'gradlab-engine-check': {
    description:
      'Shows that the C++ engine loaded in this page: its version and a mean squared error ' +
      'computed by the engine for predictions [2.5, 3.1, 4.8] against targets [3, 3, 5].',
    example: '<gradlab-engine-check></gradlab-engine-check>',
    attributes: {
      label: {
        type: 'string',
        default: 'Engine check',
        maxLength: 80,
        description: 'Heading shown at the top of the widget.',
      },
      digits: {
        type: 'number',
        default: 2,
        min: 0,
        max: 8,
        integer: true,
        description: 'Decimal places used to show the loss.',
      },
    },
  },
  'gradlab-exam-score': {
    description:
      'A class of students (hours studied, exam score) fitted by a straight line with gradient ' +
      'descent: scatter plot with the current line, loss over steps, the loss landscape over ' +
      '(weight, bias) with the descent path, the chain of numbers behind the gradient with a ' +
      'finite-difference check, and an editable data table (CSV paste or upload).',
    example: '<gradlab-exam-score points="30" seed="1" weight="0" bias="0" learning-rate="0.01">' +
      '</gradlab-exam-score>',
    attributes: {
      points: { type: 'number', default: 30, min: 2, max: 1000, integer: true,
        description: 'Number of students generated by the engine\'s exam-scores data set.' },
      seed: { type: 'number', default: 1, min: 0, max: 2147483647, integer: true,
        description: 'Random seed of the generated data (same seed, same students).' },
      noise: { type: 'number', default: 6, min: 0, max: 50,
        description: 'Spread of scores around the true line, in marks.' },
      weight: { type: 'number', default: 0, min: -20, max: 30,
        description: 'Starting weight W (marks per hour studied).' },
      bias: { type: 'number', default: 0, min: -100, max: 150,
        description: 'Starting bias B (marks with zero hours of study).' },
      'learning-rate': { type: 'number', default: 0.01, min: 0.0001, max: 1,
        description: 'Learning rate of gradient descent; above about 0.03 the steps grow and the fit diverges.' },
      optimizer: { type: 'enum', default: 'sgd', values: ['sgd'],
        description: 'Optimizer (only plain gradient descent, "sgd", in this lesson).' },
      'goal-loss': { type: 'number', default: 40, min: 0, max: 1000000,
        description: 'Goal: when the loss gets below this, the widget emits an xAPI "completed" statement (event gradlab-xapi); 0 turns the goal off. The default data can reach about 32.' },
    },
  },
  'gradlab-exam-step': {
    description:
      'One student, one gradient step: prediction = hours × weight + bias, the error, the ' +
      'squared-error loss and its derivatives computed by the engine, and "Take one step" ' +
      'showing the update arithmetic with the numbers filled in.',
    example: '<gradlab-exam-step weight="5" bias="50" hours="4" actual="75" learning-rate="0.01">' +
      '</gradlab-exam-step>',
    attributes: {
      weight: { type: 'number', default: 5, min: -20, max: 30,
        description: 'Weight W: marks per hour studied.' },
      bias: { type: 'number', default: 50, min: -100, max: 150,
        description: 'Bias B: predicted marks with zero hours of study.' },
      hours: { type: 'number', default: 4, min: 0, max: 12,
        description: 'Hours the student studied.' },
      actual: { type: 'number', default: 75, min: 0, max: 100,
        description: 'The score the student actually got.' },
      'learning-rate': { type: 'number', default: 0.01, min: 0.0001, max: 1,
        description: 'Learning rate used by "Take one step".' },
    },
  },
  'gradlab-linreg-code': {
    description:
      'Linear regression without bias on the engine\'s "seed002" data (four examples, two ' +
      'inputs) trained by the engine\'s gradient descent: Run for a number of iterations, the loss ' +
      'on a log scale, the path of (w₁, w₂) on a heat map, and the exact answer from the normal ' +
      'equations with the distance |w − w*|.',
    example: '<gradlab-linreg-code learning-rate="0.01" iterations="1000"></gradlab-linreg-code>',
    attributes: {
      'learning-rate': { type: 'number', default: 0.01, min: 0.0001, max: 0.2,
        description: 'Step size of gradient descent; above about 0.145 the run diverges.' },
      iterations: { type: 'number', default: 1000, min: 1, max: 20000, integer: true,
        description: 'Number of gradient-descent steps taken by Run.' },
      start: { type: 'enum', default: 'zeros', values: ['zeros', 'random'],
        description: 'Start from w = (0, 0) or from a seeded random point in [−1, 1]².' },
      seed: { type: 'number', default: 1, min: 0, max: 2147483647, integer: true,
        description: 'Seed of the random start (same seed, same start).' },
    },
  },
  'gradlab-loss-compare': {
    description:
      'Mean squared error of a few editable predictions, term by term, with the loss and its ' +
      'gradient per prediction from the engine; switch to mean absolute error or Huber, add an ' +
      'outlier, and see each loss term plotted against the error.',
    example: '<gradlab-loss-compare predictions="2.5 3.1 4.8" targets="3 3 5" kind="mse">' +
      '</gradlab-loss-compare>',
    attributes: {
      predictions: { type: 'numbers', default: [2.5, 3.1, 4.8], minLength: 1, maxLength: 6, min: -5, max: 15,
        description: 'Starting predictions ŷ, one per example.' },
      targets: { type: 'numbers', default: [3, 3, 5], minLength: 1, maxLength: 6, min: -5, max: 15,
        description: 'Actual values y (as many as predictions).' },
      kind: { type: 'enum', default: 'mse', values: ['mse', 'mae', 'huber'],
        description: 'The loss shown term by term: mean squared error, mean absolute error or Huber.' },
      delta: { type: 'number', default: 1, min: 0.1, max: 5,
        description: 'Huber\'s threshold δ: squared below it, absolute above it.' },
      outlier: { type: 'boolean', default: false,
        description: 'Start with a fourth example (predicted 3, actually 13) added.' },
    },
  },
  'gradlab-loss-crossentropy': {
    description:
      'Cross-entropy −ln p for the probability p given to the correct class: the curve with the ' +
      'current point and its tangent (slope −1/p, from the engine\'s graph), the slope on the ' +
      'score z = ln(p/(1 − p)) (p − 1, from the engine\'s bce loss), and one learning step on z.',
    example: '<gradlab-loss-crossentropy p="0.8"></gradlab-loss-crossentropy>',
    attributes: {
      p: { type: 'number', default: 0.8, min: 0.01, max: 0.99,
        description: 'Probability the model gives to the correct class.' },
      'learning-rate': { type: 'number', default: 1, min: 0.1, max: 5,
        description: 'Step size η of "Take a learning step" on the score z.' },
    },
  },
  'gradlab-optim-race': {
    description:
      'Optimizers racing on one landscape (stretched bowl with condition number and angle, ' +
      'Rosenbrock or saddle): SGD, Momentum, Nesterov, Adagrad, RMSprop and Adam, each run by the ' +
      'engine from the same start with its own settings; paths on a heat map, loss curves (log ' +
      'scale), status per racer and a table of steps needed to reach a target loss.',
    example: '<gradlab-optim-race landscape="bowl" condition="50" optimizers="sgd,momentum,rmsprop,adam">' +
      '</gradlab-optim-race>',
    attributes: {
      landscape: { type: 'enum', default: 'bowl', values: ['bowl', 'rosenbrock', 'saddle'],
        description: 'The landscape: a stretched bowl, Rosenbrock\'s curved valley, or the saddle x² − y².' },
      condition: { type: 'number', default: 25, min: 1, max: 100,
        description: 'Condition number κ of the bowl (largest ÷ smallest curvature).' },
      angle: { type: 'number', default: 0, min: -90, max: 90,
        description: 'Angle of the bowl\'s long axis from the x axis, in degrees.' },
      start: { type: 'numbers', default: [], lengths: [0, 2], min: -3, max: 3,
        description: 'Start point x y of every racer (empty: the landscape\'s usual start).' },
      optimizers: { type: 'string', default: 'sgd,momentum,rmsprop,adam', maxLength: 60,
        pattern: '(sgd|momentum|nesterov|adagrad|rmsprop|adam)(\\s*,\\s*(sgd|momentum|nesterov|adagrad|rmsprop|adam))*',
        description: 'Racers switched on at first: a comma list of sgd, momentum, nesterov, adagrad, rmsprop, adam.' },
      threshold: { type: 'number', default: 0.0001, min: 1e-12, max: 1,
        description: 'Target loss of the results table (rounded to 0.01, 1e-4, 1e-6, 1e-8 or 1e-10).' },
      'max-steps': { type: 'number', default: 3000, min: 10, max: 20000, integer: true,
        description: 'Step budget of each racer.' },
    },
  },
  'gradlab-partials-gradient': {
    description:
      'Partial derivatives and the gradient of L = (w₁x₁ + w₂x₂ + w₃x₃ − y)² for one example ' +
      '(the engine\'s linear model): a slider and ∂L/∂wⱼ per weight, "try ±h" nudges with the ' +
      'others held, the loss after a step against and along ∇L, and a heat map over two ' +
      'weights with gradient arrows, the point and one step −η∇L. Each small arrow is drawn in ' +
      'white or ink, whichever contrasts more with the colour under it.',
    example: '<gradlab-partials-gradient weights="1 1 1" inputs="1 2 3" target="10">' +
      '</gradlab-partials-gradient>',
    attributes: {
      weights: { type: 'numbers', default: [1, 1, 1], minLength: 3, maxLength: 3, min: -2, max: 5,
        description: 'Starting weights w₁ w₂ w₃.' },
      inputs: { type: 'numbers', default: [1, 2, 3], minLength: 3, maxLength: 3, min: -5, max: 5,
        description: 'The example\'s inputs x₁ x₂ x₃.' },
      target: { type: 'number', default: 10, min: -50, max: 50,
        description: 'The example\'s target y.' },
      nudge: { type: 'number', default: 0.01, min: 0.0001, max: 1,
        description: 'The nudge h used by the "Try wⱼ ± h" buttons.' },
      'learning-rate': { type: 'number', default: 0.01, min: 0.0001, max: 0.2,
        description: 'Step size η of "Step against the gradient" (and of the step drawn on the map).' },
      map: { type: 'enum', default: 'w2-w3', values: ['w1-w2', 'w1-w3', 'w2-w3'],
        description: 'Which two weights the heat map shows (the third is held).' },
    },
  },
  'gradlab-practice-set': {
    description:
      'Checked exercises with feedback and a score; the expected answers are computed by the ' +
      'engine. "warm-up": phone-price error, the daily-steps model y = 500x and one update, and a ' +
      'multiple-choice question on backpropagation; "drills": derivative of x², MSE, a sigmoid ' +
      'chain-rule derivative and one gradient step, with numbers from a seed ("New numbers").',
    example: '<gradlab-practice-set set="drills" seed="1"></gradlab-practice-set>',
    attributes: {
      set: { type: 'enum', default: 'warm-up', values: ['warm-up', 'drills'],
        description: 'Which questions: the fixed warm-up or the randomised drills.' },
      seed: { type: 'number', default: 1, min: 1, max: 1000000, integer: true,
        description: 'Seed of the drills\' numbers (same seed, same questions).' },
      label: { type: 'string', default: 'Practice', maxLength: 80,
        description: 'Heading shown at the top of the widget.' },
    },
  },
  'gradlab-recipe-2d': {
    description:
      'Gulab jamun with two knobs, sugar (g) and soaking time (min): the engine\'s taste error ' +
      'as a heat map, the gradient as two numbers and an arrow, and gradient-descent steps.',
    example: '<gradlab-recipe-2d sugar="350" soak="90" learning-rate="300"></gradlab-recipe-2d>',
    attributes: {
      sugar: { type: 'number', default: 350, min: 0, max: 400,
        description: 'Starting grams of sugar.' },
      soak: { type: 'number', default: 90, min: 0, max: 240,
        description: 'Starting soaking time in minutes.' },
      'learning-rate': { type: 'number', default: 300, min: 1, max: 5000,
        description: 'Learning rate (grams or minutes per unit of slope).' },
    },
  },
  'gradlab-recipe-curve': {
    description:
      'Gulab jamun with one knob: the engine\'s taste-error curve over grams of sugar, the ' +
      'tangent at the current amount with its slope, and gradient steps drawn on the curve.',
    example: '<gradlab-recipe-curve sugar="350" learning-rate="500"></gradlab-recipe-curve>',
    attributes: {
      sugar: { type: 'number', default: 350, min: 0, max: 400,
        description: 'Starting grams of sugar.' },
      'learning-rate': { type: 'number', default: 500, min: 1, max: 5000,
        description: 'Learning rate (grams per unit of slope); above 2500 the steps diverge.' },
    },
  },
};

export default widgets;

/** All registered tag names. */
export function widgetTags() {
  return Object.keys(widgets);
}

function describeRange(spec) {
  const kind = spec.integer ? 'a whole number' : 'a number';
  if (spec.min !== undefined && spec.max !== undefined) {
    return `${kind} from ${spec.min} to ${spec.max}`;
  }
  if (spec.min !== undefined) return `${kind} of at least ${spec.min}`;
  if (spec.max !== undefined) return `${kind} of at most ${spec.max}`;
  return kind;
}

function parseNumber(text, spec) {
  const trimmed = String(text).trim();
  // Number('') is 0 and Number(' ') is 0: refuse empty text explicitly.
  const value = trimmed === '' ? NaN : Number(trimmed);
  if (!Number.isFinite(value)) return { error: `expected ${describeRange(spec)}` };
  if (spec.integer && !Number.isInteger(value)) {
    return { error: `expected ${describeRange(spec)}` };
  }
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    return { error: `${value} is out of range: expected ${describeRange(spec)}` };
  }
  return { value };
}

/**
 * Parse one attribute value against its spec.
 * @param {AttributeSpec} spec
 * @param {string|null} raw  the attribute text, or null when the attribute is absent
 * @returns {{ok: true, value: any} | {ok: false, value: any, message: string}}
 *   On failure `value` is the spec's default, so callers can always carry on.
 */
export function parseAttribute(spec, raw) {
  if (raw === null || raw === undefined) return { ok: true, value: spec.default };
  const fail = (message) => ({ ok: false, value: spec.default, message });
  switch (spec.type) {
    case 'number': {
      const r = parseNumber(raw, spec);
      return r.error ? fail(r.error) : { ok: true, value: r.value };
    }
    case 'enum': {
      const text = String(raw).trim();
      if (spec.values.includes(text)) return { ok: true, value: text };
      return fail(`"${raw}" is not one of: ${spec.values.join(', ')}`);
    }
    case 'boolean': {
      const text = String(raw).trim().toLowerCase();
      if (text === '' || text === 'true') return { ok: true, value: true };
      if (text === 'false') return { ok: true, value: false };
      return fail(`"${raw}" is not a boolean: write the attribute alone, or "true" / "false"`);
    }
    case 'string': {
      const text = String(raw);
      if (spec.maxLength !== undefined && text.length > spec.maxLength) {
        return fail(`text is longer than ${spec.maxLength} characters`);
      }
      if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(text)) {
        return fail(`"${raw}" does not have the expected form`);
      }
      return { ok: true, value: text };
    }
    case 'numbers': {
      const text = String(raw).trim();
      const parts = text === '' ? [] : text.split(/[\s,]+/);
      const values = [];
      for (const part of parts) {
        const r = parseNumber(part, spec);
        if (r.error) return fail(`in list: ${r.error} (got "${part}")`);
        values.push(r.value);
      }
      if (spec.minLength !== undefined && values.length < spec.minLength) {
        return fail(`expected at least ${spec.minLength} numbers, got ${values.length}`);
      }
      if (spec.maxLength !== undefined && values.length > spec.maxLength) {
        return fail(`expected at most ${spec.maxLength} numbers, got ${values.length}`);
      }
      if (spec.lengths !== undefined && !spec.lengths.includes(values.length)) {
        const counts = spec.lengths.map((n) => (n === 0 ? 'none' : String(n))).join(' or ');
        return fail(`expected ${counts} numbers, got ${values.length}`);
      }
      return { ok: true, value: values };
    }
    default:
      return fail(`schema error: unknown attribute type "${spec.type}"`);
  }
}

/**
 * Validate one attribute of one tag (used by the site build).
 * @returns {{ok: true, value: any} | {ok: false, message: string}}
 */
export function validateAttribute(tag, name, raw) {
  const entry = widgets[tag];
  if (!entry) return { ok: false, message: `unknown widget <${tag}>` };
  // Global HTML attributes an author may reasonably put on any widget.
  if (['id', 'class', 'title', 'hidden', 'lang', 'dir'].includes(name) || name.startsWith('data-')
      || name.startsWith('aria-')) {
    return { ok: true, value: raw };
  }
  const spec = entry.attributes[name];
  if (!spec) {
    const known = Object.keys(entry.attributes);
    return {
      ok: false,
      message: `<${tag}> has no attribute "${name}"` +
        (known.length ? ` (known: ${known.join(', ')})` : ''),
    };
  }
  const r = parseAttribute(spec, raw);
  return r.ok ? r : { ok: false, message: `<${tag}> attribute "${name}": ${r.message}` };
}
