// Node (ES module) entry of `jifen/simulator`: the engine plus the promotion simulator.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const wasm = require('./jifen_wasm.js');
export const Engine = wasm.Engine;
export const Simulation = wasm.Simulation;
export const operations = wasm.operations;
export default async function init() {}
