// The marketing simulator page in headless Chromium: a synthetic cohort runs in the worker,
// charts and the summary table appear, cancel stops a run, and the CSV export is valid.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, root, startServer } from './harness.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('a synthetic cohort runs, draws charts and a table, and exports a valid CSV', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
  await page.goto(`${server.url}/simulator.html`);
  await page.waitForFunction(() => document.getElementById('p-reward').options.length > 0);
  await page.fill('#s-members', '500');
  await page.fill('#s-orders', '8');
  await page.click('#run');
  await page.waitForSelector('#results:not([hidden])', { timeout: 60000 });
  assert.match(await page.textContent('#status'), /4,000 orders of 500 members/);
  assert.equal(await page.locator('#charts svg').count(), 5);
  assert.equal(await page.locator('#charts svg polyline').count(), 8, 'baseline and promotion lines in four charts');
  assert.match(await page.textContent('#summary'), /Points issued/);
  await page.screenshot({ path: `${root}test-results/simulator.png`, fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'period,scenario,revenue,issued,redeemed,expired,outstanding,liability');
  assert.ok(csv.length > 2);
  for (const row of csv.slice(1)) {
    const cells = row.split(',');
    assert.equal(cells.length, 8, row);
    assert.match(cells[0], /^\d{4}-\d{2}$/);
    assert.ok(['baseline', 'promotion'].includes(cells[1]));
    assert.ok(cells.slice(2).every((c) => Number.isFinite(Number(c))), row);
  }
  await page.close();
});

test('cancel stops a running simulation', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/simulator.html`);
  await page.waitForFunction(() => document.getElementById('p-reward').options.length > 0);
  await page.fill('#s-members', '200000');
  await page.fill('#s-orders', '10');
  await page.click('#run');
  await page.waitForFunction(() => !document.getElementById('cancel').disabled);
  await page.click('#cancel');
  assert.equal(await page.textContent('#status'), 'Cancelled.');
  assert.equal(await page.isDisabled('#run'), false);
  await page.waitForTimeout(500);
  assert.equal(await page.isHidden('#results'), true, 'no results from a cancelled run');
  await page.close();
});

test('an uploaded CSV cohort is streamed by the workers, and a bad row is named by its line', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/simulator.html`);
  await page.waitForFunction(() => document.getElementById('p-reward').options.length > 0);
  await page.setInputFiles('#csv', `${root}examples/orders.csv`);
  await page.click('#run');
  await page.waitForSelector('#results:not([hidden])', { timeout: 60000 });
  assert.match(await page.textContent('#status'), /^11 orders of 3 members/);
  const bad = readFileSync(`${root}examples/orders.csv`, 'utf8').trim().split('\n');
  bad.splice(4, 0, 'm9,not-a-time,10,kitchen');
  await page.setInputFiles('#csv', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad.join('\n')) });
  await page.click('#run');
  await page.waitForFunction(() => document.getElementById('status').className === 'error');
  assert.match(await page.textContent('#status'), /^invalid_csv_row at line 5: /);
  await page.close();
});

test('the page speaks Chinese for a Chinese browser or ?lang=zh-CN, results included, passes an axe-core scan, and switches back', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
  await page.goto(`${server.url}/simulator.html?lang=zh-CN`);
  await page.waitForFunction(() => document.getElementById('p-reward').options.length > 0);
  assert.equal(await page.textContent('h1'), '促销模拟');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.match(await page.textContent('#p-reward'), /纯棉四件套 \(3,000\)/);
  assert.equal(await page.inputValue('#p-name'), '双倍积分周');
  // The programme's categories, a press away from the promotion's list (once each).
  assert.equal(await page.textContent('#p-cats-known'), '方案中的品类： gift-cardenergy-savingpublic-transportbeddingcurtains');
  await page.click('#p-cats-known button:text("energy-saving")');
  await page.click('#p-cats-known button:text("bedding")');
  assert.equal(await page.inputValue('#p-cats'), 'bedding,curtains,energy-saving');
  await page.fill('#p-cats', 'bedding,curtains');
  // A pasted programme with display names: the buttons name its categories.
  await page.selectOption('#program-choice', 'paste');
  await page.fill('#program-json', readFileSync(`${root}examples/demo.program.json`, 'utf8'));
  await page.dispatchEvent('#program-json', 'change');
  await page.waitForFunction(() => document.getElementById('p-cats-known').textContent.includes('床品 bedding'));
  assert.equal(await page.textContent('#p-cats-known'), '方案中的品类： 礼品卡 gift-card节能家电 energy-saving公共交通 public-transport床品 bedding窗帘 curtains');
  await page.fill('#s-members', '300');
  await page.fill('#s-orders', '5');
  await page.click('#run');
  await page.waitForSelector('#results:not([hidden])', { timeout: 60000 });
  assert.match(await page.textContent('#status'), /^已模拟300位会员的1,500笔订单，用时[\d.]+秒。$/);
  const summary = await page.textContent('#summary');
  for (const row of ['发放积分', '兑换积分', '过期积分（沉没）', '积分负债（CNY）', '升级的会员数', '基准', '促销']) assert.ok(summary.includes(row), row);
  const charts = await page.textContent('#charts');
  assert.ok(charts.includes('期末各等级会员数') && charts.includes('普通会员'), charts);
  // Every word the page writes is Chinese; what stays Latin is data (CSV column names, JSON,
  // the currency code, category ids) and the language switch's "English".
  const text = (await page.evaluate(() => document.body.innerText.replace(document.getElementById('p-cats-known').innerText, ''))).replace('member_id,at,amount,category', '');
  const latin = [...new Set(text.match(/[A-Za-z]{3,}/g) ?? [])];
  assert.deepEqual(latin.filter((w) => !['English', 'JSON', 'CSV', 'CNY'].includes(w)), []);
  await page.addScriptTag({ content: readFileSync(`${root}node_modules/axe-core/axe.min.js`, 'utf8') });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })));
  assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), [], JSON.stringify(violations));
  await page.selectOption('#lang', 'en');
  assert.match(await page.textContent('#status'), /^1,500 orders of 300 members simulated in/);
  assert.match(await page.textContent('#summary'), /Points issued/);
  assert.equal(await page.inputValue('#p-name'), 'Double points week');
  await page.close();
});
