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
  for (let i = 0; i < 7; i++) {
    const page = await browser.newPage();
    await page.goto(`${url}/bench/browser/widget.html`);
    await page.waitForFunction(() => window.firstQuoteMs, null, { timeout: 30000 });
    times.push(await page.evaluate(() => window.firstQuoteMs));
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ widget_js_css_gzip_bytes: own, first_quote_ms_median: +times[3].toFixed(1), first_quote_ms_all: times.map((t) => +t.toFixed(1)) }));
