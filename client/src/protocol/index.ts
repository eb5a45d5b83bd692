export * from './codec.js';
export * from './error-codes.js';
export * from './errors.js';
export * from './frame-kinds.js';
export * from './frames.js';
export * from './opcodes.js';
export * from './partitioning.js';
export * from './version.js';
