import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { createShoalKysely, type SqlRunner, type SqlRunnerResult } from '../src/kysely/index.js';
import { SqlError } from '../src/protocol/errors.js';

interface DB {
  customers: { id: number; name: string; tier: string | null; visits: number };
  orders: { id: number; customer_id: number; total: number };
}

/** A runner that records each call and answers with the next canned result. */
function recordingRunner(...answers: SqlRunnerResult[]) {
  const calls: { sql: string; parameters: readonly unknown[] }[] = [];
  const run: SqlRunner = async (text, parameters) => {
    calls.push({ sql: text, parameters });
    const answer = answers.shift();
    if (!answer) throw new Error('no answer left');
    return answer;
  };
  return { run, calls };
}

const db = createShoalKysely<DB>(recordingRunner().run);

describe('compiled { sql, parameters }', () => {
  const golden = (query: { compile(): { sql: string; parameters: readonly unknown[] } }) => {
    const { sql: text, parameters } = query.compile();
    return { sql: text, parameters };
  };

  test('select with where, order, limit, offset', () => {
    expect(golden(db.selectFrom('customers').select(['id', 'name']).where('tier', '=', 'gold').orderBy('name', 'desc').limit(10).offset(5))).toEqual({
      sql: 'select "id", "name" from "customers" where "tier" = $1 order by "name" desc limit $2 offset $3',
      parameters: ['gold', 10, 5],
    });
  });

  test('select with joins and an in list', () => {
    const query = db
      .selectFrom('customers as c')
      .innerJoin('orders as o', 'o.customer_id', 'c.id')
      .select(['c.name', 'o.total'])
      .where('c.id', 'in', [1, 2, 3]);
    expect(golden(query)).toEqual({
      sql: 'select "c"."name", "o"."total" from "customers" as "c" inner join "orders" as "o" on "o"."customer_id" = "c"."id" where "c"."id" in ($1, $2, $3)',
      parameters: [1, 2, 3],
    });
    expect(golden(db.selectFrom('customers as c').leftJoin('orders as o', 'o.customer_id', 'c.id').selectAll('c'))).toEqual({
      sql: 'select "c".* from "customers" as "c" left join "orders" as "o" on "o"."customer_id" = "c"."id"',
      parameters: [],
    });
  });

  test('group by, having, aggregates', () => {
    const query = db
      .selectFrom('orders')
      .select(['customer_id', (eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.sum('total').as('s')])
      .groupBy('customer_id')
      .having(sql`count(*)`, '>', 2)
      .orderBy('customer_id');
    expect(golden(query)).toEqual({
      sql: 'select "customer_id", count(*) as "n", sum("total") as "s" from "orders" group by "customer_id" having count(*) > $1 order by "customer_id"',
      parameters: [2],
    });
  });

  test('insert of several rows with on conflict do update and do nothing', () => {
    const upsert = db
      .insertInto('customers')
      .values([
        { id: 1, name: 'a', tier: null, visits: 0 },
        { id: 2, name: 'b', tier: 'gold', visits: 3 },
      ])
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: (eb) => eb.ref('excluded.name') }));
    expect(golden(upsert)).toEqual({
      sql: 'insert into "customers" ("id", "name", "tier", "visits") values ($1, $2, $3, $4), ($5, $6, $7, $8) on conflict ("id") do update set "name" = "excluded"."name"',
      parameters: [1, 'a', null, 0, 2, 'b', 'gold', 3],
    });
    expect(golden(db.insertInto('orders').values({ id: 7, customer_id: 1, total: 9.5 }).onConflict((oc) => oc.column('id').doNothing()))).toEqual({
      sql: 'insert into "orders" ("id", "customer_id", "total") values ($1, $2, $3) on conflict ("id") do nothing',
      parameters: [7, 1, 9.5],
    });
  });

  test('update and delete', () => {
    expect(golden(db.updateTable('customers').set({ tier: 'silver' }).where('visits', '<', 2))).toEqual({
      sql: 'update "customers" set "tier" = $1 where "visits" < $2',
      parameters: ['silver', 2],
    });
    expect(golden(db.deleteFrom('orders').where('customer_id', '=', 1).where('total', 'is', null))).toEqual({
      sql: 'delete from "orders" where "customer_id" = $1 and "total" is null',
      parameters: [1],
    });
  });
});

