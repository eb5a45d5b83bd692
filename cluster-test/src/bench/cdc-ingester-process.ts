import { join } from 'node:path';
import { CLI_PATH, freePort } from '../harness/index.js';
import { CDC_TABLE } from './cdc-events.js';
import { ManagedProcess } from './managed-process.js';
import { waitUntil } from './wait-until.js';

/**
 * `shoal cdc` as an operator runs it behind Debezium Server's HTTP sink:
 * its own process, an HTTP source on a free port, the products table keyed
 * by `id` (HTTP carries no record key), dead letters to a file.
 */
export class CdcIngesterProcess {
  private constructor(
    readonly url: string,
    readonly process: ManagedProcess,
  ) {}

  static async start(gridEndpoint: string, dir: string): Promise<CdcIngesterProcess> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/events`;
    const args = [
      CLI_PATH,
      'cdc',
      '--source',
      url,
      '--endpoints',
      gridEndpoint,
      '--key',
      `${CDC_TABLE}=id`,
      '--dead-letter',
      `file:${join(dir, 'dead-letters.ndjson')}`,
      '--metrics',
      'off',
      '--log-level',
      'warn',
    ];
    const child = new ManagedProcess('shoal cdc', process.execPath, args);
    await waitUntil({
      what: `shoal cdc on port ${port}`,
      timeoutMs: 20_000,
      probe: async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200,
      abort: () => child.exitDescription,
      failure: (reason) => new Error(`shoal cdc did not start (${reason})\n--- its last output ---\n${child.output.last()}`),
    });
    return new CdcIngesterProcess(url, child);
  }

  /** Its exit, if it died, with its last output. */
  get failure(): string | undefined {
    const exit = this.process.exitDescription;
    return exit === undefined ? undefined : `shoal cdc ${exit}; its last output:\n${this.process.output.last()}`;
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }
}
