export * from './ast.js';
export * from './sql-host.js';
export { parseStatement } from './parse/index.js';
export { SqlEngine } from './engine/sql-engine.js';
export { SecondaryIndex } from './engine/secondary-index.js';
export { checkTableSchema } from './engine/table-schema.js';
export type { MapRequest } from './engine/map-request.js';
