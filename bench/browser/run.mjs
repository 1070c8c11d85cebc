// Browser benchmark of the wasm engine in headless Chromium (Debian's, driven by
// playwright-core): instantiation time and quotes per second for a 5-line cart, including
// marshalling JS objects in and out. `make bench-wasm`.
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const root = new URL('../../', import.meta.url).pathname;
if (process.argv[1] === new URL(import.meta.url).pathname) await main();

async function main() {
const { server, url } = await serve(root);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  // The checkout engine (size first) and the speed-first build of `jifen/simulator`.
  for (const pkg of ['web', 'simulator/web']) {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      await page.goto(`${url}/bench/browser/bench.html?pkg=${pkg}`);
      await page.waitForFunction(() => window.result, null, { timeout: 60000 });
      runs.push(await page.evaluate(() => window.result));
      await page.close();
    }
    const median = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[1];
    console.log(JSON.stringify({ pkg, instantiate_ms: +median('instantiate_ms').toFixed(1), loading_ms: +median('loading_ms').toFixed(1), program_load_ms: +median('program_load_ms').toFixed(2), quotes_per_second: median('quotes_per_second') }));
  }
} finally {
  await browser.close();
  server.close();
}
}
