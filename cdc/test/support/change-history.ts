/**
 * A made-up PostgreSQL change history, as Debezium would send it (JSON
 * converter without schemas): a snapshot, then inserts, updates, deletes
 * (each followed by its tombstone), primary-key changes (delete + create at
 * one LSN) and truncates, over two tables: `customers` (key `id`) and
 * `order_lines` (key `order_id`, `line`). LSNs start past 2^53, so any
 * number parsed through a double would merge neighbouring positions.
 * `finalState` is what the tables hold at the end.
 */

export interface HistoryRecord {
  readonly topic: string;
  /** The key's JSON text; null for none. */
  readonly key: string | null;
  /** The value's JSON text; null for a tombstone. */
  readonly value: string | null;
}

export type Row = Record<string, unknown>;

export interface ChangeHistory {
  readonly records: readonly HistoryRecord[];
  /** Per table (and so per cache, named like the table): grid key (as JSON text) → row. */
  readonly finalState: ReadonlyMap<string, ReadonlyMap<string, Row>>;
}

interface Table {
  readonly name: string;
  readonly keyColumns: readonly string[];
  readonly rows: Map<string, Row>;
  next: number;
}

/** A small seeded PRNG (mulberry32), so a failing history can be made again. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The grid key the ingester makes of a row: one column's value, or an object of the key columns. */
export function gridKeyText(table: { keyColumns: readonly string[] }, row: Row): string {
  if (table.keyColumns.length === 1) return JSON.stringify(row[table.keyColumns[0]!]);
  const key: Row = {};
  for (const c of [...table.keyColumns].sort()) key[c] = row[c];
  return JSON.stringify(key);
}

export function generateHistory(options: { seed: number; snapshotRows: number; changes: number; truncates?: boolean }): ChangeHistory {
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const tables: Table[] = [
    { name: 'customers', keyColumns: ['id'], rows: new Map(), next: 1 },
    { name: 'order_lines', keyColumns: ['order_id', 'line'], rows: new Map(), next: 1 },
  ];
  const records: HistoryRecord[] = [];
  let lsn = 2n ** 53n + 1n;
  let lastCommit = lsn;
  let ts = 1_700_000_000_000;
  let version = 0;

  const newRow = (table: Table): Row => {
    const n = table.next++;
    version++;
    if (table.name === 'customers') return { id: n, name: `customer ${n}`, balance: `${n}.${String(version % 100).padStart(2, '0')}`, tags: [`t${version % 3}`] };
    return { order_id: Math.ceil(n / 3), line: ((n - 1) % 3) + 1, sku: `sku-${n}`, qty: (version % 7) + 1 };
  };
  const keyJson = (table: Table, row: Row) => JSON.stringify(Object.fromEntries(table.keyColumns.map((c) => [c, row[c]])));
  const source = (table: Table, snapshot: string, at: bigint, commit: bigint | null) =>
    `{"version":"2.5.0.Final","connector":"postgresql","name":"pg","ts_ms":${ts},"snapshot":"${snapshot}","db":"shop","schema":"public","table":"${table.name}","txId":${version},"lsn":${at}${commit === null ? '' : `,"sequence":"[\\"${commit}\\",\\"${at}\\"]"`}}`;
  const emit = (table: Table, op: string, before: Row | null, after: Row | null, snapshot: string, at: bigint, commit: bigint | null) => {
    const row = after ?? before!;
    const value = `{"before":${JSON.stringify(before)},"after":${JSON.stringify(after)},"source":${source(table, snapshot, at, commit)},"op":"${op}","ts_ms":${ts + 1}}`;
    records.push({ topic: `pg.public.${table.name}`, key: keyJson(table, row), value });
    if (op === 'd') records.push({ topic: `pg.public.${table.name}`, key: keyJson(table, row), value: null });
  };

  // The snapshot: every row at one LSN, without a commit LSN.
  const snapshotLsn = lsn;
  for (let i = 0; i < options.snapshotRows; i++) {
    const table = pick(tables);
    const row = newRow(table);
    table.rows.set(gridKeyText(table, row), row);
    emit(table, 'r', null, row, i === options.snapshotRows - 1 ? 'last' : i === 0 ? 'first' : 'true', snapshotLsn, null);
  }

  for (let i = 0; i < options.changes; i++) {
    lsn += 1n + BigInt(Math.floor(random() * 3));
    ts += 1 + Math.floor(random() * 5);
    if (random() < 0.2) lastCommit = lsn;
    const table = pick(tables);
    const existing = [...table.rows.values()];
    const dice = random();
    if (options.truncates && dice < 0.01) {
      table.rows.clear();
      records.push({ topic: `pg.public.${table.name}`, key: null, value: `{"before":null,"after":null,"source":${source(table, 'false', lsn, lastCommit)},"op":"t","ts_ms":${ts + 1}}` });
    } else if (existing.length === 0 || dice < 0.35) {
      const row = newRow(table);
      table.rows.set(gridKeyText(table, row), row);
      emit(table, 'c', null, row, 'false', lsn, lastCommit);
    } else if (dice < 0.7) {
      const before = pick(existing);
      version++;
      const after = table.name === 'customers' ? { ...before, name: `customer ${before['id']} v${version}`, balance: `${version}.50` } : { ...before, qty: (version % 9) + 1 };
      table.rows.set(gridKeyText(table, after), after);
      emit(table, 'u', before, after, 'false', lsn, lastCommit);
    } else if (dice < 0.85) {
      const before = pick(existing);
      table.rows.delete(gridKeyText(table, before));
      emit(table, 'd', before, null, 'false', lsn, lastCommit);
    } else {
      // A primary-key change: Debezium sends a delete of the old key and a create of the new one, at one LSN.
      const before = pick(existing);
      const fresh = newRow(table);
      const after = { ...before, ...Object.fromEntries(table.keyColumns.map((c) => [c, fresh[c]])) };
      table.rows.delete(gridKeyText(table, before));
      table.rows.set(gridKeyText(table, after), after);
      emit(table, 'd', before, null, 'false', lsn, lastCommit);
      emit(table, 'c', null, after, 'false', lsn, lastCommit);
    }
  }
  return { records, finalState: new Map(tables.map((t) => [t.name, t.rows])) };
}

/**
 * The records as a source delivers them at least once: every record in
 * order, with a few exact duplicates right after the original (a sink that
 * sent twice) and a few rewinds that send a stretch again from an earlier
 * record onward (a consumer that restarted before it committed).
 */
export function deliverWithDuplicates(records: readonly HistoryRecord[], seed: number): HistoryRecord[] {
  const random = prng(seed);
  const out: HistoryRecord[] = [];
  for (let i = 0; i < records.length; i++) {
    out.push(records[i]!);
    if (random() < 0.05) out.push(records[i]!);
    if (random() < 0.01 && i > 10) {
      const from = i - 1 - Math.floor(random() * Math.min(i, 50));
      for (let j = from; j <= i; j++) out.push(records[j]!);
    }
  }
  return out;
}

/** A record as a line of the file source's NDJSON (`{"topic","key","value"}`, value and key as embedded JSON). */
export function ndjsonLine(record: HistoryRecord): string {
  return `{"topic":${JSON.stringify(record.topic)},"key":${record.key ?? 'null'},"value":${record.value ?? 'null'}}`;
}
