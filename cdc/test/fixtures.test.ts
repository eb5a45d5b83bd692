import { describe, expect, it } from 'vitest';
import {
  CdcDecodeError,
  compareSourcePositions,
  decodeKey,
  decodeRecord,
  describeTable,
  isAppliedKind,
  parseJsonText,
  type DecodedEvent,
} from '../src/index.js';
import { decodeFixture, expectKind, fixtureNames, fixtureText } from './support/fixtures.js';

const customer1004 = { id: 1004, first_name: 'Anne', last_name: 'Kretchmar', email: 'annek@noanswer.org' };
const inventoryCustomers = { db: 'inventory', schema: null, table: 'customers' };

function keyOf(name: string) {
  return decodeKey(parseJsonText(fixtureText(name)), 'auto', undefined);
}

/** What each file in shared/debezium must decode to; the last test checks that none is left out. */
const checks: Record<string, () => void> = {
  'mysql-create-noschema.json': () => {
    const event = expectKind(decodeFixture('mysql-create-noschema.json'), 'upsert');
    expect(event).toMatchObject({ shape: 'envelope', op: 'c', table: inventoryCustomers, row: customer1004, snapshot: 'false', tsMs: 1465491411815 });
    expect(event.rowSchema).toBeNull();
    expect(event.position).toEqual({ kind: 'mysql', server: 'mysql-server-1', file: 'mysql-bin.000003', pos: 154, row: 0, gtid: null, snapshot: false });
  },

  'mysql-create-schema.json': () => {
    const withSchema = expectKind(decodeFixture('mysql-create-schema.json'), 'upsert');
    const without = expectKind(decodeFixture('mysql-create-noschema.json'), 'upsert');
    expect(withSchema.row).toEqual(without.row);
    expect(withSchema.position).toEqual(without.position);
    expect(withSchema.snapshot).toBe('false');
    expect(withSchema.rowSchema?.name).toBe('mysql-server-1.inventory.customers.Value');
    expect(describeTable(withSchema.rowSchema!, null).columns.map((c) => [c.name, c.sqlType, c.optional])).toEqual([
      ['id', 'INT', false],
      ['first_name', 'VARCHAR', false],
      ['last_name', 'VARCHAR', false],
      ['email', 'VARCHAR', false],
    ]);
  },

  'mysql-key-schema.json': () => {
    const { key, schema } = keyOf('mysql-key-schema.json');
    expect(key).toEqual({ id: 1001 });
    expect(schema?.fields.map((f) => f.name)).toEqual(['id']);
  },

  'mysql-read-snapshot-noschema-3.0.1.json': () => {
    const event = expectKind(decodeFixture('mysql-read-snapshot-noschema-3.0.1.json'), 'upsert');
    expect(event).toMatchObject({ op: 'r', snapshot: 'true', table: inventoryCustomers, row: customer1004, tsMs: 1731327512006, transaction: null });
    expect(event.position).toEqual({ kind: 'mysql', server: 'wasm', file: 'mysql-bin.000003', pos: 797, row: 0, gtid: null, snapshot: true });
    expect(event.source['ts_ns']).toBe(1731327511000000000n);
  },

  'mysql-schema-change-key.json': () => {
    const { key, schema } = keyOf('mysql-schema-change-key.json');
    expect(key).toEqual({ databaseName: 'inventory' });
    expect(schema?.name).toBe('io.debezium.connector.{context}.SchemaChangeKey');
  },

  'mysql-schema-change.json': () => {
    const event = expectKind(decodeFixture('mysql-schema-change.json', { key: 'mysql-schema-change-key.json' }), 'schema-change');
    expect(event).toMatchObject({
      databaseName: 'inventory',
      schemaName: null,
      ddl: 'ALTER TABLE customers ADD middle_name varchar(255) AFTER first_name',
      table: inventoryCustomers,
      tsMs: 1651535750218,
    });
    // The connector is the placeholder "{context}", not a connector whose coordinates we know: ts_ms orders it.
    expect(event.position).toEqual({ kind: 'timestamp', server: '{context}', tsMs: 1651535750218, snapshot: false });
    expect(event.source['file']).toBe('{context}-bin.000003');
    const asMySql = decodeRecord({ value: fixtureText('mysql-schema-change.json').replace('"connector": "{context}"', '"connector": "mysql"') });
    expect(expectKind(asMySql, 'schema-change').position).toEqual({
      kind: 'mysql',
      server: '{context}',
      file: '{context}-bin.000003',
      pos: 570,
      row: 0,
      gtid: null,
      snapshot: false,
    });
    expect(event.source['version']).toBe('{debezium-version}');
    expect(event.tableChanges).toHaveLength(1);
    expect(event.tableChanges[0]).toMatchObject({ type: 'ALTER', table: { primaryKeyColumnNames: ['id'] } });
    expect(isAppliedKind(event)).toBe(false);
  },

  'mysql-transaction-metadata-begin.json': () => {
    expect(decodeFixture('mysql-transaction-metadata-begin.json')).toEqual({
      kind: 'transaction',
      topic: null,
      status: 'BEGIN',
      id: '0e4d5dcd-a33b-11ea-80f1-02010a22a99e:10',
      tsMs: 1486500577125,
      eventCount: null,
      dataCollections: null,
    });
  },

  'mysql-transaction-metadata-end.json': () => {
    expect(decodeFixture('mysql-transaction-metadata-end.json')).toMatchObject({
      kind: 'transaction',
      status: 'END',
      id: '0e4d5dcd-a33b-11ea-80f1-02010a22a99e:10',
      eventCount: 2,
      dataCollections: [
        { dataCollection: 's1.a', eventCount: 1 },
        { dataCollection: 's2.a', eventCount: 1 },
      ],
    });
  },

  'mysql-unwrapped-after.json': () => {
    const event = expectKind(decodeFixture('mysql-unwrapped-after.json', { key: 'mysql-key-schema.json' }), 'upsert');
    expect(event).toMatchObject({ shape: 'unwrapped', op: null, table: null, row: customer1004, key: { id: 1001 }, position: { kind: 'none' } });
  },

  'mysql-update-noschema-3.0.1.json': () => {
    const update = expectKind(decodeFixture('mysql-update-noschema-3.0.1.json'), 'upsert');
    expect(update).toMatchObject({ op: 'u', snapshot: 'false', row: { id: 1001, first_name: 'Sarah' } });
    expect(update.position).toEqual({ kind: 'mysql', server: 'wasm', file: 'mysql-bin.000003', pos: 1041, row: 0, gtid: null, snapshot: false });
    const read = expectKind(decodeFixture('mysql-read-snapshot-noschema-3.0.1.json'), 'upsert');
    expect(compareSourcePositions(update.position, read.position)).toBe('newer');
  },

  'mysql-update-noschema-extra-column.json': () => {
    const event = expectKind(decodeFixture('mysql-update-noschema-extra-column.json'), 'upsert');
    expect(event.row).toEqual({ ...customer1004, middle_name: 'L' });
  },

  'mysql-update-noschema.json': () => {
    const event = expectKind(decodeFixture('mysql-update-noschema.json'), 'upsert');
    expect(event).toMatchObject({ op: 'u', row: customer1004, table: inventoryCustomers });
  },

  'postgres-create-payload-2.1.4.json': () => {
    const event = expectKind(decodeFixture('postgres-create-payload-2.1.4.json'), 'upsert');
    expect(event).toMatchObject({ op: 'c', snapshot: 'false', table: { db: 'postgres', schema: 'inventory', table: 'customers' }, row: { id: 1005, first_name: 'Bob' } });
    expect(event.position).toEqual({ kind: 'postgres', server: 'dbserver1', lsn: 34466480n, commitLsn: 34442256n, snapshot: false });
  },

  'postgres-create-schema.json': () => {
    const event = expectKind(decodeFixture('postgres-create-schema.json'), 'upsert');
    // The documentation shows snapshot as a boolean; it is read as the string the wire carries.
    expect(event).toMatchObject({ op: 'c', snapshot: 'true', table: { db: 'postgres', schema: 'public', table: 'customers' }, row: { id: 1, first_name: 'Anne' } });
    expect(event.source['version']).toBe('{debezium-version}');
    expect(event.source['ts_ns']).toBe(1559033904863123000n);
    expect(event.position).toEqual({ kind: 'postgres', server: 'PostgreSQL_server', lsn: 24023128n, commitLsn: 24023119n, snapshot: true });
  },

  'postgres-message-key-noschema.json': () => {
    expect(keyOf('postgres-message-key-noschema.json').key).toEqual({ prefix: 'test-prefix' });
  },

  'postgres-message-noschema.json': () => {
    const event = expectKind(decodeFixture('postgres-message-noschema.json', { key: 'postgres-message-key-noschema.json' }), 'message');
    expect(event.prefix).toBe('test-prefix');
    expect(JSON.parse(Buffer.from(event.content).toString('utf8'))).toEqual({ id: 1, item: 'Debezium in Action', status: 'ENTERED', quantity: 2, totalPrice: 39.98 });
    expect(event.position).toEqual({ kind: 'postgres', server: 'connector-name', lsn: 26997904n, commitLsn: 26997744n, snapshot: false });
    expect(isAppliedKind(event)).toBe(false);
  },

  'postgres-read-snapshot-payload-2.1.3.json': () => {
    const text = fixtureText('postgres-read-snapshot-payload-2.1.3.json');
    const first = expectKind(decodeRecord({ value: text }), 'upsert');
    expect(first).toMatchObject({ op: 'r', snapshot: 'true', row: { id: 1001, first_name: 'Sally' } });
    expect(first.position).toEqual({ kind: 'postgres', server: 'dbserver1', lsn: 33816576n, commitLsn: null, snapshot: true });
    // Every row of the snapshot shares txId and lsn: the position does not order them, and none is stale.
    const second = expectKind(decodeRecord({ value: text.replace('"id":1001', '"id":1002') }), 'upsert');
    expect(compareSourcePositions(second.position, first.position)).toBe('equal');
    const streamed = expectKind(decodeRecord({ value: text.replace('"snapshot":"true"', '"snapshot":"false"').replace('"op":"r"', '"op":"u"') }), 'upsert');
    expect(compareSourcePositions(first.position, streamed.position)).toBe('older');
  },

  'postgres-transaction-metadata-begin.json': () => {
    expect(decodeFixture('postgres-transaction-metadata-begin.json')).toMatchObject({ kind: 'transaction', status: 'BEGIN', id: '571:53195829', eventCount: null });
  },

  'postgres-transaction-metadata-end.json': () => {
    expect(decodeFixture('postgres-transaction-metadata-end.json')).toMatchObject({ kind: 'transaction', status: 'END', id: '571:53195832', eventCount: 2, tsMs: 1486500577691 });
  },

  'sqlserver-delete-schema-redis-doc.json': () => {
    const event = expectKind(decodeFixture('sqlserver-delete-schema-redis-doc.json', { key: 'sqlserver-key-schema-redis-doc.json' }), 'delete');
    expect(event.before).toEqual({
      empno: 11,
      fname: 'Yossi',
      lname: 'Mague',
      job: 'PFE',
      mgr: 1,
      hiredate: '2019-07-09T00:00:00.000Z',
      sal: '200000.0000',
      comm: '10.0000',
      dept: 3,
    });
    expect(new Date(event.before!['hiredate'] as string).toISOString()).toBe(new Date('2019-07-09T00:00:00Z').toISOString());
    expect(event).toMatchObject({ key: { empno: 11 }, table: { db: 'RedisConnect', schema: 'dbo', table: 'emp' }, snapshot: 'false', tsMs: 1637859769370 });
    expect(event.position).toEqual({
      kind: 'sqlserver',
      server: 'redislabs',
      commitLsn: '0000003a:00002f50:0005',
      changeLsn: '0000003a:00002f50:0002',
      eventSerialNo: 1,
      snapshot: false,
    });
    const table = describeTable(event.rowSchema!, event.keySchema);
    expect(table.primaryKey).toEqual(['empno']);
    expect(Object.fromEntries(table.columns.map((c) => [c.name, c.sqlType]))).toEqual({
      empno: 'INT',
      fname: 'VARCHAR',
      lname: 'VARCHAR',
      job: 'VARCHAR',
      mgr: 'INT',
      hiredate: 'TIMESTAMP',
      sal: 'DECIMAL(19,4)',
      comm: 'DECIMAL(19,4)',
      dept: 'INT',
    });
    expect(table.columns.find((c) => c.name === 'sal')).toMatchObject({ type: 'bytes', semanticName: 'org.apache.kafka.connect.data.Decimal', optional: true, precision: 19, scale: 4 });
  },

  'sqlserver-key-schema-redis-doc.json': () => {
    expect(keyOf('sqlserver-key-schema-redis-doc.json').key).toEqual({ empno: 11 });
  },
};

