import { describe, expect, it } from 'vitest';
import { MAX_HEAD_BYTES, originOf } from '../../src/harness/connection-origin.js';

const origin = (text: string) => originOf(Buffer.from(text, 'latin1'));

describe('originOf', () => {
  it('needs the whole first line', () => {
    expect(origin('')).toBeUndefined();
    expect(origin('GET /peer?from=n2 HTTP/1.1')).toBeUndefined();
    expect(origin('GET /peer?from=n2 HTTP/1.1\r\n')).toEqual({ kind: 'peer', from: 'n2' });
    expect(origin('GET /peer?from=n2 HTTP/1.1\n')).toEqual({ kind: 'peer', from: 'n2' });
  });

  it('reads the node id from /peer?from, decoded, whatever else the query holds', () => {
    expect(origin('GET /peer?x=1&from=node%2D7 HTTP/1.1\r\n')).toEqual({ kind: 'peer', from: 'node-7' });
  });

  it('calls everything else a client', () => {
    for (const line of ['GET / HTTP/1.1', 'GET /status HTTP/1.1', 'GET /?from=n2 HTTP/1.1', 'GET /peer HTTP/1.1', 'GET /peer?from= HTTP/1.1', 'hello', 'GET //[ HTTP/1.1']) {
      expect(origin(`${line}\r\n`), line).toEqual({ kind: 'client' });
    }
  });

  it('gives up waiting for a line end after MAX_HEAD_BYTES: a client', () => {
    expect(origin('x'.repeat(MAX_HEAD_BYTES - 1))).toBeUndefined();
    expect(origin('x'.repeat(MAX_HEAD_BYTES))).toEqual({ kind: 'client' });
  });
});
