import { describe, expect, it } from 'vitest';
import { Connection } from '../src/connection.js';
import { ErrorCode, Opcode } from '../src/protocol/index.js';
import { RequestIds } from '../src/request-ids.js';
import { ManualClock } from './support/manual-clock.js';
import { ScriptedTransport } from './support/scripted-transport.js';

function setup(requestTimeoutMs = 1_000) {
  const clock = new ManualClock();
  const transport = new ScriptedTransport();
  const connection = new Connection({
    endpoints: ['a:1', 'b:2'],
    transport,
    clock,
    authToken: 'tok',
    clientName: 'test',
    requestTimeoutMs,
    reconnect: { initialDelayMs: 100, maxDelayMs: 1_000 },
  });
  const peer = transport.last;
  peer.open();
  peer.welcome();
  return { clock, transport, connection, peer };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Connection', () => {
  it('sends a hello with the version and token first', () => {
    const { peer } = setup();
    expect(peer.received[0]).toMatchObject({ kind: 'hello', authToken: 'tok', clientName: 'test' });
  });

  it('coalesces requests issued in the same tick into one frame', async () => {
    const { connection, peer } = setup();
    const results = Array.from({ length: 50 }, (_, i) => connection.request(Opcode.Ping, [i]));
    expect(peer.requestFrames()).toHaveLength(0);
    await tick();
    expect(peer.requestFrames()).toHaveLength(1);
    peer.answerAll((request) => request[2]);
    expect(await Promise.all(results)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('sends a large burst in frames of 64 as it grows, the rest at the end of the tick', async () => {
    const { connection, peer } = setup();
    const results = Array.from({ length: 100 }, (_, i) => connection.request(Opcode.Ping, [i]));
    expect(peer.requestFrames()).toHaveLength(1);
    await tick();
    expect(peer.requestFrames().map((f) => (f.kind === 'requests' ? f.requests.length : 0))).toEqual([64, 36]);
    peer.answerAll((request) => request[2]);
    expect(await Promise.all(results)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('rejects a request past its deadline with TIMEOUT and ignores the late answer', async () => {
    const { connection, peer, clock } = setup(1_000);
    const pending = connection.request(Opcode.Get, ['c', new Uint8Array([1])]);
    await tick();
    clock.advance(1_500);
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.Timeout, retryable: true });
    expect(() => peer.answerAll(() => 'late')).not.toThrow();
  });

  it('rejects requests in flight with CONNECTION_CLOSED when the channel drops, then reconnects with backoff', async () => {
    const { connection, transport, peer, clock } = setup(10_000);
    const inFlight = connection.request(Opcode.Ping, []);
    await tick();
    peer.drop();
    await expect(inFlight).rejects.toMatchObject({ code: ErrorCode.ConnectionClosed });
    expect(transport.peers).toHaveLength(1);
    clock.advance(1_000);
    expect(transport.peers).toHaveLength(2);
    expect(transport.last.endpoint).toBe('b:2');
    const queued = connection.request(Opcode.Ping, ['after']);
    transport.last.open();
    transport.last.welcome('n2');
    await tick();
    transport.last.answerAll((request) => request[2]);
    expect(await queued).toBe('after');
  });

  it('sends requests made while disconnected once the handshake completes', async () => {
    const { connection, transport, peer, clock } = setup(10_000);
    peer.drop();
    const queued = connection.request(Opcode.Ping, ['queued']);
    clock.advance(1_000);
    transport.last.open();
    await tick();
    expect(transport.last.requestFrames()).toHaveLength(0);
    transport.last.welcome();
    await tick();
    transport.last.answerAll((request) => request[2]);
    expect(await queued).toBe('queued');
  });

  it('closes for good on UNAUTHORIZED, rejecting what waits', async () => {
    const clock = new ManualClock();
    const transport = new ScriptedTransport();
    const connection = new Connection({
      endpoints: ['a:1'],
      transport,
      clock,
      authToken: 'wrong',
      clientName: 't',
      requestTimeoutMs: 1_000,
      reconnect: { initialDelayMs: 10, maxDelayMs: 10 },
    });
    const ready = connection.whenReady();
    transport.last.open();
    transport.last.deliver({ kind: 'fatal', code: ErrorCode.Unauthorized, message: 'wrong token' });
    await expect(ready).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
    clock.advance(1_000);
    expect(transport.peers).toHaveLength(1);
    await expect(connection.request(Opcode.Ping, [])).rejects.toMatchObject({ code: ErrorCode.ConnectionClosed });
  });

  it('rejects everything pending on close and stops its timers', async () => {
    const { connection, clock } = setup();
    const pending = [connection.request(Opcode.Ping, []), connection.request(Opcode.Ping, [])];
    connection.close();
    for (const p of pending) await expect(p).rejects.toMatchObject({ code: ErrorCode.ConnectionClosed });
    expect(clock.pendingTimers).toBe(0);
  });

  it('maps error responses to typed errors with their code', async () => {
    const { connection, peer } = setup();
    const pending = connection.request(Opcode.Get, ['nope', new Uint8Array([1])]);
    await tick();
    const frame = peer.received.at(-1);
    if (frame?.kind !== 'requests') throw new Error('expected a requests frame');
    peer.deliver({ kind: 'responses', responses: [[frame.requests[0]![0] as number, 1, ErrorCode.CacheNotFound, 'no cache']] });
    await expect(pending).rejects.toMatchObject({ name: 'CacheNotFoundError', code: 'CACHE_NOT_FOUND', message: 'no cache' });
  });

  it('fails requests in flight with CONNECTION_CLOSED when the node sends a Fatal, keeping the reason as cause', async () => {
    const { connection, peer } = setup(10_000);
    const inFlight = connection.request(Opcode.Ping, []);
    await tick();
    peer.deliver({ kind: 'fatal', code: ErrorCode.BadRequest, message: 'malformed frame' });
    const error = await inFlight.then(
      () => undefined,
      (err: unknown) => err as Error & { code: string },
    );
    expect(error?.code).toBe(ErrorCode.ConnectionClosed);
    let reason: unknown = error;
    while (reason instanceof Error && (reason as { code?: string }).code !== ErrorCode.BadRequest) reason = reason.cause;
    expect((reason as { code?: string } | undefined)?.code).toBe(ErrorCode.BadRequest);
  });

  it('counts a transport that throws on connect as a failed attempt and tries again', () => {
    const clock = new ManualClock();
    const transport = new ScriptedTransport();
    let attempts = 0;
    const flaky = {
      connect: (endpoint: string, handlers: Parameters<ScriptedTransport['connect']>[1]) => {
        attempts++;
        if (attempts === 1) throw new Error('cannot resolve');
        return transport.connect(endpoint, handlers);
      },
    };
    const connection = new Connection({
      endpoints: ['a:1'],
      transport: flaky,
      clock,
      authToken: null,
      clientName: 't',
      requestTimeoutMs: 1_000,
      reconnect: { initialDelayMs: 10, maxDelayMs: 10 },
    });
    clock.advance(100);
    expect(attempts).toBe(2);
    connection.close();
  });
});

describe('Connection options a router uses', () => {
  function routed(failQueuedOnDisconnect: boolean) {
    const clock = new ManualClock();
    const transport = new ScriptedTransport();
    const ids = new RequestIds();
    const epochs: number[] = [];
    const options = {
      transport,
      clock,
      authToken: null,
      clientName: 't',
      requestTimeoutMs: 1_000,
      reconnect: { initialDelayMs: 100, maxDelayMs: 100 },
      clientId: 'c0ffee',
      ids,
      failQueuedOnDisconnect,
      onMapEpoch: (epoch: number) => epochs.push(epoch),
    };
    const first = new Connection({ ...options, endpoints: ['a:1'] });
    const second = new Connection({ ...options, endpoints: ['b:2'] });
    return { clock, transport, first, second, epochs };
  }

  it('says hello with the client id, shares the id counter, and reports map epochs', async () => {
    const { transport, first, second, epochs } = routed(false);
    for (const peer of transport.peers) {
      peer.open();
      peer.welcome();
    }
    expect(transport.peers[0]!.received[0]).toMatchObject({ kind: 'hello', clientId: 'c0ffee' });
    const results = [first.request(Opcode.Ping, []), second.request(Opcode.Ping, []), first.request(Opcode.Ping, [])];
    await tick();
    const ids = transport.peers.flatMap((peer) => peer.requestFrames().flatMap((f) => (f.kind === 'requests' ? f.requests.map((r) => r[0]) : [])));
    expect(ids.sort()).toEqual([1, 2, 3]);
    const [a] = transport.peers;
    const [id] = ids;
    a!.deliver({ kind: 'responses', responses: [[id as number, 0, null]], mapEpoch: 7 });
    expect(epochs).toEqual([7]);
    first.close();
    second.close();
    await Promise.allSettled(results);
  });

  it('a retry keeps the id and deadline it is given', async () => {
    const { transport, clock, first, second } = routed(false);
    transport.peers[0]!.open();
    transport.peers[0]!.welcome();
    const pending = first.request(Opcode.Get, ['c', new Uint8Array([1])], 1, { id: 42, deadline: 300 });
    await tick();
    const frame = transport.peers[0]!.requestFrames()[0];
    expect(frame?.kind === 'requests' && frame.requests[0]![0]).toBe(42);
    clock.advance(600);
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.Timeout });
    first.close();
    second.close();
  });

  it('with failQueuedOnDisconnect, a failed connection attempt fails what is queued with CONNECTION_CLOSED', async () => {
    const { transport, first, second } = routed(true);
    const queued = first.request(Opcode.Ping, []);
    transport.peers[0]!.drop();
    await expect(queued).rejects.toMatchObject({ code: ErrorCode.ConnectionClosed });
    first.close();
    second.close();
  });
});
