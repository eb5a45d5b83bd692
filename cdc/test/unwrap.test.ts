import { describe, expect, it } from 'vitest';
import { decodeRecord, describeTable } from '../src/index.js';
import { expectKind } from './support/fixtures.js';

const key = '{"id":1}';

describe('rows flattened by ExtractNewRecordState', () => {
  it('read the added fields as the envelope they stand for, and drop them from the row', () => {
    const value =
      '{"id":1,"name":"x","__op":"u","__table":"customers","__db":"postgres","__schema":"inventory","__lsn":24023128,"__source_ts_ms":1559033904863,"__ts_ms":1559033904900,"__connector":"postgresql","__name":"dbserver1","__snapshot":"false"}';
    const event = expectKind(decodeRecord({ key, value, topic: 'dbserver1.inventory.customers' }), 'upsert');
    expect(event).toMatchObject({
      shape: 'unwrapped',
      op: 'u',
      table: { db: 'postgres', schema: 'inventory', table: 'customers' },
      key: { id: 1 },
      row: { id: 1, name: 'x' },
      snapshot: 'false',
      tsMs: 1559033904900,
      topic: 'dbserver1.inventory.customers',
    });
    expect(Object.keys(event.row)).toEqual(['id', 'name']);
    expect(event.position).toEqual({ kind: 'postgres', server: 'dbserver1', lsn: 24023128n, commitLsn: null, snapshot: false });
    expect(event.source).toMatchObject({ ts_ms: 1559033904863, lsn: 24023128, table: 'customers' });
  });

  it('tell the connector by the coordinates present when __connector was not added', () => {
    const mysql = expectKind(decodeRecord({ key, value: '{"id":1,"__file":"mysql-bin.000003","__pos":154,"__row":1,"__name":"m"}' }), 'upsert');
    expect(mysql.position).toEqual({ kind: 'mysql', server: 'm', file: 'mysql-bin.000003', pos: 154, row: 1, gtid: null, snapshot: false });
    const byTime = expectKind(decodeRecord({ key, value: '{"id":1,"__source_ts_ms":5}' }), 'upsert');
    expect(byTime.position).toEqual({ kind: 'timestamp', server: '', tsMs: 5, snapshot: false });
  });

  it('mark a snapshot read as such', () => {
    const event = expectKind(decodeRecord({ key, value: '{"id":1,"__op":"r","__lsn":10}' }), 'upsert');
    expect(event).toMatchObject({ op: 'r', position: { kind: 'postgres', snapshot: true } });
  });

  it.each([
    ['{"id":1,"name":"x","__deleted":"true"}', 'delete'],
    ['{"id":1,"name":"x","__deleted":true}', 'delete'],
    ['{"id":1,"name":"x","__op":"d"}', 'delete'],
    ['{"id":1,"name":"x","__deleted":"false","__op":"c"}', 'upsert'],
  ] as const)('%s is a %s', (value, kind) => {
    const event = decodeRecord({ key, value });
    expect(event.kind).toBe(kind);
    if (event.kind === 'delete') expect(event.before).toEqual({ id: 1, name: 'x' });
  });

  it('use the prefix configured for add.fields', () => {
    const event = expectKind(decodeRecord({ key, value: '{"id":1,"cdc_op":"c","cdc_table":"t"}' }, { unwrapFieldPrefix: 'cdc_' }), 'upsert');
    expect(event).toMatchObject({ op: 'c', table: { table: 't' }, row: { id: 1 } });
  });

  it('decode semantic types with a schema and leave the added fields out of it', () => {
    const schema = {
      type: 'struct',
      name: 'dbserver1.inventory.products.Value',
      fields: [
        { type: 'int32', optional: false, field: 'id' },
        { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '4', 'connect.decimal.precision': '19' }, field: 'price' },
        { type: 'string', optional: true, field: '__deleted' },
      ],
    };
    const value = JSON.stringify({ schema, payload: { id: 1, price: 'dzWUAA==', __deleted: 'true' } });
    const keyWithSchema = '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"name":"dbserver1.inventory.products.Key"},"payload":{"id":1}}';
    const event = expectKind(decodeRecord({ key: keyWithSchema, value }), 'delete');
    expect(event.before).toEqual({ id: 1, price: '200000.0000' });
    expect(describeTable(event.rowSchema!, event.keySchema)).toMatchObject({
      columns: [{ name: 'id' }, { name: 'price', sqlType: 'DECIMAL(19,4)' }],
      primaryKey: ['id'],
    });
  });
});
