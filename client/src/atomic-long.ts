import type { Invoker } from './invoker.js';
import { BadRequestError } from './protocol/errors.js';
import { Opcode } from './protocol/opcodes.js';

/**
 * A distributed counter, created at 0 on first use. Values are exact integers
 * within ±(2^53 − 1); an operation that would leave that range fails with `OVERFLOW`.
 * @example const orders = grid.atomicLong('orders'); await orders.incrementAndGet()
 */
export class AtomicLong {
  constructor(
    readonly name: string,
    private readonly invoker: Invoker,
  ) {}

  /** The current value. */
  async get(): Promise<number> {
    return (await this.invoker.invoke(Opcode.AtomicGet, [this.name])) as number;
  }

  /** Sets the value. */
  async set(value: number): Promise<void> {
    await this.invoker.invoke(Opcode.AtomicSet, [this.name, checked(value, 'value')]);
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
    return (await this.invoker.invoke(Opcode.AtomicAddAndGet, [this.name, checked(delta, 'delta')])) as number;
  }

  /** Adds `delta` and returns the previous value. */
  async getAndAdd(delta: number): Promise<number> {
    return (await this.invoker.invoke(Opcode.AtomicGetAndAdd, [this.name, checked(delta, 'delta')])) as number;
  }

  /** Adds one and returns the previous value. */
  getAndIncrement(): Promise<number> {
    return this.getAndAdd(1);
  }

  /** Sets `value` if the current value is `expected`; true if it did. */
  async compareAndSet(expected: number, value: number): Promise<boolean> {
    const args = [this.name, checked(expected, 'expected'), checked(value, 'value')];
    return (await this.invoker.invoke(Opcode.AtomicCompareAndSet, args)) as boolean;
  }
}

function checked(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new BadRequestError(`${what} must be a safe integer, got ${String(n)}`);
  return n;
}
