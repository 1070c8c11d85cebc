// Load budget of the widget in headless Chromium: from navigation to the first rendered
// quote, and the widget's own JS and CSS gzip size. `make bench-widget`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './run.mjs';
import { serve } from './serve.mjs';

const root = new URL('../../', import.meta.url).pathname;
const own = ['www/jifen-points.js', 'www/jifen-i18n.js'].map((f) => gzipSync(readFileSync(root + f), { level: 9 }).length).reduce((a, b) => a + b, 0);
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
  for (let i = 0; i < 15; i++) {
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
const medians = (runs) => Object.fromEntries(['ready', 'painted', 'fcp'].map((k) => [k, +runs.map((t) => t[k]).sort((a, b) => a - b)[runs.length >> 1].toFixed(1)]));
console.log(JSON.stringify({
  widget_js_css_gzip_bytes: own,
  // Milliseconds from navigation: quote in the DOM, the frame after it, first contentful paint.
  first_visit_ms_median: medians(times),
  returning_visit_ms_median: medians(warm),
}));
