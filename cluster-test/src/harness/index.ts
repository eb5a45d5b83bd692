export { NodeProcess, CLI_PATH, type NodeProcessOptions } from './node-process.js';
export { freePort } from './free-port.js';
export { ensureDebianBinary } from './debian-binary.js';
