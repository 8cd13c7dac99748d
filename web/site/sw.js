// Gradlab's service worker: makes a visited site keep working without a network.
//
// The site build (web/embed/extras.mjs) writes dist/sw.js from this file, replacing the
// placeholder below by { version, files }: every file of the site, relative to this script, and a
// hash of their contents. All URLs are resolved against the worker's own location, so the site
// works at a domain root or under a sub-path (/courses/ml/). Registered by assets/site.js with
// the folder of sw.js as scope.
//
// install   precache every file into the cache "gradlab-<version>"
// activate  delete caches of older versions, take control of open pages
// fetch     GET requests for a precached file (query string ignored: embed.html?widget=…,
//           lesson.html?state=…) are answered from the cache first; anything else goes to the
//           network.

const PRECACHE = /*__PRECACHE__*/null;
const VERSION = PRECACHE?.version ?? 'dev';
const CACHE = `gradlab-${VERSION}`;
const FILES = (PRECACHE?.files ?? []).map((f) => new URL(f, self.location).href);
const KNOWN = new Set(FILES);

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(FILES.map((url) => new Request(url, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('gradlab-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  if (!KNOWN.has(url.href)) return; // not ours: the browser handles it as usual
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(url.href);
    if (hit) return hit;
    const response = await fetch(request);
    if (response.ok) cache.put(url.href, response.clone());
    return response;
  })());
});
