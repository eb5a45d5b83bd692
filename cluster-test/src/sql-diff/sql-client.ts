/** The answer of `grid.sql`. */
export interface SqlAnswer {
  readonly command: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  readonly rowCount: number;
}

/** What the differential test needs of the SDK: `Shoal` has this shape. */
export interface SqlClient {
  sql(text: string, params?: readonly unknown[]): Promise<SqlAnswer>;
}