describe('the Debezium events in shared/debezium', () => {
  it.each(Object.keys(checks))('%s decodes as its README says', (name) => {
    checks[name]!();
  });

  it('every file there is checked', () => {
    expect(fixtureNames()).toEqual(Object.keys(checks).sort());
  });

  it('a tombstone is a record whose value is null, and keeps its key', () => {
    for (const value of [null, undefined, '', new Uint8Array(0)]) {
      const event: DecodedEvent = decodeRecord({ key: fixtureText('sqlserver-key-schema-redis-doc.json'), value, topic: 'redislabs.dbo.emp' });
      expect(event).toEqual({ kind: 'tombstone', topic: 'redislabs.dbo.emp', key: { empno: 11 } });
    }
  });

  it('an envelope with a null payload is not a tombstone', () => {
    const error = (() => {
      try {
        decodeRecord({ value: '{"schema":null,"payload":null}' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CdcDecodeError);
    expect(error).toMatchObject({ code: 'UNDECODABLE_EVENT', part: 'value', path: 'payload' });
    expect((error as CdcDecodeError).reason).toMatch(/tombstone is a record whose value is null/);
  });

  it('bytes decode like text', () => {
    const text = fixtureText('sqlserver-delete-schema-redis-doc.json');
    expect(decodeRecord({ value: Buffer.from(text) })).toEqual(decodeRecord({ value: text }));
  });
});
