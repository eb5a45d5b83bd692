import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../src/index.js';
import { expectKind } from './support/fixtures.js';

describe('events that are not rows', () => {
  it('a heartbeat, with or without schema', () => {
    expect(decodeRecord({ key: '{"serverName":"dbserver1"}', value: '{"ts_ms":1588252618953}', topic: '__debezium-heartbeat.dbserver1' })).toEqual({
      kind: 'heartbeat',
      topic: '__debezium-heartbeat.dbserver1',
      tsMs: 1588252618953,
      serverName: 'dbserver1',
    });
    const value = '{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"ts_ms"}],"name":"io.debezium.connector.common.Heartbeat"},"payload":{"ts_ms":1}}';
    const key = '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"serverName"}],"name":"io.debezium.connector.common.ServerNameKey"},"payload":{"serverName":"s"}}';
    expect(decodeRecord({ key, value })).toMatchObject({ kind: 'heartbeat', tsMs: 1, serverName: 's' });
  });

  it('a truncate', () => {
    const value = '{"before":null,"after":null,"source":{"connector":"postgresql","name":"pg","ts_ms":1,"snapshot":"false","db":"d","schema":"s","table":"t","lsn":77},"op":"t","ts_ms":2}';
    expect(decodeRecord({ value })).toMatchObject({
      kind: 'truncate',
      table: { db: 'd', schema: 's', table: 't' },
      position: { kind: 'postgres', lsn: 77n },
      snapshot: 'false',
      tsMs: 2,
    });
  });

  it('a message with schemas', () => {
    const value = JSON.stringify({
      schema: { type: 'struct', name: 'pg.message.Envelope', fields: [] },
      payload: { op: 'm', ts_ms: 1, source: { connector: 'postgresql', name: 'pg', ts_ms: 1, db: 'd', schema: '', table: '', lsn: 5, txId: null }, message: { prefix: 'p', content: 'aGk=' } },
    });
    const event = expectKind(decodeRecord({ value }), 'message');
    expect(Buffer.from(event.content).toString()).toBe('hi');
  });
});
