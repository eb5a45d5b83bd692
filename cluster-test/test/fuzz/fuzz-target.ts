import { isDeepStrictEqual } from 'node:util';
import { Shoal } from '@shoal/client';
import { FrameKind, Opcode, encodeKey, encodeValue } from '@shoal/client/protocol';
import { NodeProcess } from '../../src/harness/index.js';
import { AttackConnection } from './attack-connection.js';
import { helloBytes } from './frame-templates.js';
import { pack } from './msgpack-writer.js';
import { describe, readNodeFrame, splitMsgpackArray } from './wire-oracle.js';

export const GUARDED_CACHE = 'guarded';
export const GUARDED_COUNTER = 'guarded-counter';
export const CANARY_CACHE = 'canary';
export const CANARY_COUNTER = 'canary-counter';
/** Names the fuzzed frames must leave alone; the reference model does not track them. */
export const FOREIGN_NAMES: ReadonlySet<string> = new Set([GUARDED_CACHE, GUARDED_COUNTER, CANARY_CACHE, CANARY_COUNTER, 'churn']);

const GUARDED_ENTRIES = 2_000;
const GUARDED_COUNTER_VALUE = 1_234_567_890_124;

export interface FuzzTargetOptions {
  /** `--max-frame-bytes` of the node (default 65536). */
  readonly maxFrameBytes?: number;
  /** V8 heap of the node, in MB: small, so that a memory blow-up fails in a second, not after eating the machine. */
  readonly heapMb?: number;
}

type GuardedKey = string | number | (string | number)[] | { g: number; t: string };

/** The guarded entries: keys, values, and the exact bytes the node must hold for them. */
function guardedEntries(): { key: GuardedKey; value: unknown; keyBytes: Uint8Array; valueBytes: Uint8Array }[] {
  return Array.from({ length: GUARDED_ENTRIES }, (_, i) => {
    const key: GuardedKey = [`g:${i}`, 100_000 + i, ['g', i], { g: i, t: 'x' }][i % 4]!;
    const value: unknown = [
      { i, name: `entry ${i}`, tags: ['a', 'b', String(i % 7)], nested: { ok: i % 2 === 0, score: i / 3 } },
      `value ${i} — ünïcödé 🐟`,
      2n ** 62n + BigInt(i),
      new Date(1_600_000_000_000 + i * 1_000),
      Uint8Array.from({ length: 1 + (i % 40) }, (_, j) => (i + j) & 0xff),
      [i, -i, i * 1.5, null, true, 'x'.repeat(i % 30)],
    ][i % 6];
    return { key, value, keyBytes: encodeKey(key), valueBytes: encodeValue(value) };
  });
}

/** True when `read` (as the SDK returned it) encodes to exactly `bytes` (bins come back as Buffers, so compare encodings). */
function sameValue(read: unknown, bytes: Uint8Array): boolean {
  if (read === undefined) return false;
  try {
    return Buffer.from(encodeValue(read)).equals(Buffer.from(bytes));
  } catch {
    return false;
  }
}

/**
 * A real `shoal node` under attack, with what must survive the attack: a
 * guarded cache and counter written before, a well-behaved SDK client (the
 * canary) that keeps working throughout, and a raw observer connection.
 */
export class FuzzTarget {
  private readonly guarded = guardedEntries();
  private canaryRun: Promise<void> | undefined;
  private canaryStop = false;
  private canaryOps = 0;
  private canaryError: string | undefined;
  private observerId = 1;

  private constructor(
    readonly node: NodeProcess,
    readonly grid: Shoal,
    readonly observer: AttackConnection,
    readonly maxFrameBytes: number,
  ) {}

