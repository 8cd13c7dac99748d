// The engine ships as two files: gradlab-engine.mjs (JavaScript glue, an ES module) and
// gradlab-engine.wasm (fetched by the glue with streaming compilation in browsers). In Node,
// web/engine/gradlab.js reads the .wasm next to the module and hands it over as wasmBinary,
// because Node's fetch cannot read files. This file checks that layout and the Node path.
// Needs build/wasm/ (scripts/build.sh) or GRADLAB_ENGINE=<path of the .mjs>.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadEngine } from '../../web/engine/gradlab.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const modulePath = path.resolve(process.env.GRADLAB_ENGINE ?? path.join(repo, 'build/wasm/gradlab-engine.mjs'));
const wasmPath = modulePath.replace(/\.mjs$/, '.wasm');

test('the build writes the module and its .wasm side by side; the wasm is not embedded', () => {
  assert.ok(existsSync(modulePath), `${modulePath} missing`);
  assert.ok(existsSync(wasmPath), `${wasmPath} missing: the engine must be built without SINGLE_FILE`);
  const wasm = readFileSync(wasmPath);
  // "\0asm" and binary format version 1.
  assert.deepEqual([...wasm.subarray(0, 8)], [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const glue = readFileSync(modulePath, 'utf8');
  assert.doesNotMatch(glue, /data:application\/octet-stream;base64,[A-Za-z0-9+/]{64}/, 'the module still embeds a wasm');
  // The glue finds its wasm next to itself, by this name.
  assert.match(glue, new RegExp(`["']${path.basename(wasmPath).replace('.', '\\.')}["']`));
  // Streaming compilation is the browser path; no eval / new Function (strict CSP pages).
  assert.match(glue, /instantiateStreaming/);
  assert.doesNotMatch(glue, /\beval\(|new Function\(/);
});

test('in Node, the factory with wasmBinary works without any fetch', async () => {
  // The same route the file:// build takes: an imported factory plus the bytes.
  const { default: factory } = await import(pathToFileURL(modulePath).href);
  const realFetch = globalThis.fetch;
  globalThis.fetch = () => { throw new Error('nothing may be fetched'); };
  let gl;
  try {
    gl = await loadEngine({ factory, wasmBinary: readFileSync(wasmPath) });
  } finally {
    globalThis.fetch = realFetch;
  }
  // Mean squared error of predictions (2.5, 3.1, 4.8) against (3, 3, 5), worked by hand:
  // (0.25 + 0.01 + 0.04) / 3 = 0.1; gradient 2 (p - t) / 3 = (-1/3, 1/15, -2/15).
  const { loss, gradient } = gl.loss('mse', [2.5, 3.1, 4.8], [3, 3, 5]);
  assert.ok(Math.abs(loss - 0.1) < 1e-15, `loss ${loss}`);
  const expected = [-1 / 3, 1 / 15, -2 / 15];
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(gradient[k] - expected[k]) < 1e-15, `gradient[${k}]`);
});

/** Runs loadEngine({ moduleUrl }) in a fresh Node process; resolves to its stdout or stderr. */
function loadInChild(moduleUrl) {
  const script = `
    import { loadEngine } from ${JSON.stringify(pathToFileURL(path.join(repo, 'web/engine/gradlab.js')).href)};
    const gl = await loadEngine({ moduleUrl: ${JSON.stringify(moduleUrl)} });
    console.log(gl.loss('mae', [1, 2], [2, 4]).loss);`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60000 },
      (error, stdout, stderr) => resolve({ ok: !error, stdout: stdout.trim(), stderr }));
  });
}

test('in Node, loadEngine({ moduleUrl }) reads the .wasm next to the module', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gradlab-split-'));
  try {
    await copyFile(modulePath, path.join(dir, 'engine-copy.mjs'));
    // Without its .wasm the module cannot load in Node (its fetch cannot read files)...
    const missing = await loadInChild(path.join(dir, 'engine-copy.mjs'));
    assert.equal(missing.ok, false, `loaded without a .wasm: ${missing.stdout}`);
    // ...and with it (named after the module) it does: MAE of (1, 2) vs (2, 4) = (1 + 2) / 2.
    await copyFile(wasmPath, path.join(dir, 'engine-copy.wasm'));
    const present = await loadInChild(path.join(dir, 'engine-copy.mjs'));
    assert.equal(present.ok, true, present.stderr);
    assert.equal(Number(present.stdout), 1.5);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
