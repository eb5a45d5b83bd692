export { ShoalConnection } from './shoal-connection.js';
export { createShoalKysely, ShoalDialect } from './shoal-dialect.js';
export { ShoalDriver } from './shoal-driver.js';
export type { SqlRunner, SqlRunnerResult } from './sql-runner.js';
