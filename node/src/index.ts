export { ShoalNode } from './shoal-node.js';
export { type NodeConfig, nodeConfig, DEFAULT_HOST, DEFAULT_PORT } from './config/node-config.js';
