import { Redis } from 'ioredis';
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
    await this.client.connect();
    for (const stream of o.streams) {
      await this.client.xgroup('CREATE', stream, o.group, '0', 'MKSTREAM').catch((err: unknown) => {
        if (!String((err as Error).message).startsWith('BUSYGROUP')) throw err;
      });
    }
  }

  protected async fetch(): Promise<Fetched> {
    const o = this.options;
    const ids = o.streams.map(() => (this.pendingFirst ? '0' : '>'));
    const args = ['GROUP', o.group, o.consumer, 'COUNT', String(o.batchSize)];
    if (!this.pendingFirst) args.push('BLOCK', String(o.blockMs));
    const reply = (await this.client!.call('XREADGROUP', ...args, 'STREAMS', ...o.streams, ...ids)) as StreamReply;
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
    const results = (await pipeline.exec()) ?? [];
    for (const [err] of results) if (err) throw err;
  }

  protected async close(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
  }
}
