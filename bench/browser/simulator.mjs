// The promotion simulator in headless Chromium: a 1,000,000-order synthetic cohort
// (100,000 members × 10 orders) run in the page's Web Worker. `make bench-simulator`.
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './run.mjs';
import { serve } from './serve.mjs';

const root = new URL('../../', import.meta.url).pathname;
const { server, url } = await serve(root);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  await page.goto(`${url}/simulator.html`);
  await page.waitForFunction(() => document.getElementById('p-reward').options.length > 0);
  await page.fill('#s-members', '100000');
  await page.fill('#s-orders', '10');
  await page.click('#run');
  await page.waitForSelector('#results:not([hidden])', { timeout: 300000 });
  console.log(await page.textContent('#status'));
} finally {
  await browser.close();
  server.close();
}
