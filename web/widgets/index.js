// Registers every Gradlab widget. The site bundle's entry point: one import per widget file.
// Keep this a plain list (one line per widget, alphabetical); each module calls define().
import './attribution-explorer.js';
import './backprop-net.js';
import './backprop-steps.js';
import './chain-graph.js';
import './curvature-hessian.js';
import './derivative-slope.js';
import './descent-curve.js';
import './descent-map.js';
import './engine-check.js';
import './exam-score.js';
import './exam-step.js';
import './linreg-code.js';
import './loss-compare.js';
import './loss-crossentropy.js';
import './optim-race.js';
import './partials-gradient.js';
import './practice-set.js';
import './recipe-2d.js';
import './recipe-curve.js';
