#!/usr/bin/env node
// Zero-dependency static server for the built site (dist/), on 127.0.0.1 only.
//   node scripts/serve.mjs [root]      PORT=9000 node scripts/serve.mjs
// If the port is busy, the next ports are tried. Also importable: startServer({ root, port }).

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

const CORS_EXT = new Set(['.js', '.mjs', '.wasm', '.css', '.json', '.map', '.woff2', '.woff', '.ttf', '.otf']);

async function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null; // no escaping the root
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      const index = path.join(file, 'index.html');
      const indexInfo = await stat(index);
      return { file: index, size: indexInfo.size, redirect: !urlPath.endsWith('/') };
    }
    return { file, size: info.size };
  } catch {
    return null;
  }
}

function handler(root) {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url, 'http://localhost');
    const found = await resolveFile(root, url.pathname);
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    if (found.redirect) {
      res.writeHead(301, { Location: `${url.pathname}/${url.search}` }).end();
      return;
    }
    const type = MIME[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': found.size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      // Scripts, styles, fonts and the engine may be loaded by course pages of other origins
      // (<script type="module" src=".../gradlab-widgets.js">): module scripts need CORS.
      ...(CORS_EXT.has(path.extname(found.file).toLowerCase()) ? { 'Access-Control-Allow-Origin': '*' } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
  };
}

/**
 * Start serving `root` on 127.0.0.1. Tries `port`, then the next ports (up to `attempts`).
 * Port 0 picks any free port.
 * @returns {Promise<{server: import('node:http').Server, port: number, url: string,
 *   close: () => Promise<void>}>}
 */
export async function startServer({ root = 'dist', port = 8080, attempts = 20 } = {}) {
  const absRoot = path.resolve(root);
  for (let i = 0; i < attempts; i += 1) {
    const tryPort = port === 0 ? 0 : port + i;
    const server = createServer(handler(absRoot));
    try {
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(tryPort, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      if (error.code === 'EADDRINUSE' && port !== 0) continue;
      throw error;
    }
    const actual = server.address().port;
    return {
      server,
      port: actual,
      url: `http://127.0.0.1:${actual}/`,
      close: () => new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
    };
  }
  throw new Error(`no free port in ${port}..${port + attempts - 1}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = process.argv[2] ?? path.join(here, '..', 'dist');
  const port = Number.parseInt(process.env.PORT ?? '8080', 10);
  try {
    await stat(path.join(root, 'index.html'));
  } catch {
    console.error(`No built site in ${root}: run scripts/build.sh (or npm run build) first.`);
    process.exit(1);
  }
  try {
    const { url } = await startServer({ root, port: Number.isFinite(port) ? port : 8080 });
    console.log(`Gradlab is running at ${url}`);
    console.log('Press Ctrl+C to stop.');
  } catch (error) {
    console.error(`Could not start the server: ${error.message}`);
    process.exit(1);
  }
}
