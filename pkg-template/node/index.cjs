// Node (CommonJS) entry: the module is instantiated synchronously; init() is a no-op kept so
// that the same code runs in the browser and in Node.
const wasm = require('./jifen_wasm.js');
module.exports = { Engine: wasm.Engine, operations: wasm.operations, default: async () => {}, init: async () => {} };