  static async start(options: FuzzTargetOptions = {}): Promise<FuzzTarget> {
    const maxFrameBytes = options.maxFrameBytes ?? 65_536;
    const node = await NodeProcess.start({
      args: ['--max-frame-bytes', String(maxFrameBytes), '--log-level', 'warn', '--partitions', '64'],
      nodeArgs: [`--max-old-space-size=${options.heapMb ?? 256}`],
    });
    try {
      const grid = await Shoal.connect({ endpoints: [node.endpoint], clientName: 'fuzz-canary', requestTimeoutMs: 10_000 });
      const observer = await AttackConnection.open(node.endpoint);
      observer.send({ binary: helloBytes('fuzz-observer') });
      const welcome = await observer.next(5_000);
      if (welcome?.type !== 'message') throw new Error(`observer got no welcome: ${describe(welcome)}`);
      const target = new FuzzTarget(node, grid, observer, maxFrameBytes);
      await target.writeGuarded();
      return target;
    } catch (err) {
      await node.kill();
      throw err;
    }
  }

  get endpoint(): string {
    return this.node.endpoint;
  }

  private async writeGuarded(): Promise<void> {
    await this.grid.createCache(GUARDED_CACHE, { mode: 'partitioned', backups: 1 });
    await this.grid.createCache(CANARY_CACHE);
    const cache = this.grid.cache<GuardedKey>(GUARDED_CACHE);
    // Batches well under the node's frame limit.
    for (let start = 0; start < this.guarded.length; start += 100) {
      await cache.putAll(this.guarded.slice(start, start + 100).map(({ key, value }) => [key, value] as const));
    }
    const counter = this.grid.atomicLong(GUARDED_COUNTER);
    await counter.addAndGet(GUARDED_COUNTER_VALUE - 1);
    await counter.incrementAndGet();
  }

