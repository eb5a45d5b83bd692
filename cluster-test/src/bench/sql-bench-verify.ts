import { productRow } from './sql-bench-data.js';
import { CATEGORY_LIMIT, GROUP_BY, NAME_LOOKUP, PK_LOOKUP, type SqlSide } from './sql-bench-queries.js';

const close = (a: unknown, b: unknown) => {
  const x = Number(a);
  const y = Number(b);
  return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
};
const json = (v: unknown) => JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? Number(x) : x));

/**
 * Before anything is timed, both systems must give the same answers: a
 * benchmark of wrong results measures nothing. One line per disagreement.
 */
export async function verifyAnswers(shoal: SqlSide, sqlite: SqlSide, params: { ids: number[]; names: string[]; categories: string[] }): Promise<string[]> {
  const problems: string[] = [];
  for (const id of params.ids.slice(0, 200)) {
    const [a, b] = [await shoal.query(PK_LOOKUP, [id]), await sqlite.query(PK_LOOKUP, [id])];
    if (json(a) !== json(b)) problems.push(`${PK_LOOKUP} [${id}]: Shoal ${json(a)}, SQLite ${json(b)}`);
  }
  for (const name of params.names.slice(0, 100)) {
    const ids = async (side: SqlSide) => json((await side.query(NAME_LOOKUP, [name])).map((r) => Number(r[0])).sort((x, y) => x - y));
    const [a, b] = [await ids(shoal), await ids(sqlite)];
    if (a !== b) problems.push(`${NAME_LOOKUP} ['${name}']: ids ${a} from Shoal, ${b} from SQLite`);
  }
  for (const category of params.categories.slice(0, 20)) {
    const rows = await shoal.query(CATEGORY_LIMIT, [category]);
    const strangers = rows.filter((r) => productRow(Number(r[0])).category !== category);
    if (rows.length !== 10 || strangers.length > 0) problems.push(`${CATEGORY_LIMIT} ['${category}']: ${rows.length} rows from Shoal (10 expected), ${strangers.length} of another category`);
  }
  problems.push(...groupByProblems(await shoal.query(GROUP_BY), await sqlite.query(GROUP_BY)));
  return problems.slice(0, 20);
}

/** Same groups and counts; sums and averages within a relative 1e-9 (the order of additions differs). */
function groupByProblems(shoal: unknown[][], sqlite: unknown[][]): string[] {
  const byCategory = (rows: unknown[][]) => new Map(rows.map((r) => [String(r[0]), r]));
  const a = byCategory(shoal);
  const problems: string[] = [];
  if (shoal.length !== sqlite.length) problems.push(`${GROUP_BY}: ${shoal.length} groups from Shoal, ${sqlite.length} from SQLite`);
  for (const want of sqlite) {
    const got = a.get(String(want[0]));
    if (!got || Number(got[1]) !== Number(want[1]) || !close(got[2], want[2]) || !close(got[3], want[3])) {
      problems.push(`${GROUP_BY}: group ${json(want[0])} is ${json(got)} in Shoal, ${json(want)} in SQLite`);
    }
  }
  return problems;
}
