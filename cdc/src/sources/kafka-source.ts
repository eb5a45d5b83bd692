import { Kafka, logLevel, type Consumer, type EachBatchPayload } from 'kafkajs';
import type { BatchHandler, Source, SourceRecord } from '../ingest/source.js';

/** How often a batch being applied heartbeats: below kafkajs' default heartbeatInterval (3 s), far below sessionTimeout (30 s). */
const HEARTBEAT_EVERY_MS = 1_000;

export interface KafkaSourceOptions {
  readonly brokers: readonly string[];
  readonly topics: readonly string[];
  readonly groupId: string;
  readonly clientId: string;
  /** Where a group without committed offsets starts: the beginning (default) or only new records. */
  readonly fromBeginning: boolean;
  readonly batchSize: number;
}

/**
 * A kafkajs consumer group, a thin adapter over the shared loop: each
 * partition's fetched batch is cut into batches of `batchSize`, handed to the
 * handler in order, and its offset committed (and resolved) only after the
 * handler applied it. Auto-commit is off. While the handler runs (retrying
 * through a grid outage, for as long as it lasts) the consumer heartbeats,
 * so the group does not evict it. A handler failure stops the consumer and
 * fails `done`.
 */
export class KafkaSource implements Source {
  readonly description: string;
  readonly done: Promise<void>;
  private consumer: Consumer | undefined;
  private readonly stopping = new AbortController();
  private settle!: { resolve: () => void; reject: (err: unknown) => void };
  private stopped = false;

  constructor(private readonly options: KafkaSourceOptions) {
    this.description = `kafka ${options.brokers.join(',')} topics ${options.topics.join(',')} group ${options.groupId}`;
    this.done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined);
  }

  async start(handler: BatchHandler): Promise<void> {
    const o = this.options;
    const kafka = new Kafka({ clientId: o.clientId, brokers: [...o.brokers], logLevel: logLevel.WARN });
    const consumer = kafka.consumer({ groupId: o.groupId });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [...o.topics], fromBeginning: o.fromBeginning });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) void this.finish(payload.error);
    });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.eachBatch(payload, handler) });
  }

  private async eachBatch(payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    for (let start = 0; start < batch.messages.length; start += this.options.batchSize) {
      if (!isRunning() || isStale() || this.stopping.signal.aborted) return;
      const messages = batch.messages.slice(start, start + this.options.batchSize);
      const records: SourceRecord[] = messages.map((m) => ({ key: m.key, value: m.value, topic, offset: `${topic}/${partition}@${m.offset}` }));
      const last = messages.at(-1)!.offset;
      const commit = async () => {
        await this.consumer!.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
        resolveOffset(last);
      };
      // While the handler waits out a grid outage, keep the group session alive (kafkajs throttles to heartbeatInterval).
      const beating = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_EVERY_MS);
      try {
        await handler({ records, commit }, this.stopping.signal);
      } catch (err) {
        if (!this.stopping.signal.aborted) void this.finish(err);
        return;
      } finally {
        clearInterval(beating);
      }
      await heartbeat();
    }
  }

  async stop(): Promise<void> {
    await this.finish(null);
    await this.done.catch(() => undefined);
  }

  private async finish(error: unknown): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopping.abort(new Error('the source is stopping'));
    await this.consumer?.disconnect().catch(() => undefined);
    if (error === null) this.settle.resolve();
    else this.settle.reject(error);
  }
}
