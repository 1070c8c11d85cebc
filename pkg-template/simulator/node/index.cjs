// Node (CommonJS) entry of `jifen/simulator`: the engine plus the promotion simulator.
const wasm = require('./jifen_wasm.js');
module.exports = { Engine: wasm.Engine, Simulation: wasm.Simulation, operations: wasm.operations, default: async () => {}, init: async () => {} };
