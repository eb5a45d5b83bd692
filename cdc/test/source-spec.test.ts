import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CdcConfigError, parseSourceSpec, recordFromLine, valuesFromBody } from '../src/index.js';
import { LineReader } from '../src/sources/line-reader.js';

describe('--source', () => {
  it('reads every kind of source', () => {
    expect(parseSourceSpec('file:/tmp/in.ndjson')).toEqual({ kind: 'file', path: '/tmp/in.ndjson', checkpoint: '/tmp/in.ndjson.checkpoint' });
    expect(parseSourceSpec('file:in.ndjson?checkpoint=cp.json')).toEqual({ kind: 'file', path: 'in.ndjson', checkpoint: 'cp.json' });
    expect(parseSourceSpec('-')).toEqual({ kind: 'file', path: null, checkpoint: null });
    expect(parseSourceSpec('stdin:?checkpoint=cp')).toEqual({ kind: 'file', path: null, checkpoint: 'cp' });
    expect(parseSourceSpec('http://0.0.0.0:8083/events')).toEqual({ kind: 'http', host: '0.0.0.0', port: 8083, path: '/events', applyTimeoutMs: 10_000 });
    expect(parseSourceSpec('kafka://k1:9092,k2:9092/a.b.c,d?group=g&fromBeginning=false')).toEqual({
      kind: 'kafka',
      brokers: ['k1:9092', 'k2:9092'],
      topics: ['a.b.c', 'd'],
      groupId: 'g',
      fromBeginning: false,
    });
    expect(parseSourceSpec('nats://127.0.0.1:4222/DebeziumStream?consumer=c1&subject=pg.>&ackWaitMs=5000')).toEqual({
      kind: 'nats',
      servers: ['127.0.0.1:4222'],
      stream: 'DebeziumStream',
      consumer: 'c1',
      filterSubject: 'pg.>',
      ackWaitMs: 5000,
    });
    expect(parseSourceSpec('redis://:pw@127.0.0.1:6390/pg.public.a,pg.public.b?group=g&format=extended&db=2')).toMatchObject({
      kind: 'redis',
      host: '127.0.0.1',
      port: 6390,
      db: 2,
      password: 'pw',
      streams: ['pg.public.a', 'pg.public.b'],
      group: 'g',
      consumer: 'g',
      format: 'extended',
      nullKey: 'default',
      nullValue: 'default',
    });
  });

  it('refuses what it cannot read with a CdcConfigError that lists the accepted forms', () => {
    for (const bad of ['ftp://x/y', 'file:', 'kafka://k1/t', 'kafka://k1:9092/', 'nats://h:1/', 'redis://h:1/', 'redis://h:1/s?format=xml', 'http://h:1/?applyTimeoutMs=0', 'nonsense']) {
      const err = (() => {
        try {
          parseSourceSpec(bad);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err, bad).toBeInstanceOf(CdcConfigError);
    }
  });
});

describe('records in text', () => {
  it('an NDJSON line is a {topic,key,value} record or else a value, numbers kept digit for digit', () => {
    expect(recordFromLine('{"topic":"t","key":{"id":9007199254740993},"value":{"op":"c","n":1.10}}')).toEqual({
      topic: 't',
      key: '{"id":9007199254740993}',
      value: '{"op":"c","n":1.10}',
    });
    expect(recordFromLine('{"key":"{\\"id\\":1}","value":null}')).toEqual({ topic: null, key: '{"id":1}', value: null });
    const plain = '{"before":null,"after":{"value":1},"op":"c"}';
    expect(recordFromLine(plain)).toEqual({ topic: null, key: null, value: plain });
    expect(recordFromLine('{"value": oops')).toEqual({ topic: null, key: null, value: '{"value": oops' });
  });

  it('an HTTP body is one value, or a batch-mode array of values (objects or JSON text)', () => {
    expect(valuesFromBody('{"op":"c"}')).toEqual(['{"op":"c"}']);
    expect(valuesFromBody('[{"op":"c","lsn":18446744073709551615},"{\\"op\\":\\"d\\"}",null]')).toEqual(['{"op":"c","lsn":18446744073709551615}', '{"op":"d"}', null]);
    expect(valuesFromBody('[not json')).toEqual(['[not json']);
  });

  it('lines keep exact byte offsets across chunks, CRLF and a last line without a break', async () => {
    const reader = new LineReader(Readable.from([Buffer.from('ä1\r\n2'), Buffer.from('2\n\n3')]), 0, 0);
    const lines = [];
    for (let line = await reader.next(); line !== null; line = await reader.next()) lines.push(line);
    expect(lines.map(({ text, bytes, number, end }) => ({ text, bytes: bytes.toString('utf8'), number, end }))).toEqual([
      { text: 'ä1', bytes: 'ä1', number: 1, end: 5 },
      { text: '22', bytes: '22', number: 2, end: 8 },
      { text: '', bytes: '', number: 3, end: 9 },
      { text: '3', bytes: '3', number: 4, end: 10 },
    ]);
  });
});
