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
const times = [];
try {
  for (let i = 0; i < 15; i++) {
    const page = await browser.newPage();
    const reported = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('jifen-first-quote '), timeout: 30000 });
    await page.goto(`${url}/bench/browser/widget.html`, { waitUntil: 'commit' });
    const [ready, painted, fcp] = (await reported).text().split(' ').slice(1).map(Number);
    times.push({ ready, painted, fcp });
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
const median = (k) => times.map((t) => t[k]).sort((a, b) => a - b)[times.length >> 1];
console.log(JSON.stringify({
  widget_js_css_gzip_bytes: own,
  first_quote_ready_ms_median: +median('ready').toFixed(1),
  first_quote_painted_ms_median: +median('painted').toFixed(1),
  first_contentful_paint_ms_median: +median('fcp').toFixed(1),
  runs: times.map((t) => [+t.ready.toFixed(1), +t.painted.toFixed(1), +t.fcp.toFixed(1)]),
}));
