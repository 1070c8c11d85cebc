// Load budget of the widget in headless Chromium: from navigation to the first rendered
// quote, and the widget's own JS and CSS gzip size. `make bench-widget`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './run.mjs';
import { serve } from './serve.mjs';

const root = new URL('../../', import.meta.url).pathname;
const own = ['www/jifen-points.js', 'www/jifen-i18n.js'].map((f) => gzipSync(readFileSync(root + f), { level: 9 }).length).reduce((a, b) => a + b, 0);
// First visits per run (`node bench/browser/widget.mjs 61`): one run's median of 15 moved by
// ±15 ms from run to run on this machine, so the default is 31 and the quartiles are shown.
const visits = Number(process.argv[2] ?? 31);
const { server, url } = await serve(root);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
/** Loads the page once in `page` and returns the times it reports. */
async function load(page) {
  const reported = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('jifen-first-quote '), timeout: 30000 });
  await page.goto(`${url}/bench/browser/widget.html`, { waitUntil: 'commit' });
  const [ready, painted, fcp] = (await reported).text().split(' ').slice(1).map(Number);
  return { ready, painted, fcp };
}
// First visits: a fresh browser context each time (empty HTTP cache, no compiled code).
const times = [];
// Returning shoppers: one context, so the files come from the HTTP cache and the compiled
// JavaScript and WebAssembly from V8's code cache (as on a shop's second page).
const warm = [];
try {
  for (let i = 0; i < visits; i++) {
    const page = await browser.newPage();
    times.push(await load(page));
    await page.close();
  }
  const context = await browser.newContext();
  for (let i = 0; i < 16; i++) {
    const page = await context.newPage();
    const t = await load(page);
    if (i > 0) warm.push(t);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
const at = (runs, k, q) => +runs.map((t) => t[k]).sort((a, b) => a - b)[Math.floor((runs.length - 1) * q)].toFixed(1);
const medians = (runs) => Object.fromEntries(['ready', 'painted', 'fcp'].map((k) => [k, at(runs, k, 0.5)]));
const quartiles = (runs) => Object.fromEntries(['ready', 'painted', 'fcp'].map((k) => [k, [at(runs, k, 0.25), at(runs, k, 0.75)]]));
console.log(JSON.stringify({
  widget_js_css_gzip_bytes: own,
  // Milliseconds from navigation: quote in the DOM, the frame after it, first contentful paint.
  first_visits: times.length,
  first_visit_ms_median: medians(times),
  first_visit_ms_quartiles: quartiles(times),
  returning_visit_ms_median: medians(warm),
}));
