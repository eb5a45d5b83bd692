import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { BatchHandler, Source, SourceRecord } from '../ingest/source.js';
import { requestTarget } from '../ingest/request-target.js';
import { bodyValues } from './body-values.js';

export interface HttpSourceOptions {
  readonly host: string;
  readonly port: number;
  /** The path Debezium posts to (`debezium.sink.http.url`); other paths answer 404. Default `/`. */
  readonly path: string;
  /** How long a request may wait for an unavailable grid before it is answered 503 (default 10 s). */
  readonly applyTimeoutMs: number;
  /** Largest body accepted, in bytes (default 64 MiB). */
  readonly maxBodyBytes: number;
  readonly log: Logger;
}

/** Thrown inside a request for a body too large: answered 413. */
class BodyTooLarge extends Error {}

/**
 * An endpoint for Debezium Server's HTTP sink: it POSTs one event value per
 * request, or (`debezium.sink.http.batch.enabled=true`) a JSON array of
 * them. The answer is 200 only after the events were applied and committed;
 * an event that cannot be decoded goes to the dead-letter sink and the
 * request still succeeds. While the grid is unavailable the request waits
 * up to `applyTimeoutMs`, then gets 503 and Debezium sends it again. A
 * failure that retrying cannot cure (anything but the deadline or a stop:
 * e.g. the grid refusing to create a cache) is answered 503 too, and fails
 * the source: `done` rejects and `shoal cdc` exits 1.
 * Requests are applied one at a time, in arrival order. The transport
 * carries no record key: name key columns with `--key`. A `topic` query
 * parameter, when the URL has one, is the records' topic.
 */
export class HttpSource implements Source {
  readonly description: string;
  readonly done: Promise<void>;
  private server: Server | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly stopping = new AbortController();
  private settle!: { resolve: () => void; reject: (err: unknown) => void };

  constructor(private readonly options: HttpSourceOptions) {
    this.description = `http ${options.host}:${options.port}${options.path}`;
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    // `done` may be awaited only through `stop`; never leave its rejection unhandled.
    this.done.catch(() => undefined);
  }

  /** `host:port` the server listens on (the real port when 0 was asked). */
  get address(): string {
    const { address, port } = this.server!.address() as AddressInfo;
    return `${address}:${port}`;
  }

  async start(handler: BatchHandler): Promise<void> {
    const server = createServer((request, response) => {
      this.serve(request, response, handler).catch((err: unknown) => {
        this.options.log.error({ err }, 'an HTTP request failed');
        try {
          if (response.headersSent) response.destroy();
          else reply(response, 500, { error: 'internal error' });
        } catch {
          response.destroy();
        }
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error('the source is stopping'));
    const server = this.server;
    if (server !== undefined) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await this.queue.catch(() => undefined);
      server.closeAllConnections();
      await closed;
    }
    this.settle.resolve();
  }

  /** A batch failed in a way retrying cannot cure: stop taking requests and fail `done`. */
  private fail(err: unknown): void {
    if (this.stopping.signal.aborted) return;
    this.options.log.error({ err }, 'a POSTed batch failed for good; the HTTP source stops');
    this.stopping.abort(new Error('the source failed'));
    this.settle.reject(err);
  }

  private async serve(request: IncomingMessage, response: ServerResponse, handler: BatchHandler): Promise<void> {
    const url = requestTarget(request.url);
    if (url === null) return reply(response, 400, { error: 'bad request target' });
    if (request.method === 'GET' && url.path === '/healthz') return reply(response, 200, { ok: true });
    if (url.path !== this.options.path) return reply(response, 404, { error: `not found: POST events to ${this.options.path}` });
    if (request.method !== 'POST') return reply(response, 405, { error: 'POST events here' });
    if (this.stopping.signal.aborted) return reply(response, 503, { error: 'the ingester is stopping' });
    let body: Buffer;
    try {
      body = await readBody(request, this.options.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) return reply(response, 413, { error: `the body is larger than ${this.options.maxBodyBytes} bytes` });
      return reply(response, 400, { error: `cannot read the body: ${(err as Error).message}` });
    }
    const records = this.recordsOf(body, url.query.get('topic'));
    const { applied, answered } = this.enqueue(records, handler);
    this.queue = applied.catch(() => undefined);
    try {
      await answered;
      reply(response, 200, { records: records.length });
    } catch (err) {
      this.options.log.warn({ err }, 'a POSTed batch was not applied; answering 503 so that Debezium sends it again');
      reply(response, 503, { error: `not applied: ${(err as Error).message}` });
    }
  }

  /**
   * Runs after every earlier request's batch, so that batches apply in
   * arrival order. The answer does not wait past the deadline: a batch still
   * trying then is answered 503 and may yet apply, which its retry finds as
   * no-ops.
   */
  private enqueue(records: SourceRecord[], handler: BatchHandler): { applied: Promise<void>; answered: Promise<void> } {
    const applied = this.queue.then(async () => {
      let committed = false;
      const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.options.applyTimeoutMs)]);
      try {
        await handler({ records, commit: async () => void (committed = true) }, signal);
      } catch (err) {
        // Past the deadline or stopping, the batch may be sent again; anything else will fail again.
        if (!signal.aborted) this.fail(err);
        throw err;
      }
      if (!committed) throw new Error('the batch was not committed');
    });
    const deadline = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new Error(`the grid did not take the batch within ${this.options.applyTimeoutMs} ms`)), this.options.applyTimeoutMs);
      applied.finally(() => clearTimeout(timer)).catch(() => undefined);
    });
    return { applied, answered: Promise.race([applied, deadline]) };
  }

  private recordsOf(body: Buffer, topic: string | null): SourceRecord[] {
    // Hashing a 10 MB body costs as much as decoding a tenth of it; only a dead letter or a log line reads an offset.
    let digest: string | undefined;
    const digestOf = () => (digest ??= createHash('sha256').update(body).digest('hex').slice(0, 16));
    return bodyValues(body).map((v, i) => new BodyRecord(v.value, topic, i, digestOf));
  }
}

/** One event of a POSTed body. A class: an object literal with a getter cost V8 about a microsecond a record. */
class BodyRecord implements SourceRecord {
  readonly key = null;

  constructor(
    readonly value: Uint8Array | string | null,
    readonly topic: string | null,
    private readonly index: number,
    private readonly digestOf: () => string,
  ) {}

  get offset(): string {
    return `body ${this.digestOf()} item ${this.index}`;
  }
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function reply(response: ServerResponse, status: number, body: object): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
