/** What one SQL statement answers, as `grid.sql` returns it. */
export interface SqlRunnerResult {
  /** The command tag: 'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE TABLE', ... */
  readonly command: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  /** Rows returned, or inserted, updated or deleted. */
  readonly rowCount: number;
}

/** Runs one statement with its parameters: the dialect's only way to the grid. */
export type SqlRunner = (sql: string, parameters: readonly unknown[]) => Promise<SqlRunnerResult>;
