// The storefront and <jifen-points> in headless Chromium against `jifen serve --demo`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { launch, root, startServer, totalPoints, widgetText } from './harness.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function open(date = '2026-03-10') {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => document.getElementById('points').shadowRoot?.querySelector('[data-reward]'));
  if (date !== '2026-03-10') {
    await page.fill('#date', date);
    await page.dispatchEvent('#date', 'change');
    await page.waitForTimeout(300);
  }
  return { page, errors };
}

const settle = (page) => page.waitForTimeout(250);

/** Waits (up to 10 s) until the widget's total matches, then checks it. */
async function expectTotal(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.getElementById('points').shadowRoot.querySelector('[data-testid=total-points]')?.textContent ?? ''), re.source, { timeout: 10000 }).catch(() => {});
  assert.match(await totalPoints(page), re);
}

test('adding items updates the points', async () => {
  const { page, errors } = await open();
  await page.click('button[data-sku="bedding-4pc"]');
  await expectTotal(page, /^399/);
  await page.click('button[data-sku="purifier"]');
  await expectTotal(page, /^1,698/);
  await page.click('button[data-sku="giftcard"]');
  await settle(page);
  await expectTotal(page, /^1,698/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the breakdown and the rules name categories and perks by the programme\'s display names, not their ids', async () => {
  const { page, errors } = await open();
  await page.click('button[data-sku="giftcard"]');
  await page.click('button[data-sku="bedding-4pc"]');
  await expectTotal(page, /^399/);
  const text = await widgetText(page);
  assert.match(text, /礼品卡：不积分/);
  assert.match(text, /以下品类不积分：礼品卡/);
  assert.match(text, /以下品类积入「绿色消费积分」：节能家电、公共交通/);
  assert.match(text, /权益：免费停车、专属导购、小额账单积分抵扣/);
  assert.doesNotMatch(text, /gift-card|energy-saving|public-transport|free-parking|personal-shopper|small-bill-offset/);
  await page.selectOption('#lang', 'en');
  await settle(page);
  assert.match(await widgetText(page), /Gift cards: no points/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a shopper who has not signed in sees what members earn, not points promised to them', async () => {
  const { page, errors } = await open();
  await page.click('button[data-sku="bedding-4pc"]');
  await expectTotal(page, /^399/);
  const said = () => page.evaluate(() => {
    const w = document.getElementById('points').shadowRoot;
    return [w.querySelector('.row span').textContent, w.querySelector('[data-testid=guest]')?.textContent ?? null, w.querySelector('[aria-live]').textContent];
  });
  assert.deepEqual(await said(), ['本单可得', null, '本单可得 399 分']);
  await page.evaluate(() => { document.getElementById('points').member = null; });
  await page.waitForFunction(() => document.getElementById('points').shadowRoot.querySelector('[data-testid=guest]'));
  assert.deepEqual(await said(), ['会员可得', '登录或加入会员后下单，即可获得这些积分', '会员可得 399 分']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the spring-refresh badge shows inside its window and not after', async () => {
  const inside = await open('2026-03-10');
  assert.equal(await inside.page.evaluate(() => document.getElementById('points').shadowRoot.querySelectorAll('[data-testid=season-badge]').length), 1);
  assert.match(await widgetText(inside.page), /价值提升20%/);
  await inside.page.close();
  const afterEnd = await open('2026-05-02');
  assert.equal(await afterEnd.page.evaluate(() => document.getElementById('points').shadowRoot.querySelectorAll('[data-testid=season-badge]').length), 0);
  await afterEnd.page.close();
});

test('the offset slider changes what the order earns', async () => {
  const { page } = await open();
  await page.click('button[data-sku="curtain"]');
  await page.click('button[data-sku="curtain"]');
  await expectTotal(page, /^518/);
  const slider = page.locator('jifen-points').locator('input[type=range]');
  await slider.focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  // 1,000 points pay ¥50; the remaining ¥468 earns 468 points.
  await expectTotal(page, /^468/);
  await page.close();
});

test('when points cannot pay for the order, the widget says why in the shopper\'s language', async () => {
  const { page, errors } = await open();
  await page.click('button[data-sku="bedding-4pc"]');
  await expectTotal(page, /^399/);
  const why = (start) => page.waitForFunction((s) => {
    const text = document.getElementById('points').shadowRoot.querySelector('[data-testid=offset-none]')?.textContent ?? '';
    return text.startsWith(s) && text;
  }, start).then((h) => h.jsonValue());
  const set = (fn) => page.evaluate(fn);
  await set(() => { const w = document.getElementById('points'); w.member = { ...w.member, member: { ...w.member.member, wallet: [{ kind: 'standard', points: 50, earned: '2026-01-05' }] } }; });
  assert.equal(await why('满'), '满100积分可抵现，当前可用50分');
  await set(() => { const w = document.getElementById('points'); w.member = { ...w.member, member: { ...w.member.member, wallet: [{ kind: 'standard', points: 1200, earned: '2026-01-05' }] } }; w.cart = { lines: [{ category: 'bedding', unit_price: '4.00', quantity: 1 }] }; });
  assert.equal(await why('订单'), '订单金额较小，暂不可用积分抵现');
  await set(async () => {
    const p = await (await fetch('/api/program')).json();
    p.bill_offset.min_tier = 'gold';
    document.getElementById('points').program = p;
  });
  assert.equal(await why('金卡'), '金卡会员及以上可用积分抵现');
  await page.selectOption('#lang', 'en');
  assert.equal(await why('Paying'), 'Paying with points starts at Gold');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a keyboard-only checkout places the order and shows the confirmed figures', async () => {
  const { page } = await open();
  await page.locator('button[data-sku="pillow"]').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await settle(page);
  await page.locator('#checkout').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('order-status').textContent.includes('o-'));
  const text = await widgetText(page);
  assert.match(text, /已确认/);
  await expectTotal(page, /^398/);
  const live = await page.evaluate(() => document.getElementById('points').shadowRoot.querySelector('[aria-live]').textContent);
  assert.match(live, /398/);
  await page.close();
});

test('when the server\'s figures differ from the preview, the widget shows the server\'s and says so', async () => {
  const { page, errors } = await open();
  // A stale snapshot in the page: it says Gold (points ×2); the server's ledger knows a plain member.
  await page.evaluate(() => {
    const w = document.getElementById('points');
    w.member = { ...w.member, member: { ...w.member.member, tier: 'gold' } };
  });
  await page.click('button[data-sku="bedding-4pc"]');
  await expectTotal(page, /^798/);
  assert.match(await widgetText(page), /预估/);
  await page.click('#checkout');
  await page.waitForFunction(() => document.getElementById('order-status').textContent.includes('o-'));
  await expectTotal(page, /^399/);
  const text = await widgetText(page);
  assert.match(text, /已确认/);
  assert.match(text, /以服务器结果为准：与预估不同/);
  const live = await page.evaluate(() => document.getElementById('points').shadowRoot.querySelector('[aria-live]').textContent);
  assert.match(live, /399/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('switching to English changes every label', async () => {
  const { page } = await open();
  await page.click('button[data-sku="bedding-4pc"]');
  await page.selectOption('#lang', 'en');
  await settle(page);
  const text = await page.evaluate(() => {
    const w = document.getElementById('points').shadowRoot;
    w.querySelectorAll('details').forEach((d) => { d.open = true; });
    return `${document.body.innerText}\n${w.textContent}`;
  });
  // The language switch names each language in itself ("中文"); everything else is English.
  const cjk = text.replace(/中文/g, '').match(/[\u3400-\u9fff\uff00-\uffef]+/g);
  assert.equal(cjk, null, `Chinese text left after switching to English: ${cjk}`);
  assert.match(text, /Points for this order/);
  // Figures (Intl) and the engine's sentences write the yuan one way, as a shop does.
  assert.doesNotMatch(text, /CN¥/, 'English figures say CN¥ where the rules say ¥');
  assert.match(text, /¥399\.00/);
  // A value per point keeps the currency's cents (the latex pillow: ¥500 for 5,000 points).
  const rows = await page.evaluate(() => [...document.getElementById('points').shadowRoot.querySelectorAll('div.muted')].map((d) => d.textContent));
  assert.ok(rows.includes('¥500.00 · value per point ¥0.10'), rows.join(' | '));
  mkdirSync(`${root}test-results`, { recursive: true });
  await page.screenshot({ path: `${root}test-results/checkout-en.png`, fullPage: true });
  await page.selectOption('#lang', 'zh-CN');
  await settle(page);
  await page.screenshot({ path: `${root}test-results/checkout-zh-CN.png`, fullPage: true });
  await page.close();
});

test('the household panel previews a gift and says in the shopper\'s language what stops one', async () => {
  const { page, errors } = await open();
  const gift = async (points) => {
    await page.fill('jifen-points input[aria-label="积分数"]', String(points));
    await page.click('jifen-points button:text("预览转赠")');
    return page.locator('jifen-points p[role=status]:near(button:text("预览转赠"))').first().textContent();
  };
  // demo-member holds 180 green points, the kind this programme lets a household give.
  assert.equal(await gift(100), '将转给王建国 100分，到期日不变；本月还可转赠4,900分');
  assert.equal(await gift(50), '每次至少转赠100分');
  assert.equal(await gift(150), '将转给王建国 150分，到期日不变；本月还可转赠4,850分');
  assert.equal(await gift(6000), '每月最多转赠5,000分');
  assert.equal(await gift(1000), '可转赠的积分不足');
  // The receiver by the name the shop knows them by, in the page's language.
  const receiver = () => page.evaluate(() => document.getElementById('points').shadowRoot.querySelector('select').selectedOptions[0].textContent);
  assert.equal(await receiver(), '王建国');
  await page.selectOption('#lang', 'en');
  await settle(page);
  assert.equal(await receiver(), 'Jianguo Wang');
  await page.selectOption('#lang', 'zh-CN');
  await settle(page);
  // What the member gave earlier this month (the server's snapshot says) counts against the limit.
  await page.evaluate(() => {
    const w = document.getElementById('points');
    w.member = { ...w.member, household: { ...w.member.household, sent_this_month: 4900 } };
  });
  await settle(page);
  assert.equal(await gift(100), '将转给王建国 100分，到期日不变；本月还可转赠0分');
  assert.equal(await gift(150), '每月最多转赠5,000分，本月已转赠4,900分');
  // A name is the shop's text: shown as text, never parsed as HTML.
  await page.evaluate(() => {
    const w = document.getElementById('points');
    w.member = { ...w.member, household: { ...w.member.household, names: { 'demo-gold': '<img src=x onerror=alert(1)>' } } };
  });
  await settle(page);
  assert.equal(await receiver(), '<img src=x onerror=alert(1)>');
  assert.equal(await page.evaluate(() => document.getElementById('points').shadowRoot.querySelectorAll('img').length), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a gift the member previewed is given by the server, and the panel then knows the new wallet and month', async () => {
  const { page, errors } = await open();
  const panel = page.locator('jifen-points');
  await page.fill('jifen-points input[aria-label="积分数"]', '100');
  const give = panel.locator('button:text("确认转赠")');
  assert.equal(await give.isVisible(), false, 'nothing to give before a preview');
  await page.click('jifen-points button:text("预览转赠")');
  assert.equal(await give.isVisible(), true);
  // Changing the amount takes the offer back until it is previewed again.
  await page.fill('jifen-points input[aria-label="积分数"]', '120');
  assert.equal(await give.isVisible(), false);
  await page.fill('jifen-points input[aria-label="积分数"]', '100');
  await page.click('jifen-points button:text("预览转赠")');
  await give.click();
  await page.waitForFunction(() => document.getElementById('order-status').textContent.startsWith('已转给'));
  assert.equal(await page.locator('#order-status').textContent(), '已转给王建国 100积分');
  // The ledger's new snapshot: 100 given this month, 80 green points left (180 before).
  await page.waitForFunction(() => document.getElementById('points').member?.household?.sent_this_month === 100);
  await page.fill('jifen-points input[aria-label="积分数"]', '100');
  await page.click('jifen-points button:text("预览转赠")');
  assert.equal(await page.locator('jifen-points p[role=status]:near(button:text("预览转赠"))').first().textContent(), '可转赠的积分不足');
  assert.deepEqual(errors, []);
  await page.close();
});

test('tier progress names only what is still needed, and "or" when either threshold reaches the tier', async () => {
  const { page, errors } = await open();
  await page.click('button[data-sku="bedding-4pc"]');
  const next = (start) => page.waitForFunction((s) => {
    const text = document.getElementById('points').shadowRoot.querySelector('[data-testid=tier-next]')?.textContent ?? '';
    return text.startsWith(s) && text;
  }, start).then((h) => h.jsonValue());
  // ¥5,000 spent in one order before: Silver's spend is met, two more orders after this one are not.
  await page.evaluate(() => { document.getElementById('points').member = { member: { id: 'm-tier', tier_stats: { spend: '5000', orders: 1 }, wallet: [] } }; });
  assert.equal(await next('再2'), '再2笔订单即可升级银卡会员');
  const shown = (id) => page.evaluate((i) => document.getElementById('points').shadowRoot.querySelector(`[data-testid=${i}]`)?.textContent ?? null, id);
  // What Silver adds, by the programme's display names; a plain member has no perks yet.
  assert.equal(await shown('tier-adds'), '升级后可享：积分×1.2、小额账单积分抵扣');
  assert.equal(await shown('tier-perks'), null);
  // Silver reached by ¥9,000 or 4 orders.
  await page.evaluate(async () => {
    const p = await (await fetch('/api/program')).json();
    Object.assign(p.tiers[1], { min_spend: '9000', qualify: 'any' });
    document.getElementById('points').program = p;
  });
  assert.equal(await next('再消费'), '再消费¥3,601.00或2笔订单即可升级银卡会员');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the tier panel lists the member\'s perks and only what the next tier adds', async () => {
  const { page, errors } = await open();
  await page.click('button[data-sku="bedding-4pc"]');
  const shown = (id) => page.evaluate((i) => document.getElementById('points').shadowRoot.querySelector(`[data-testid=${i}]`)?.textContent ?? null, id);
  const member = (id) => page.evaluate((i) => { const m = document.getElementById('points').member; document.getElementById('points').member = { ...m, member: { ...m.member, tier: i } }; }, id);
  await member('silver');
  await page.waitForFunction(() => document.getElementById('points').shadowRoot.querySelector('[data-testid=tier-perks]'));
  assert.equal(await shown('tier-perks'), '当前权益：小额账单积分抵扣');
  // Gold's multiplier and the two perks Silver lacks; not the one Silver has.
  assert.equal(await shown('tier-adds'), '升级后可享：积分×2、免费停车、专属导购');
  await member('gold');
  await page.waitForFunction(() => document.getElementById('points').shadowRoot.querySelector('[data-testid=tier-perks]')?.textContent.includes('免费停车'));
  assert.equal(await shown('tier-perks'), '当前权益：免费停车、专属导购、小额账单积分抵扣');
  assert.equal(await shown('tier-adds'), null);
  assert.equal(await shown('tier-next'), '已是最高等级');
  await page.selectOption('#lang', 'en');
  await settle(page);
  assert.equal(await shown('tier-perks'), 'Your perks: Free parking, Personal shopper, Points toward small bills');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a reward the member can afford is redeemed after a second press, by the server, and the wallet updates', async () => {
  const { page, errors } = await open();
  await page.selectOption('#member', 'demo-silver');
  const reward = (id) => page.locator(`jifen-points li[data-reward="${id}"]`);
  // 李华 (Silver) holds 2,700 standard and 420 green points: the curtain cleaning (2,000) and
  // the bedding set at its spring cost (2,500) are affordable, the donation (500 green) is not.
  await page.waitForFunction(() => document.getElementById('points').shadowRoot.querySelector('[data-redeem="curtain-cleaning"]'));
  assert.equal(await reward('eco-donation').locator('button').count(), 0);
  const button = reward('curtain-cleaning').locator('button');
  await button.focus();
  await page.keyboard.press('Enter');
  assert.equal(await button.textContent(), '确认用2,000分兑换');
  assert.equal(await button.getAttribute('aria-label'), '确认用2,000分兑换: 窗帘清洗服务');
  assert.equal(await page.locator('#order-status').textContent(), '', 'nothing is redeemed on the first press');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('order-status').textContent.startsWith('已兑换'));
  assert.equal(await page.locator('#order-status').textContent(), '已兑换窗帘清洗服务，使用2,000积分');
  // The new snapshot from the ledger: 1,120 points left, so the bedding set is 1,380 short.
  await page.waitForFunction(() => document.getElementById('points').shadowRoot.querySelector('li[data-reward="bedding-set"]')?.textContent.includes('还差1,380分'));
  assert.equal(await reward('bedding-set').locator('button').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('axe-core finds no serious or critical accessibility violations', async () => {
  const { page } = await open();
  await page.click('button[data-sku="purifier"]');
  await settle(page);
  await page.addScriptTag({ content: readFileSync(`${root}node_modules/axe-core/axe.min.js`, 'utf8') });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })));
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], JSON.stringify(violations));
  await page.close();
});

test('a reward named like HTML renders as text', async () => {
  const { page, errors } = await open();
  const evil = '<img src=x onerror=alert(1)>';
  await page.evaluate(async (name) => {
    const p = await (await fetch('/api/program')).json();
    p.rewards[0].name = { 'zh-CN': name, en: name };
    document.getElementById('points').program = p;
  }, evil);
  await page.waitForFunction((name) => document.getElementById('points').shadowRoot.textContent.includes(name), evil);
  assert.equal(await page.evaluate(() => document.getElementById('points').shadowRoot.querySelectorAll('img').length), 0);
  assert.deepEqual(errors, []);
  await page.close();
});
