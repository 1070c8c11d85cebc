// Parity: the wasm engine in Node and the native CLI give byte-identical JSON (after canonical
// key ordering) on a deterministic corpus of requests across every operation, errors included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { corpus } from './corpus.mjs';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;
const program = readFileSync(`${root}examples/hongmi-home.program.json`, 'utf8');
// The simulator build answers every operation; the checkout build all but `simulate`.
const full = require(`${root}pkg/simulator/node/jifen_wasm.js`);
const checkout = require(`${root}pkg/node/jifen_wasm.js`);

const canonical = (v) => (Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])])) : v);

test('wasm in Node (both builds) and the native CLI agree on 1,100 generated requests', () => {
  const requests = corpus(1100);
  assert.deepEqual(new Set(requests.map((r) => r.op)), new Set(full.operations()), 'the corpus covers every operation');
  assert.deepEqual(new Set(checkout.operations()), new Set(full.operations().filter((o) => o !== 'simulate')));
  const native = execFileSync(`${root}target/debug/jifen`, ['batch', '--program', `${root}examples/hongmi-home.program.json`], {
    input: requests.map((r) => JSON.stringify(r)).join('\n'),
    maxBuffer: 1 << 28,
  }).toString().trim().split('\n');
  assert.equal(native.length, requests.length);
  const engines = [new full.Engine(program), new checkout.Engine(program)];
  const answer = (engine, r, i) => {
    try {
      return { ok: JSON.parse(engine.runJson(r.op, r.request, r.at)) };
    } catch (e) {
      assert.ok(e instanceof Error && e.code, `request ${i} threw a non-typed error: ${e}`);
      return { errors: e.errors };
    }
  };
  let errors = 0;
  requests.forEach((r, i) => {
    const expected = canonical(JSON.parse(native[i]));
    const wasm = answer(engines[0], r, i);
    errors += wasm.errors ? 1 : 0;
    assert.deepEqual(canonical(wasm), expected, `request ${i} (${r.op}) differs`);
    const small = answer(engines[1], r, i);
    if (r.op === 'simulate') assert.equal(small.errors?.[0]?.code, 'unknown_operation', `request ${i}`);
    else assert.deepEqual(canonical(small), expected, `request ${i} (${r.op}) differs in the checkout build`);
  });
  assert.ok(errors > 100 && errors < requests.length - 300, `a mix of results and errors (${errors} errors)`);
});
