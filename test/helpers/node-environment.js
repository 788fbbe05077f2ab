/**
 * Jest's node environment, with the host's typed-array constructors. Native addons (onnxruntime-node)
 * create their arrays in the host realm; in jest's own realm `data instanceof BigInt64Array` is then
 * false, and onnxruntime refuses its own int64 output. Sharing the constructors makes the test realm
 * see what production sees. Plain JS: jest loads the environment before any transform.
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = ['ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];

class SharedTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = SharedTypedArraysEnvironment;
