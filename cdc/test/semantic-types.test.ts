import { describe, expect, it } from 'vitest';
import { CdcDecodeError, decodeRecord, declareColumnTypes, describeTable, parseStructSchema } from '../src/index.js';
import { expectKind } from './support/fixtures.js';
import { decodeColumn, decodeRow, envelopeWithoutSchema, thrown } from './support/events.js';

const plain = (type: string, extra: Record<string, unknown> = {}) => ({ type, optional: true, ...extra });
const named = (type: string, name: string, extra: Record<string, unknown> = {}) => ({ type, optional: true, name, ...extra });

describe('primitive types', () => {
  it('integers: number when exact, bigint past 2^53', () => {
    expect(decodeColumn(plain('int32'), '-2147483648')).toBe(-2147483648);
    expect(decodeColumn(plain('int64'), '9007199254740991')).toBe(9007199254740991);
    expect(decodeColumn(plain('int64'), '9007199254740993')).toBe(9007199254740993n);
    expect(decodeColumn(plain('int64'), '-9223372036854775808')).toBe(-9223372036854775808n);
  });

  it.each([
    ['int8', '128'],
    ['int16', '-32769'],
    ['int32', '2147483648'],
    ['int64', '9223372036854775808'],
    ['int32', '1.5'],
    ['int32', '"1"'],
  ])('refuses %s %s', (type, value) => {
    expect(thrown(() => decodeColumn(plain(type), value))).toBeInstanceOf(CdcDecodeError);
  });

  it('floats, including the non-finite values Jackson writes as strings', () => {
    expect(decodeColumn(plain('float64'), '39.98')).toBe(39.98);
    expect(decodeColumn(plain('float64'), '1.0')).toBe(1);
    expect(decodeColumn(plain('float32'), '1e3')).toBe(1000);
    expect(decodeColumn(plain('float64'), '"NaN"')).toBeNaN();
    expect(decodeColumn(plain('float64'), '"-Infinity"')).toBe(-Infinity);
    expect(thrown(() => decodeColumn(plain('float64'), '"1.5"'))).toBeInstanceOf(CdcDecodeError);
  });

  it('booleans, strings and bytes', () => {
    expect(decodeColumn(plain('boolean'), 'true')).toBe(true);
    expect(thrown(() => decodeColumn(plain('boolean'), '"true"'))).toBeInstanceOf(CdcDecodeError);
    expect(decodeColumn(plain('string'), '"{debezium-version}"')).toBe('{debezium-version}');
    expect(decodeColumn(plain('bytes'), '"AAEC/w=="')).toEqual(Uint8Array.from([0, 1, 2, 255]));
    expect(decodeColumn(named('bytes', 'io.debezium.data.Bits'), '"BQ=="')).toEqual(Uint8Array.from([5]));
  });

  it('null: null when optional, the default when required and defaulted, refused otherwise', () => {
    expect(decodeColumn(plain('int32'), 'null')).toBeNull();
    expect(decodeColumn({ type: 'string', optional: false, default: 'none' }, 'null')).toBe('none');
    const error = thrown(() => decodeColumn({ type: 'string', optional: false }, 'null'));
    expect(error).toMatchObject({ code: 'UNDECODABLE_EVENT', path: 'payload.after.c' });
    expect((error as CdcDecodeError).reason).toMatch(/null for a required field/);
  });
});

