import { differenceOf } from './compare-answers.js';
import type { ResultKind } from './expr.js';
import { Disagreement, type Engines, describeStatements, oracleAnswer, shoalAnswer } from './query-check.js';

/** A fixed table with NULLs where they matter, the same in both engines. */
const TABLE = 'regress_t';
const SHOAL_DDL = `CREATE TABLE ${TABLE} (id INT, v INT, s TEXT, PRIMARY KEY (id)) WITH (mode = 'partitioned', backups = 1)`;
const SQLITE_DDL = `CREATE TABLE ${TABLE} (id INTEGER NOT NULL, v INTEGER, s TEXT, PRIMARY KEY (id))`;
const ROWS = `INSERT INTO ${TABLE} (id, v, s) VALUES (1, 1, 'a'), (2, NULL, 'b'), (3, 3, NULL), (4, NULL, NULL)`;

export interface RegressionCase {
  /** What went wrong once, and where it was fixed. */
  readonly found: string;
  readonly sql: string;
  readonly kinds: readonly ResultKind[];
}

/**
 * Disagreements the generator found, written out by hand so they stay
 * covered whatever the generator later draws for their seed.
 */
export const REGRESSIONS: readonly RegressionCase[] = [
  {
    found: 'NULL [NOT] IN an empty subquery answered NULL, not false/true (fixed in 597b80f)',
    sql: `SELECT id, v IN (SELECT id FROM ${TABLE} WHERE id < 0), v NOT IN (SELECT id FROM ${TABLE} WHERE id < 0), NULL IN (SELECT id FROM ${TABLE} WHERE id < 0) FROM ${TABLE}`,
    kinds: ['int', 'bool', 'bool', 'bool'],
  },
  {
    found: 'the same, as a filter: rows with a NULL operand dropped by NOT IN an empty subquery',
    sql: `SELECT id FROM ${TABLE} WHERE v NOT IN (SELECT id FROM ${TABLE} WHERE s = NULL)`,
    kinds: ['int'],
  },
];

export async function createRegressionTable(engines: Engines): Promise<void> {
  await engines.shoal.sql(SHOAL_DDL);
  await engines.shoal.sql(ROWS);
  engines.oracle.exec(SQLITE_DDL);
  engines.oracle.run(ROWS);
}

/** Runs one case on both engines; a Disagreement if the answers differ as multisets. */
export async function checkRegression(engines: Engines, c: RegressionCase): Promise<void> {
  const statement = { text: c.sql, params: [] };
  const context = () => describeStatements(statement, statement);
  const expected = oracleAnswer(engines, statement, context);
  const actual = await shoalAnswer(engines.shoal, statement, context);
  const difference = differenceOf(expected, actual, { kinds: c.kinds, check: { kind: 'none' } });
  if (difference) throw new Disagreement(`${c.found}: it is back\n${context()}\n${difference}`);
}
