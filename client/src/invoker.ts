import type { Connection } from './connection.js';
import { ShoalError } from './protocol/errors.js';
import type { Opcode } from './protocol/opcodes.js';

/** Sends requests for the SDK's objects; errors come back with the caller's async stack. */
export class Invoker {
  constructor(private readonly connection: Connection) {}

  /** `weight`: how many keys the request carries (1 for single-key operations). */
  invoke(opcode: Opcode, args: readonly unknown[], weight = 1): Promise<unknown> {
    return this.connection.request(opcode, args, weight).catch(withCallerStack);
  }
}

/**
 * The error was made in a socket callback; capturing its stack again here, in
 * the promise chain the caller awaits, makes V8 list the caller's async frames.
 */
function withCallerStack(err: unknown): never {
  if (err instanceof ShoalError) Error.captureStackTrace(err);
  throw err;
}
