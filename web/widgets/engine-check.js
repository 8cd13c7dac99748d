// <gradlab-engine-check>: proof that the C++ engine runs in this page.
// It asks the engine for the mean squared error of the predictions [2.5, 3.1, 4.8] against the
// targets [3, 3, 5]: ((−0.5)² + 0.1² + (−0.2)²) / 3 = 0.30 / 3 = 0.10.

import { GradlabWidget, formatNumber, h } from './base.js';

export class EngineCheck extends GradlabWidget {
  static tag = 'gradlab-engine-check';

  static styles = `
    .gl-ok { margin: 0; font-weight: 600; color: #1d6b35; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
    dt { color: #3d4652; }
    dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
  `;

  setup(gl) {
    const predictions = new Float64Array([2.5, 3.1, 4.8]);
    const targets = new Float64Array([3, 3, 5]);
    const started = performance.now();
    const { loss } = gl.loss('mse', predictions, targets, { rows: 3, cols: 1 });
    const elapsed = performance.now() - started;

    this.state.loss = loss;
    this.lossReadout = this.readout({
      label: 'MSE computed by the engine',
      format: (v) => formatNumber(v, { digits: this.attrs.digits }),
    });
    const version = gl.version ?? gl.engineVersion;
    this.body.append(
      this.title(this.attrs.label),
      h('p', { class: 'gl-ok' }, 'The C++ engine (WebAssembly) is running in this page.'),
      h('dl', {},
        version ? [h('dt', {}, 'Engine version'), h('dd', { 'data-field': 'version' }, String(version))] : null,
        h('dt', {}, 'Predictions'), h('dd', {}, '2.5, 3.1, 4.8'),
        h('dt', {}, 'Targets'), h('dd', {}, '3, 3, 5'),
        h('dt', {}, 'Time'), h('dd', {}, `${elapsed < 1 ? '< 1' : elapsed.toFixed(1)} ms`)),
      this.row(this.lossReadout.element),
    );
  }

  attributeChanged(name) {
    if (name === 'label') this.body.querySelector('.gl-title').textContent = this.attrs.label;
    this.requestDraw();
  }

  draw() {
    this.lossReadout.set(this.state.loss);
  }
}

EngineCheck.define();
