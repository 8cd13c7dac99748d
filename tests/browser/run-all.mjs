// Runs every tests/browser/*.test.mjs, two files at a time by default (scripts/test.sh layer 4).
//
//   node tests/browser/run-all.mjs            # GRADLAB_BROWSER_JOBS=N files at once (default 2)
//
// `node --test --test-concurrency=2 tests/browser/` would do the same but sorts the files by
// name, which starts the longest two (a11y, and soak with its fixed time budget) far apart and
// leaves one core idle at the end. Here the known long files start first (longest-first); any
// other file follows in name order, so a new file is never left out. Each file is its own
// process with its own browser, server and temporary folders, and no file writes to dist/, so
// two can run side by side; their assertions do not depend on speed (time budgets only bound how
// much work a loop does; waits are on conditions with generous timeouts).
// Output: the TAP reporter (spec on a terminal), like `node --test`; exit code 1 if a test failed.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// Longest first (seconds on a quiet 2-core machine, roughly): soak ~150 (time budget), a11y ~110.
const FIRST = ['soak', 'a11y', 'lessons-networks', 'site', 'robustness', 'embed', 'lessons-advanced',
  'lessons-basics', 'lessons-middle'];
const all = readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort();
const rank = (f) => {
  const i = FIRST.indexOf(f.replace(/\.test\.mjs$/, ''));
  return i < 0 ? FIRST.length : i;
};
const files = all.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((f) => path.join(here, f));

const jobs = Number(process.env.GRADLAB_BROWSER_JOBS ?? 2);
if (!(Number.isInteger(jobs) && jobs >= 1)) throw new Error(`GRADLAB_BROWSER_JOBS must be a whole number >= 1, got "${process.env.GRADLAB_BROWSER_JOBS}"`);

let failed = false;
const stream = run({ files, concurrency: jobs });
stream.on('test:fail', () => { failed = true; });
stream.once('end', () => { if (failed) process.exitCode = 1; });
stream.compose(process.stdout.isTTY ? spec : tap).pipe(process.stdout);
