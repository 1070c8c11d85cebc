// The package's TypeScript types: generated from the Rust types (jifen schema --api), the
// committed copy is current, and a typed usage file compiles against them with tsc --strict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;

test('pkg-template/index.d.ts is what the Rust types generate', () => {
  execFileSync('node', [`${root}scripts/gen-types.mjs`, '--check'], { stdio: 'inherit' });
});

test('a typed usage of the package compiles with tsc --strict', () => {
  try {
    execFileSync(`${root}node_modules/.bin/tsc`, ['-p', `${root}tests/js/tsconfig.json`]);
  } catch (e) {
    assert.fail(e.stdout.toString());
  }
});
