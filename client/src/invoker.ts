import type { Connection } from './connection.js';
import { ShoalError } from './protocol/errors.js';
import type { Opcode } from './protocol/opcodes.js';

/** Sends requests for the SDK's objects; errors come back with the caller's async stack. */
export class Invoker {
  constructor(private readonly connection: Connection) {}

  async invoke(opcode: Opcode, args: readonly unknown[]): Promise<unknown> {
    try {
      return await this.connection.request(opcode, args);
    } catch (err) {
      // The error was made in a socket callback; re-capture it here, in the awaiting chain, so its
      // stack shows the caller's frames (V8 async stack traces).
      if (err instanceof ShoalError) Error.captureStackTrace(err);
      throw err;
    }
  }
}
