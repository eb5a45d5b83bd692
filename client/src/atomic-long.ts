import { encodeKey } from './protocol/codec.js';
import { BadRequestError } from './protocol/errors.js';
import { Opcode } from './protocol/opcodes.js';
import { ATOMIC_LONGS_CACHE } from './protocol/partition-map.js';
import type { Destination, Router } from './router.js';

/**
 * A distributed counter, created at 0 on first use. Values are exact integers
 * within ±(2^53 − 1); an operation that would leave that range fails with `OVERFLOW`.
 * @example const orders = grid.atomicLong('orders'); await orders.incrementAndGet()
 */
export class AtomicLong {
  /** The primary of the counter's key in the atomic longs cache. */
  private readonly destination: Destination;

  constructor(
    readonly name: string,
    private readonly router: Router,
  ) {
    this.destination = destinationOf(name);
  }

  /** The current value. */
  async get(): Promise<number> {
    return (await this.invoke(Opcode.AtomicGet, [this.name])) as number;
  }

  /** Sets the value. */
  async set(value: number): Promise<void> {
    await this.invoke(Opcode.AtomicSet, [this.name, checked(value, 'value')]);
  }

  /** Adds one and returns the new value. */
  incrementAndGet(): Promise<number> {
    return this.addAndGet(1);
  }

  /** Subtracts one and returns the new value. */
  decrementAndGet(): Promise<number> {
    return this.addAndGet(-1);
  }

  /** Adds `delta` and returns the new value. */
  async addAndGet(delta: number): Promise<number> {
    return (await this.invoke(Opcode.AtomicAddAndGet, [this.name, checked(delta, 'delta')])) as number;
  }

  /** Adds `delta` and returns the previous value. */
  async getAndAdd(delta: number): Promise<number> {
    return (await this.invoke(Opcode.AtomicGetAndAdd, [this.name, checked(delta, 'delta')])) as number;
  }

  /** Adds one and returns the previous value. */
  getAndIncrement(): Promise<number> {
    return this.getAndAdd(1);
  }

  /** Sets `value` if the current value is `expected`; true if it did. */
  async compareAndSet(expected: number, value: number): Promise<boolean> {
    const args = [this.name, checked(expected, 'expected'), checked(value, 'value')];
    return (await this.invoke(Opcode.AtomicCompareAndSet, args)) as boolean;
  }

  private invoke(opcode: Opcode, args: readonly unknown[]): Promise<unknown> {
    return this.router.send(this.destination, opcode, args);
  }
}

function destinationOf(name: unknown): Destination {
  try {
    return { kind: 'key', cache: ATOMIC_LONGS_CACHE, keyBytes: encodeKey(name) };
  } catch {
    // Not a name at all: the node answers BAD_REQUEST, from wherever.
    return { kind: 'home' };
  }
}

function checked(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new BadRequestError(`${what} must be a safe integer, got ${String(n)}`);
  return n;
}
