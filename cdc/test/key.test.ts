import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../src/index.js';
import { expectKind } from './support/fixtures.js';

describe('keys', () => {
  it('composite keys keep every column, decoded by their schema', () => {
    const key = JSON.stringify({
      schema: {
        type: 'struct',
        name: 'pg.public.t.Key',
        fields: [
          { type: 'string', optional: false, field: 'tenant' },
          { type: 'int64', optional: false, field: 'id' },
          { type: 'int32', optional: false, name: 'io.debezium.time.Date', field: 'day' },
        ],
      },
      payload: { tenant: 't1', id: 7, day: 18086 },
    });
    const event = expectKind(decodeRecord({ key, value: '{"tenant":"t1","id":7,"day":18086,"v":1}' }), 'upsert');
    expect(event.key).toEqual({ tenant: 't1', id: 7, day: '2019-07-09' });
    expect(event.keySchema?.fields.map((f) => f.name)).toEqual(['tenant', 'id', 'day']);
  });

  it('a key without schema passes as it is, and a missing key is null', () => {
    expect(expectKind(decodeRecord({ key: '{"b":2,"a":1}', value: '{"a":1,"b":2}' }), 'upsert').key).toEqual({ a: 1, b: 2 });
    expect(expectKind(decodeRecord({ value: '{"a":1}' }), 'upsert').key).toBeNull();
  });
});