  /** Runs the canary: SDK puts, gets and increments with checked answers, interleaved with the attack. */
  startCanary(): void {
    const cache = this.grid.cache<string, { i: number; text: string }>(CANARY_CACHE);
    const counter = this.grid.atomicLong(CANARY_COUNTER);
    const guarded = this.grid.cache<GuardedKey>(GUARDED_CACHE);
    this.canaryRun = (async () => {
      let expectedCount = await counter.get();
      for (let i = 0; !this.canaryStop; i++) {
        const key = `c${i % 64}`;
        const value = { i, text: 'y'.repeat(i % 50) };
        await cache.put(key, value);
        const read = await cache.get(key);
        if (!isDeepStrictEqual(read, value)) throw new Error(`canary get(${key}) returned ${describe(read)}, expected ${describe(value)}`);
        const count = await counter.incrementAndGet();
        if (count !== ++expectedCount) throw new Error(`canary counter returned ${count}, expected ${expectedCount}`);
        const spot = this.guarded[(i * 7919) % this.guarded.length]!;
        const spotValue = await guarded.get(spot.key);
        if (!sameValue(spotValue, spot.valueBytes)) throw new Error(`guarded get(${describe(spot.key)}) returned ${describe(spotValue)} during the attack`);
        this.canaryOps++;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })().catch((err: unknown) => {
      this.canaryError = `after ${this.canaryOps} rounds: ${(err as Error).message}`;
    });
  }

  /** Sends requests on the observer and returns the response entries; throws on anything else. */
  async observe(requests: readonly (readonly unknown[])[]): Promise<unknown[][]> {
    const withIds = requests.map((r) => [this.observerId++, ...r.slice(1)]);
    this.observer.send({ binary: pack([FrameKind.Requests, withIds]) });
    const event = await this.observer.next(10_000);
    if (event?.type !== 'message') throw new Error(`observer connection: ${event?.type === 'close' ? `closed (${event.code})` : 'no answer within 10 s'}${this.nodeTrouble() ?? ''}`);
    const frame = readNodeFrame(event.data, event.isBinary);
    if (typeof frame === 'string' || frame.kind !== 'responses') throw new Error(`observer connection got ${describe(frame)}`);
    return frame.entries as unknown[][];
  }

  /** Undefined while the node process runs; else how it ended and its last log lines. */
  nodeTrouble(): string | undefined {
    if (this.node.alive) return undefined;
    return `\nTHE NODE PROCESS DIED (exit code ${this.node.child.exitCode}, signal ${this.node.child.signalCode}). Last log lines:\n${this.node.logs.slice(-3_000)}`;
  }

  /** Stops the canary and checks everything that must have survived; throws listing what did not. */
  async verifySurvived(): Promise<void> {
    this.canaryStop = true;
    await this.canaryRun;
    const problems: string[] = [];
    const trouble = this.nodeTrouble();
    if (trouble) throw new Error(trouble);
    if (this.canaryError) problems.push(`the SDK canary failed ${this.canaryError}`);
    else if (this.canaryOps === 0) problems.push('the SDK canary made no progress during the attack');
    try {
      const health = await fetch(`${this.node.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (health.status !== 200 || (await health.text()).trim() !== 'ok') problems.push(`/healthz answered ${health.status}`);
    } catch (err) {
      problems.push(`/healthz did not answer: ${(err as Error).message}`);
    }
    try {
      problems.push(...(await this.guardedProblems()));
    } catch (err) {
      problems.push(`could not read the guarded data: ${(err as Error).message}`);
    }
    if (problems.length > 0) throw new Error(`after the attack:\n- ${problems.join('\n- ')}${this.nodeTrouble() ?? ''}`);
  }

  /** Byte-for-byte (raw GetAll) and through the SDK (getAll, size, scan, counter). */
  private async guardedProblems(): Promise<string[]> {
    const problems: string[] = [];
    for (let start = 0; start < this.guarded.length; start += 500) {
      const slice = this.guarded.slice(start, start + 500);
      const [entry] = await this.observe([[0, Opcode.GetAll, GUARDED_CACHE, slice.map((e) => e.keyBytes)]]);
      if (entry?.[1] !== 0) {
        problems.push(`raw GetAll of guarded keys failed: ${describe(entry)}`);
        break;
      }
      // GetAll answers a bin holding one msgpack array of the stored value encodings.
      const values = entry[2] instanceof Uint8Array ? splitMsgpackArray(entry[2]) : 'not a bin';
      if (typeof values === 'string') {
        problems.push(`raw GetAll of guarded keys answered ${describe(entry[2])}: ${values}`);
        break;
      }
      slice.forEach((e, i) => {
        const got = values[i];
        if (!(got instanceof Uint8Array) || !Buffer.from(got).equals(Buffer.from(e.valueBytes))) {
          if (problems.length < 10) problems.push(`guarded ${describe(e.key)} holds ${describe(got)}, not the bytes written (${describe(e.valueBytes)})`);
        }
      });
    }
    const cache = this.grid.cache<GuardedKey>(GUARDED_CACHE);
    const size = await cache.size();
    if (size !== this.guarded.length) problems.push(`guarded size is ${size}, expected ${this.guarded.length}`);
    const found = await cache.getAll(this.guarded.map((e) => e.key));
    const wrong = this.guarded.filter((e) => !sameValue(found.get(e.key), e.valueBytes));
    if (wrong.length > 0) problems.push(`${wrong.length} guarded entries read back differently through the SDK, e.g. ${describe(wrong[0]!.key)}`);
    let scanned = 0;
    for await (const _ of cache.entries()) scanned++;
    if (scanned !== this.guarded.length) problems.push(`a scan of guarded found ${scanned} entries`);
    const counter = await this.grid.atomicLong(GUARDED_COUNTER).get();
    if (counter !== GUARDED_COUNTER_VALUE) problems.push(`guarded counter is ${describe(counter)}, expected ${GUARDED_COUNTER_VALUE}`);
    return problems;
  }

  /** Open client sessions, as `GET /status` counts them. */
  async connectionCount(): Promise<number> {
    const response = await fetch(`${this.node.url}/status`, { signal: AbortSignal.timeout(5_000) });
    return ((await response.json()) as { connections: number }).connections;
  }

  async stop(): Promise<void> {
    this.canaryStop = true;
    await this.grid.close().catch(() => undefined);
    this.observer.terminate();
    await this.canaryRun;
    await this.node.stop();
  }
}

/** Starts a target, runs `attack` with the canary going, then checks what must have survived. */
export async function withFuzzTarget(options: FuzzTargetOptions, attack: (target: FuzzTarget) => Promise<void>): Promise<void> {
  const target = await FuzzTarget.start(options);
  try {
    target.startCanary();
    await attack(target);
    await target.verifySurvived();
  } finally {
    await target.stop();
  }
}
