// The engine reports the version the package declares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine } from '../../web/engine/gradlab.js';

test('engine version equals package.json version', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const gl = await loadEngine();
  assert.equal(gl.version, pkg.version);
});
