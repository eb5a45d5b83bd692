import { connect } from 'node:net';
import { freePort } from '../harness/free-port.js';
import { ManagedProcess } from './managed-process.js';
import { ensureRedisServer, redisServerVersion } from './redis-binary.js';
import { waitUntil } from './wait-until.js';

/** A redis-server child process, without persistence, on a free port. */
export class RedisServerProcess {
  private constructor(
    readonly port: number,
    readonly version: string,
    readonly process: ManagedProcess,
  ) {}

  static async start(timeoutMs = 20_000): Promise<RedisServerProcess> {
    const binary = ensureRedisServer();
    const version = redisServerVersion(binary);
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = new ManagedProcess('redis-server', binary, args);
    await waitUntil({
      what: `redis-server on port ${port}`,
      timeoutMs,
      probe: () => answersPing(port),
      abort: () => child.exitDescription,
      failure: (reason) => new Error(`redis-server did not start (${reason}): ${binary} ${args.join(' ')}\n--- its last output ---\n${child.output.last()}`),
    });
    return new RedisServerProcess(port, version, child);
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }
}

/** True if a raw `PING` on a fresh connection gets `+PONG`. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
