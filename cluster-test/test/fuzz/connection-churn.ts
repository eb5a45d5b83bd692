import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { type Socket, connect } from 'node:net';
import { Opcode } from '@shoal/client/protocol';
import { AttackConnection } from './attack-connection.js';
import { helloBytes, requestsBytes } from './frame-templates.js';
import type { FuzzTarget } from './fuzz-target.js';
import { concat } from './msgpack-writer.js';
import type { Rng } from './prng.js';

/**
 * Connections opened and dropped at every point: during the HTTP upgrade, in
 * the middle of a WebSocket frame header or payload, between fragments, right
 * after a request without reading the answer. None may hurt the node or leak
 * a session.
 */

/** One client WebSocket frame (masked, as a client must send it). */
function wsFrame(rng: Rng, opcode: number, payload: Uint8Array, fin = true): Uint8Array {
  const mask = rng.bytes(4);
  const length = payload.length;
  const head =
    length < 126
      ? Uint8Array.from([(fin ? 0x80 : 0) | opcode, 0x80 | length])
      : length < 65_536
        ? Uint8Array.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, length >> 8, length & 0xff])
        : concat(Uint8Array.from([(fin ? 0x80 : 0) | opcode, 0x80 | 127]), bigEndian64(length));
  const masked = payload.map((b, i) => b ^ mask[i % 4]!);
  return concat(head, mask, masked);
}

function bigEndian64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

function upgradeRequest(endpoint: string): string {
  return [
    'GET / HTTP/1.1',
    `Host: ${endpoint}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${cryptoRandomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

/** A TCP connection that has completed the WebSocket upgrade by hand (or undefined if the node refused it). */
async function rawUpgraded(endpoint: string): Promise<Socket | undefined> {
  const [host, port] = endpoint.split(':') as [string, string];
  const socket = connect(Number(port), host);
  socket.on('error', () => undefined);
  socket.write(upgradeRequest(endpoint));
  return new Promise((resolve) => {
    let seen = '';
    const timer = setTimeout(() => resolve(undefined), 5_000);
    socket.on('data', function onData(chunk: Buffer) {
      seen += chunk.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(seen.startsWith('HTTP/1.1 101') ? socket : undefined);
    });
    socket.on('close', () => resolve(undefined));
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One connection dropped somewhere; returns what it did. */
async function churnOne(target: FuzzTarget, rng: Rng, i: number): Promise<string> {
  const endpoint = target.endpoint;
  const hello = helloBytes(`churn-${i}`);
  const put = requestsBytes([[i, Opcode.Put, 'churn', Uint8Array.from([0xa1, 0x6b]), Uint8Array.from([0x01])]]);
  switch (rng.int(7)) {
    case 0: {
      // Half an HTTP upgrade request.
      const [host, port] = endpoint.split(':') as [string, string];
      const socket = connect(Number(port), host);
      socket.on('error', () => undefined);
      const request = upgradeRequest(endpoint);
      socket.write(request.slice(0, rng.int(request.length)));
      await pause(rng.int(5));
      socket.destroy();
      return 'half an upgrade request';
    }
    case 1:
    case 2: {
      // Upgraded, maybe a hello, then part of a frame (header, extended length, mask or payload).
      const socket = await rawUpgraded(endpoint);
      if (!socket) return 'upgrade refused';
      let sent = '';
      if (rng.chance(0.6)) {
        socket.write(wsFrame(rng, 0x2, hello));
        sent = 'hello, ';
      }
      const payload = rng.chance(0.5) ? put : rng.bytes(rng.pick([10, 200, 70_000]));
      const frame = wsFrame(rng, rng.chance(0.9) ? 0x2 : 0x1, payload);
      const cut = rng.between(1, frame.length - 1);
      socket.write(frame.subarray(0, cut));
      await pause(rng.int(5));
      if (rng.chance(0.5)) socket.destroy();
      else socket.end();
      return `${sent}${cut} of ${frame.length} frame bytes`;
    }
    case 3: {
      // A fragmented message that never gets its last fragment.
      const connection = await AttackConnection.open(endpoint);
      if (rng.chance(0.7)) connection.send({ binary: hello });
      connection.socket.send(put.subarray(0, 5), { binary: true, fin: false });
      await pause(rng.int(5));
      connection.terminate();
      return 'first fragment only';
    }
    case 4: {
      // A request, and gone before the answer.
      const connection = await AttackConnection.open(endpoint);
      connection.send({ binary: hello });
      connection.send({ binary: put });
      connection.terminate();
      return 'request without reading the answer';
    }
    case 5: {
      // Opened and closed politely, or dropped, without a word.
      const connection = await AttackConnection.open(endpoint);
      if (rng.chance(0.5)) connection.socket.close(1000);
      else connection.terminate();
      return 'silent';
    }
    default: {
      // Many frames in a burst, then a drop mid-burst.
      const connection = await AttackConnection.open(endpoint);
      connection.send({ binary: hello });
      for (let n = rng.between(1, 50); n > 0; n--) connection.send({ binary: put });
      await pause(rng.int(3));
      connection.terminate();
      return 'burst then drop';
    }
  }
}

/**
 * Opens and drops `count` connections, `parallel` at a time; then checks that
 * the node let go of them all and still serves a new one.
 */
export async function churnConnections(target: FuzzTarget, rng: Rng, count: number, parallel = 25): Promise<Record<string, number>> {
  const baseline = await target.connectionCount();
  const tally: Record<string, number> = {};
  for (let start = 0; start < count; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, j) => churnOne(target, rng.fork(`churn#${start + j}`), start + j));
    for (const what of await Promise.all(batch)) {
      const kind = what.replace(/\d+/g, 'N');
      tally[kind] = (tally[kind] ?? 0) + 1;
    }
  }
  const deadline = Date.now() + 10_000;
  let open = await target.connectionCount();
  while (open > baseline && Date.now() < deadline) {
    await pause(100);
    open = await target.connectionCount();
  }
  if (open > baseline) throw new Error(`${open - baseline} dropped connections still hold a session 10 s later (baseline ${baseline}, now ${open})`);
  const probe = await AttackConnection.open(target.endpoint);
  probe.send({ binary: helloBytes('after-churn') });
  probe.send({ binary: requestsBytes([[1, Opcode.Ping]]) });
  const welcome = await probe.next(3_000);
  const answer = await probe.next(3_000);
  probe.terminate();
  if (welcome?.type !== 'message' || answer?.type !== 'message') throw new Error(`a fresh connection after the churn got ${welcome?.type} then ${answer?.type}`);
  return tally;
}
