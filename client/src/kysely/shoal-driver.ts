import type { DatabaseConnection, Driver } from 'kysely';
import { SqlError } from '../protocol/errors.js';
import { ShoalConnection } from './shoal-connection.js';
import type { SqlRunner } from './sql-runner.js';

const NO_TRANSACTIONS = 'Shoal SQL has no transactions: each statement applies on its own (run the statements without db.transaction())';

/** Kysely's driver for Shoal: one stateless connection, no pool, no transactions. */
export class ShoalDriver implements Driver {
  private readonly connection: ShoalConnection;

  constructor(run: SqlRunner) {
    this.connection = new ShoalConnection(run);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }

  async releaseConnection(): Promise<void> {}

  async beginTransaction(): Promise<void> {
    throw new SqlError(NO_TRANSACTIONS);
  }

  async commitTransaction(): Promise<void> {
    throw new SqlError(NO_TRANSACTIONS);
  }

  async rollbackTransaction(): Promise<void> {
    throw new SqlError(NO_TRANSACTIONS);
  }

  /** The grid's connections belong to the Shoal client, which closes them itself. */
  async destroy(): Promise<void> {}
}
