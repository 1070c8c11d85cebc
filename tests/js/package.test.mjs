// The built package as an npm user gets it: packed, installed into a fresh project, imported
// by name through its `exports` (ES module and CommonJS), and under the size budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const program = readFileSync(`${root}examples/hongmi-home.program.json`, 'utf8');

test('the packed package installs and imports by name, as ESM and CommonJS', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'jifen-user-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tarball = execFileSync('npm', ['pack', `${root}pkg`, '--pack-destination', dir, '--silent'], { cwd: dir }).toString().trim().split('\n').pop();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', join(dir, tarball)], { cwd: dir });
  writeFileSync(join(dir, 'program.json'), program);
  writeFileSync(join(dir, 'esm.mjs'), `
    import init, { Engine } from 'jifen';
    import { readFileSync } from 'node:fs';
    await init();
    const engine = new Engine(JSON.parse(readFileSync('program.json', 'utf8')));
    const q = engine.quote({ lines: [{ category: 'bedding', unit_price: '399.00', quantity: 2 }] }, new Date('2026-03-10T04:00:00Z'));
    console.log(JSON.stringify({ points: q.total_points, fp: engine.programRef.fingerprint }));`);
  writeFileSync(join(dir, 'cjs.cjs'), `
    const { Engine } = require('jifen');
    const engine = new Engine(require('fs').readFileSync('program.json', 'utf8'));
    try { engine.redeem({ reward_id: 'yacht' }, '2026-03-10T12:00:00+08:00'); } catch (e) { console.log(e.code); }`);
  writeFileSync(join(dir, 'sim.mjs'), `
    import init, { Engine, Simulation } from 'jifen/simulator';
    import { readFileSync } from 'node:fs';
    await init();
    const sim = new Simulation(new Engine(readFileSync('program.json', 'utf8')), { period: 'month' });
    sim.pushSynthetic({ members: 5, orders_per_member: 3, start: '2026-01-01T00:00:00+08:00', days: 60, seed: 7 }, 0, 15);
    console.log(sim.finish().orders);`);
  const esm = JSON.parse(execFileSync('node', ['esm.mjs'], { cwd: dir }).toString());
  assert.equal(esm.points, 798);
  assert.match(esm.fp, /^sha256:/);
  assert.equal(execFileSync('node', ['cjs.cjs'], { cwd: dir }).toString().trim(), 'unknown_reward');
  assert.equal(execFileSync('node', ['sim.mjs'], { cwd: dir }).toString().trim(), '15');
});

// Issue 3: the build fails above 150 KB gzip for the whole checkout engine (goal 100 KB), so a
// heavy dependency cannot slip in unnoticed. About 148 KB today (see the README).
const BUDGET = 150_000;

test('the checkout engine (wasm + JS glue) stays under its gzip budget', () => {
  const wasm = gzipSync(readFileSync(`${root}pkg/web/jifen_wasm_bg.wasm`), { level: 9 }).length;
  const glue = gzipSync(readFileSync(`${root}pkg/web/jifen_wasm.js`), { level: 9 }).length;
  console.log(`gzip: wasm ${wasm} B + glue ${glue} B = ${wasm + glue} B`);
  assert.ok(wasm + glue <= BUDGET, `engine is ${wasm + glue} bytes gzip, over the ${BUDGET} B budget`);
});