describe('Debezium semantic types', () => {
  it('Json is the parsed document, with big integers kept', () => {
    expect(decodeColumn(named('string', 'io.debezium.data.Json'), JSON.stringify('{"a":[1,2.5,"x"],"b":null}'))).toEqual({ a: [1, 2.5, 'x'], b: null });
    expect(decodeColumn(named('string', 'io.debezium.data.Json'), JSON.stringify('{"id":12345678901234567890}'))).toEqual({ id: 12345678901234567890n });
    expect(decodeColumn(named('string', 'io.debezium.data.Json'), JSON.stringify('"text"'))).toBe('text');
    expect((thrown(() => decodeColumn(named('string', 'io.debezium.data.Json'), JSON.stringify('{oops'))) as CdcDecodeError).reason).toMatch(/invalid JSON/);
  });

  it('Uuid is checked and kept as sent', () => {
    expect(decodeColumn(named('string', 'io.debezium.data.Uuid'), '"0E4D5DCD-a33b-11ea-80f1-02010a22a99e"')).toBe('0E4D5DCD-a33b-11ea-80f1-02010a22a99e');
    expect(thrown(() => decodeColumn(named('string', 'io.debezium.data.Uuid'), '"not-a-uuid"'))).toBeInstanceOf(CdcDecodeError);
  });

  it('Enum and EnumSet are their strings, whatever the allowed list says', () => {
    expect(decodeColumn(named('string', 'io.debezium.data.Enum', { parameters: { allowed: 'a,b' } }), '"c"')).toBe('c');
    expect(decodeColumn(named('string', 'io.debezium.data.EnumSet', { parameters: { allowed: 'a,b' } }), '"a,b"')).toBe('a,b');
  });

  it('nested structs, arrays and maps decode their parts', () => {
    const geometry = named('struct', 'io.debezium.data.geometry.Point', {
      fields: [
        { type: 'float64', field: 'x' },
        { type: 'bytes', field: 'wkb' },
        { type: 'int32', optional: true, field: 'srid' },
      ],
    });
    expect(decodeColumn(geometry, '{"x":1.5,"wkb":"AQ==","srid":null}')).toEqual({ x: 1.5, wkb: Uint8Array.from([1]), srid: null });
    expect(decodeColumn(plain('array', { items: named('int32', 'io.debezium.time.Date') }), '[0,1]')).toEqual(['1970-01-01', '1970-01-02']);
    const map = plain('map', { keys: { type: 'string' }, values: { type: 'int64' } });
    expect(decodeColumn(map, '{"a":1,"b":9007199254740993}')).toEqual({ a: 1, b: 9007199254740993n });
    expect(decodeColumn(plain('map', { keys: { type: 'int32' }, values: { type: 'string' } }), '[[1,"x"]]')).toEqual([[1, 'x']]);
  });

  it('an unknown semantic name decodes by its type', () => {
    expect(decodeColumn(named('int32', 'io.debezium.time.Year'), '2024')).toBe(2024);
    expect(decodeColumn(named('string', 'com.example.Custom'), '"x"')).toBe('x');
  });

  it('a whole row decodes every column by its own schema', () => {
    expect(
      decodeRow({
        id: { schema: { type: 'int64', optional: false }, value: '9007199254740993' },
        price: { schema: named('bytes', 'org.apache.kafka.connect.data.Decimal', { parameters: { scale: '2' } }), value: '"MDk="' },
        at: { schema: named('int64', 'io.debezium.time.MicroTimestamp'), value: '1700000000123456' },
        day: { schema: named('int32', 'io.debezium.time.Date'), value: '19723' },
      }),
    ).toEqual({ id: 9007199254740993n, price: '123.45', at: '2023-11-14T22:13:20.123456Z', day: '2024-01-01' });
  });
});

describe('column names an object has already', () => {
  it("a column named toString or __proto__ is the row's own, absent or present", () => {
    const fields = [
      { type: 'int64', optional: false, field: 'id' },
      { type: 'string', optional: true, field: 'toString' },
      { type: 'struct', optional: true, field: '__proto__', fields: [{ type: 'int32', optional: true, field: 'a' }] },
    ];
    const row = { type: 'struct', optional: true, name: 'pg.public.t.Value', fields };
    const schema = { type: 'struct', fields: [{ ...row, field: 'before' }, { ...row, field: 'after' }, { type: 'string', field: 'op' }] };
    const source = '{"connector":"postgresql","name":"pg","ts_ms":1,"db":"d","schema":"public","table":"t","lsn":1}';
    const value = `{"schema":${JSON.stringify(schema)},"payload":{"before":null,"after":{"id":1,"__proto__":{"a":5}},"source":${source},"op":"c"}}`;
    const decoded = expectKind(decodeRecord({ value }), 'upsert').row;
    expect(Reflect.ownKeys(decoded)).toEqual(['id', 'toString', '__proto__']);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(decoded['toString']).toBeNull();
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toEqual({ a: 5 });
  });
});

