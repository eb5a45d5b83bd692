export * from './decode/index.js';
