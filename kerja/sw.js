// Pantau Kerja's service worker: after one visit with a network, the workspace opens, its form
// validates and its outbox keeps records with no network at all.
//
// `cargo xtask build` writes it into dist/kerja/sw.js with the build's files in place of the
// two markers below, so every build is a new worker and browsers fetch it again (the server
// sends it with `Cache-Control: no-cache`).
//
// - The app shell (the page, its JS, wasm, lazy parts and icon) is cached whole, in one cache
//   per build, before the worker takes over; a build that cannot be cached whole never
//   replaces the one that is. The previous build's cache stays too, so a tab still running it
//   can load its lazy parts while offline; older ones go.
// - Pages under /kerja/ come from that cache first (the shell is the same for every address):
//   a cheap phone on a bad network paints at once.
// - Public area answers (`GET /api/v1/areas/{code}`, names the form shows) come from the
//   network, or from the last answer kept when there is none.
// - Nothing else is cached: the session, workers' records and every write go to the network
//   only, and the outbox (IndexedDB) is the app's, never touched here.

const BUILD = "__PANTAU_BUILD__";
const FILES = __PANTAU_FILES__;
const SHELL = "/kerja/";
const PREFIX = "pantau-kerja-shell-";
const CACHE = PREFIX + BUILD;
const DATA = "pantau-kerja-areas";
const INSTALLED = "/kerja/.installed";
const AREA = /^\/api\/v1\/areas\/[0-9.]+$/;
const AREAS_KEPT = 300;
const NETWORK_WAIT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // All or nothing: one missing file fails the install and the current shell stays.
      await cache.addAll([SHELL, ...FILES].map((url) => new Request(url, { cache: "reload" })));
      await cache.put(INSTALLED, new Response(String(Date.now())));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const others = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);
      const dated = await Promise.all(
        others.map(async (name) => {
          const stamp = await (await caches.open(name)).match(INSTALLED);
          return [stamp ? Number(await stamp.text()) : 0, name];
        }),
      );
      dated.sort((a, b) => b[0] - a[0]);
      await Promise.all(dated.slice(1).map(([, name]) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith("/kerja")) {
    event.respondWith(shell(request));
  } else if (url.pathname.startsWith("/kerja/pkg/")) {
    event.respondWith(cachedFirst(request));
  } else if (AREA.test(url.pathname)) {
    event.respondWith(area(request));
  }
});

/// The page of every workspace address: this build's shell, else any kept one, else the network.
async function shell(request) {
  const cached = (await caches.match(SHELL, { cacheName: CACHE })) || (await caches.match(SHELL));
  return cached || fetch(request);
}

async function cachedFirst(request) {
  return (await caches.match(request)) || fetch(request);
}

/// A public area answer: the network's when it comes within a few seconds (and kept), else the
/// one kept, else whatever the network gives in the end.
async function area(request) {
  const cache = await caches.open(DATA);
  const network = fetch(request).then(async (response) => {
    const control = response.headers.get("cache-control") || "";
    if (response.ok && control.includes("public")) {
      await cache.put(request, response.clone());
      trim(cache);
    }
    return response;
  });
  const late = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS));
  try {
    const first = await Promise.race([network, late]);
    if (first) return first;
  } catch (_) {
    // No network: the kept answer below.
  }
  const kept = await cache.match(request);
  return kept || network;
}

async function trim(cache) {
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - AREAS_KEPT)).map((key) => cache.delete(key)));
}