describe('the driver', () => {
  test('sends the compiled sql and parameters and turns rows into objects by column', async () => {
    const { run, calls } = recordingRunner({ command: 'SELECT', columns: ['id', 'name'], rows: [[1, 'a'], [2, null]], rowCount: 2 });
    const rows = await createShoalKysely<DB>(run).selectFrom('customers').select(['id', 'name']).where('id', '<', 3).execute();
    expect(calls).toEqual([{ sql: 'select "id", "name" from "customers" where "id" < $1', parameters: [3] }]);
    expect(rows).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: null },
    ]);
  });

  test('values keep their types (bigint, Date, objects); a column named __proto__ is an ordinary field', async () => {
    const when = new Date('2024-01-31T10:00:00Z');
    const { run } = recordingRunner({ command: 'SELECT', columns: ['big', 'when', 'doc', '__proto__'], rows: [[2n ** 63n - 1n, when, { a: [1] }, 'x']], rowCount: 1 });
    const [row] = await createShoalKysely<DB>(run).selectFrom('customers').selectAll().execute();
    const fields = row as unknown as Record<string, unknown>;
    expect(fields.big).toBe(9223372036854775807n);
    expect(fields.when).toBe(when);
    expect(fields.doc).toEqual({ a: [1] });
    expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });

  test('INSERT, UPDATE and DELETE report numAffectedRows as a bigint', async () => {
    const { run } = recordingRunner(
      { command: 'INSERT', columns: [], rows: [], rowCount: 2 },
      { command: 'UPDATE', columns: [], rows: [], rowCount: 5 },
      { command: 'DELETE', columns: [], rows: [], rowCount: 0 },
    );
    const k = createShoalKysely<DB>(run);
    const [inserted] = await k.insertInto('orders').values([{ id: 1, customer_id: 1, total: 1 }, { id: 2, customer_id: 1, total: 2 }]).execute();
    expect(inserted?.numInsertedOrUpdatedRows).toBe(2n);
    const [updated] = await k.updateTable('orders').set({ total: 0 }).execute();
    expect(updated?.numUpdatedRows).toBe(5n);
    const [deleted] = await k.deleteFrom('orders').where('id', '=', 9).execute();
    expect(deleted?.numDeletedRows).toBe(0n);
  });

  test('raw sql through the same runner', async () => {
    const { run, calls } = recordingRunner({ command: 'CREATE TABLE', columns: [], rows: [], rowCount: 0 });
    const result = await sql`CREATE TABLE t (id INT PRIMARY KEY) WITH (mode = 'replicated')`.execute(createShoalKysely<DB>(run));
    expect(calls[0]?.sql).toBe("CREATE TABLE t (id INT PRIMARY KEY) WITH (mode = 'replicated')");
    expect(result.rows).toEqual([]);
    expect(result.numAffectedRows).toBeUndefined();
  });

  test("the runner's errors reach the caller unchanged", async () => {
    const failure = new SqlError('relation "nope" does not exist');
    const k = createShoalKysely<DB>(async () => {
      throw failure;
    });
    await expect(k.selectFrom('customers').selectAll().execute()).rejects.toBe(failure);
  });

  test('transactions are refused with a clear error, before any statement runs', async () => {
    const { run, calls } = recordingRunner();
    const k = createShoalKysely<DB>(run);
    const attempt = k.transaction().execute(async (trx) => trx.selectFrom('customers').selectAll().execute());
    await expect(attempt).rejects.toThrow(/Shoal SQL has no transactions/);
    await expect(attempt).rejects.toBeInstanceOf(SqlError);
    expect(calls).toEqual([]);
  });

  test('streaming is refused with a clear error', async () => {
    const { run } = recordingRunner();
    const stream = createShoalKysely<DB>(run).selectFrom('customers').selectAll().stream();
    await expect(stream.next()).rejects.toThrow(/streaming queries is not supported/);
  });
});
