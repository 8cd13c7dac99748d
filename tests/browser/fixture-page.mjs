// Test-only pages that use the built widget bundle (robustness, a11y and soak tests).
//
//   const site = await startFixtureSite({ 'all.html': fixturePage(allWidgetsHtml()) });
//   ... open `${site.url}all.html` ...; await site.close();
//
// The pages live in a temporary folder next to a symlink to the built site's assets/, so the
// widget bundle and the engine are the real ones, under the same strict CSP as the lessons, and
// the site folder itself is never written to. Widgets can also be created at test time with
// document.createElement (page.evaluate runs outside the page's CSP).

import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { widgets } from '../../web/widgets/schema.js';
import { distDir } from './helpers.mjs';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; font-src 'self'; connect-src 'self' data:";

/** Every registered widget tag, in schema order. */
export const TAGS = Object.keys(widgets);

/** A complete page around `body` that loads the site's CSS and widget bundle. */
export function fixturePage(body, { title = 'Gradlab test page' } = {}) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/site.css">
<script type="module" src="assets/gradlab-widgets.js"></script>
</head>
<body>
<main id="main" class="wrap">
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

/** One instance of every widget, with default attributes. */
export function allWidgetsHtml(tags = TAGS) {
  return tags.map((tag) => `<section><h2>${tag}</h2><${tag}></${tag}></section>`).join('\n');
}

/** Serve { 'name.html': html } next to the built site's assets. @returns {{url, close}} */
export async function startFixtureSite(pages) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gradlab-fixture-'));
  await symlink(path.join(distDir(), 'assets'), path.join(dir, 'assets'), 'dir');
  for (const [name, html] of Object.entries(pages)) await writeFile(path.join(dir, name), html);
  const server = await startServer({ root: dir, port: 0 });
  return {
    url: server.url,
    dir,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Wait until every widget on the page (or under `root` selector) is ready (loading box hidden). */
export async function waitForReady(page, timeout = 30000) {
  await page.waitForFunction(() => {
    const all = [...document.querySelectorAll('*')].filter((el) => el.localName.startsWith('gradlab-'));
    return all.every((el) => customElements.get(el.localName) && el.shadowRoot
      && el.shadowRoot.querySelector('.gl-loading')?.hidden !== false);
  }, null, { timeout });
}
