import { Redis } from 'ioredis';
import { boundedAfterAbort } from '../ingest/abortable.js';
import { PullingSource, type Fetched } from '../ingest/pulling-source.js';
import type { SourceRecord } from '../ingest/source.js';

/** How Debezium Server's Redis sink lays out a stream entry (`debezium.sink.redis.message.format`). */
export type RedisEntryFormat = 'compact' | 'extended' | 'auto';

export interface RedisSourceOptions {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly password: string | null;
  /** Stream names (Debezium's destinations: the topic names). */
  readonly streams: readonly string[];
  readonly group: string;
  /** Keep it the same across restarts: entries delivered but not acknowledged are read again by this name. */
  readonly consumer: string;
  readonly format: RedisEntryFormat;
  /** What the sink wrote for a null key / null value (`null.key`, `null.value`; both "default"). */
  readonly nullKey: string;
  readonly nullValue: string;
  readonly batchSize: number;
  readonly blockMs: number;
  /** How long, after `stop`, acknowledging the batch in flight and quitting may take before the connection is dropped (default 5 s). */
  readonly stopGraceMs?: number;
}

type StreamReply = [stream: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * Redis Streams as Debezium Server's Redis sink writes them: one stream per
 * destination, one entry per record, in the compact format (one field: the
 * key's JSON → the value's JSON) or the extended one (fields `key` and
 * `value`, then the headers). A consumer group (created at the start of the
 * streams when missing) reads them; entries are XACKed only after their
 * batch was applied. On start it first reads the entries this consumer was
 * given and did not acknowledge (a crash), then new ones.
 *
 * Commands wait out a Redis outage (they are retried on reconnection), but
 * `stop` does not: a read in progress is abandoned at once, acknowledging
 * the batch in flight and quitting get `stopGraceMs`, then the connection is
 * dropped. Entries left unacknowledged are read again on the next start.
 */
export class RedisSource extends PullingSource {
  readonly description: string;
  private client: Redis | undefined;
  private pendingFirst = true;

  constructor(private readonly options: RedisSourceOptions) {
    super();
    this.description = `redis ${options.host}:${options.port}/${options.db} streams ${options.streams.join(',')} group ${options.group} consumer ${options.consumer}`;
  }

  protected async open(): Promise<void> {
    const o = this.options;
    this.client = new Redis({ host: o.host, port: o.port, db: o.db, ...(o.password === null ? {} : { password: o.password }), lazyConnect: true, maxRetriesPerRequest: null });
    // A failed `open` is closed by `PullingSource.start`.
    await this.client.connect();
    for (const stream of o.streams) {
      await this.client.xgroup('CREATE', stream, o.group, '0', 'MKSTREAM').catch((err: unknown) => {
        if (!String((err as Error).message).startsWith('BUSYGROUP')) throw err;
      });
    }
  }

  /** XACK would wait behind a blocking XREADGROUP on this connection, and a read of pending entries would return the batch in flight again. */
  protected override get fetchesWhileApplying(): boolean {
    return false;
  }

  protected async fetch(): Promise<Fetched> {
    const o = this.options;
    const ids = o.streams.map(() => (this.pendingFirst ? '0' : '>'));
    const args = ['GROUP', o.group, o.consumer, 'COUNT', String(o.batchSize)];
    if (!this.pendingFirst) args.push('BLOCK', String(o.blockMs));
    const reply = (await boundedAfterAbort(this.client!.call('XREADGROUP', ...args, 'STREAMS', ...o.streams, ...ids), this.stopSignal, 0, 'XREADGROUP')) as StreamReply;
    const acks = new Map<string, string[]>();
    const records: SourceRecord[] = [];
    for (const [stream, entries] of reply ?? []) {
      for (const [id, fields] of entries) {
        if (fields === null) continue; // an entry deleted while pending: nothing to read, acknowledge it
        records.push(this.recordOf(stream, id, fields));
      }
      acks.set(stream, entries.map(([id]) => id));
    }
    const total = [...acks.values()].reduce((n, list) => n + list.length, 0);
    if (total === 0) {
      if (this.pendingFirst) this.pendingFirst = false;
      return 'idle';
    }
    return { records, commit: () => this.acknowledge(acks) };
  }

  private recordOf(stream: string, id: string, fields: string[]): SourceRecord {
    const o = this.options;
    const extended = o.format === 'extended' || (o.format === 'auto' && fields.length > 2);
    let key: string | null;
    let value: string | null;
    if (extended) {
      const at = (name: string) => {
        const i = fields.findIndex((f, n) => n % 2 === 0 && f === name);
        return i < 0 ? null : (fields[i + 1] ?? null);
      };
      key = at('key');
      value = at('value');
    } else {
      key = fields[0] ?? null;
      value = fields[1] ?? null;
    }
    return { key: key === o.nullKey ? null : key, value: value === o.nullValue ? null : value, topic: stream, offset: `${stream} ${id}` };
  }

  private async acknowledge(acks: ReadonlyMap<string, string[]>): Promise<void> {
    const pipeline = this.client!.pipeline();
    for (const [stream, ids] of acks) if (ids.length > 0) pipeline.xack(stream, this.options.group, ...ids);
    const results = (await boundedAfterAbort(pipeline.exec(), this.stopSignal, this.stopGraceMs, 'XACK')) ?? [];
    for (const [err] of results) if (err) throw err;
  }

  private get stopGraceMs(): number {
    return this.options.stopGraceMs ?? 5_000;
  }

  /** Quits when connected (bounded by `stopGraceMs`), and drops the connection in any case: no reconnecting after close. */
  protected async close(): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    if (client.status === 'ready') {
      const gone = new AbortController();
      gone.abort();
      await boundedAfterAbort(client.quit(), gone.signal, this.stopGraceMs, 'QUIT').catch(() => undefined);
    }
    client.disconnect();
  }
}
