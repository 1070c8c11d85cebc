// Node (ES module) entry: same API as the browser entry; init() resolves at once.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const wasm = require('./jifen_wasm.js');
export const Engine = wasm.Engine;
export const operations = wasm.operations;
export default async function init() {}
