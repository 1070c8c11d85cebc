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
const { Engine, operations } = require(`${root}pkg/node/jifen_wasm.js`);

const canonical = (v) => (Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])])) : v);

test('wasm in Node and the native CLI agree on 1,100 generated requests', () => {
  const requests = corpus(1100);
  assert.deepEqual(new Set(requests.map((r) => r.op)), new Set(operations()), 'the corpus covers every operation');
  const native = execFileSync(`${root}target/debug/jifen`, ['batch', '--program', `${root}examples/hongmi-home.program.json`], {
    input: requests.map((r) => JSON.stringify(r)).join('\n'),
    maxBuffer: 1 << 28,
  }).toString().trim().split('\n');
  assert.equal(native.length, requests.length);
  const engine = new Engine(program);
  let errors = 0;
  requests.forEach((r, i) => {
    let wasm;
    try {
      wasm = { ok: JSON.parse(engine.runJson(r.op, r.request, r.at)) };
    } catch (e) {
      assert.ok(e instanceof Error && e.code, `request ${i} threw a non-typed error: ${e}`);
      wasm = { errors: e.errors };
      errors++;
    }
    assert.deepEqual(canonical(wasm), canonical(JSON.parse(native[i])), `request ${i} (${r.op}) differs`);
  });
  assert.ok(errors > 100 && errors < requests.length - 300, `a mix of results and errors (${errors} errors)`);
});