describe('values without a schema', () => {
  it('pass as they are', () => {
    const event = expectKind(decodeRecord({ value: envelopeWithoutSchema('{"id":9007199254740993,"sal":"dzWUAA==","at":1700000000123456,"x":1.0,"j":{"a":[1]}}') }), 'upsert');
    expect(event.row).toEqual({ id: 9007199254740993n, sal: 'dzWUAA==', at: 1700000000123456, x: 1, j: { a: [1] } });
  });

  it('take the column types the mapping declares', () => {
    const columnTypes = declareColumnTypes({
      sal: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '4' } },
      amount: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: 2 } },
      at: 'io.debezium.time.MicroTimestamp',
      day: 'io.debezium.time.Date',
      doc: 'io.debezium.data.Json',
      big: 'int64',
    });
    const value = envelopeWithoutSchema('{"sal":"dzWUAA==","amount":1.50,"at":1700000000123456,"day":null,"doc":"{\\"k\\":1}","big":5,"other":"as is"}');
    const event = expectKind(decodeRecord({ value }, { columnTypes }), 'upsert');
    expect(event.row).toEqual({ sal: '200000.0000', amount: '1.50', at: '2023-11-14T22:13:20.123456Z', day: null, doc: { k: 1 }, big: 5, other: 'as is' });
  });

  it('look the declared types up by table when given a function', () => {
    const byTable = declareColumnTypes({ sal: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '4' } } });
    const seen: unknown[] = [];
    const event = expectKind(
      decodeRecord({ value: envelopeWithoutSchema('{"sal":"AYag"}'), topic: 'pg.public.t' }, {
        columnTypes: (table, topic) => {
          seen.push([table, topic]);
          return table?.table === 't' ? byTable : undefined;
        },
      }),
      'upsert',
    );
    expect(event.row).toEqual({ sal: '10.0000' });
    expect(seen[0]).toEqual([{ db: 'shop', schema: 'public', table: 't' }, 'pg.public.t']);
  });

  it('refuse bad declarations when they are made, naming the column', () => {
    expect(thrown(() => declareColumnTypes({ sal: 'org.apache.kafka.connect.data.Decimal' }))).toMatchObject({ code: 'INVALID_COLUMN_TYPE', path: 'sal' });
    expect(thrown(() => declareColumnTypes({ x: { type: 'decimal' } }))).toMatchObject({ code: 'INVALID_COLUMN_TYPE', path: 'x' });
    expect(thrown(() => declareColumnTypes({ x: 'nonsense' }))).toMatchObject({ code: 'INVALID_COLUMN_TYPE' });
  });
});

describe('describeTable', () => {
  it('gives each column a SQL type', () => {
    const schema = parseStructSchema(
      {
        type: 'struct',
        fields: [
          { type: 'int8', field: 'a' },
          { type: 'int16', field: 'b' },
          { type: 'int32', field: 'c' },
          { type: 'int64', optional: true, field: 'd' },
          { type: 'float32', field: 'e' },
          { type: 'float64', field: 'f' },
          { type: 'boolean', field: 'g' },
          { type: 'string', field: 'h' },
          { type: 'bytes', field: 'i' },
          { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2', 'connect.decimal.precision': '10' }, field: 'j' },
          { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' }, field: 'k' },
          { type: 'struct', name: 'io.debezium.data.VariableScaleDecimal', fields: [], field: 'l' },
          { type: 'int32', name: 'io.debezium.time.Date', field: 'm' },
          { type: 'int32', name: 'org.apache.kafka.connect.data.Date', field: 'n' },
          { type: 'int64', name: 'io.debezium.time.MicroTime', field: 'o' },
          { type: 'int64', name: 'io.debezium.time.NanoTimestamp', field: 'p' },
          { type: 'string', name: 'io.debezium.time.ZonedTimestamp', field: 'q' },
          { type: 'string', name: 'io.debezium.data.Json', field: 'r' },
          { type: 'string', name: 'io.debezium.data.Uuid', field: 's' },
          { type: 'string', name: 'io.debezium.data.Enum', field: 't' },
          { type: 'array', items: { type: 'string' }, field: 'u' },
        ],
      },
      'schema',
    );
    const key = parseStructSchema({ type: 'struct', fields: [{ type: 'int32', field: 'c' }, { type: 'string', field: 'h' }] }, 'schema');
    const table = describeTable(schema, key);
    expect(table.primaryKey).toEqual(['c', 'h']);
    expect(table.columns.map((c) => c.sqlType)).toEqual([
      'INT', 'INT', 'INT', 'BIGINT', 'DOUBLE', 'DOUBLE', 'BOOLEAN', 'VARCHAR', 'BYTES', 'DECIMAL(10,2)', 'DECIMAL', 'DECIMAL',
      'DATE', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP', 'JSON', 'VARCHAR', 'VARCHAR', 'JSON',
    ]);
    expect(table.columns[3]).toEqual({ name: 'd', type: 'int64', semanticName: null, optional: true, sqlType: 'BIGINT', precision: null, scale: null });
    expect(table.columns[10]).toMatchObject({ precision: null, scale: 2 });
  });
});
