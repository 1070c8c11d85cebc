// The simulator split over workers, as the simulator page runs it: parts fed with setPart,
// closed on the run's end day and finished together give the single-Simulation result, for a
// synthetic cohort and for a CSV with a bad row (the earliest bad row is reported).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;
const { Engine, Simulation } = require(`${root}pkg/simulator/node/jifen_wasm.js`);
const engine = new Engine(readFileSync(`${root}examples/hongmi-home.program.json`, 'utf8'));
const setup = { promotion: JSON.parse(readFileSync(`${root}examples/promotion.json`, 'utf8')), assumptions: { redemption_rate: '0.7' }, period: 'week' };
const spec = { members: 400, orders_per_member: 9, start: '2026-01-01T10:00:00+08:00', days: 420, seed: 5 };

function split(n, feed, until) {
  const sims = Array.from({ length: n }, (_, i) => { const s = new Simulation(engine, setup); s.setPart(i, n); return s; });
  const fed = sims.map((s) => feed(s));
  const end = Simulation.runEnd(until, sims.map((s) => s.lastDay()).filter(Boolean));
  const parts = sims.slice(1).map((s) => JSON.parse(JSON.stringify(s.close(end))));
  return { fed, result: sims[0].finish(end, parts) };
}

test('parts of a synthetic cohort finish into the single-run result', () => {
  const one = new Simulation(engine, setup);
  one.pushSynthetic(spec, 0, 3600);
  const single = one.finish(undefined);
  for (const n of [2, 3]) {
    const { fed, result } = split(n, (s) => s.pushSynthetic(spec, 0, 1000) + s.pushSynthetic(spec, 1000, 2600));
    assert.equal(fed.reduce((a, b) => a + b, 0), 3600, 'every order fed once');
    assert.deepEqual(result, single, `${n} parts`);
  }
  assert.ok(single.promotion.points_redeemed > 0);
});

test('a bad row is reported by every part that reads it', () => {
  const csv = 'm1,2026-01-05T10:00:00+08:00,10,kitchen\nm2,2026-01-06T10:00:00+08:00,x,kitchen';
  for (let i = 0; i < 3; i++) {
    const s = new Simulation(engine, setup);
    s.setPart(i, 3);
    assert.throws(() => s.pushCsv(csv, 2), (e) => e.code === 'invalid_csv_row' && e.path === 'line 3');
  }
  assert.throws(() => new Simulation(engine, setup).setPart(3, 3), (e) => e.code === 'invalid_part');
});
