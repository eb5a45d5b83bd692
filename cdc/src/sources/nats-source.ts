import { AckPolicy, DeliverPolicy, connect, nanos, type Consumer, type JsMsg, type NatsConnection } from 'nats';
import { PullingSource, type Fetched } from '../ingest/pulling-source.js';

export interface NatsSourceOptions {
  /** `host:port` of NATS servers. */
  readonly servers: readonly string[];
  readonly stream: string;
  /** The durable consumer's name: its acknowledged position survives restarts. */
  readonly consumer: string;
  /** Only subjects matching this (e.g. `dbserver1.inventory.*`), when set. */
  readonly filterSubject: string | null;
  /** How long a delivered message may stay unacknowledged before JetStream delivers it again. */
  readonly ackWaitMs: number;
  readonly batchSize: number;
  /** How long one fetch waits for messages. */
  readonly fetchWaitMs: number;
}

/**
 * A JetStream durable pull consumer (created when missing, explicit acks),
 * as Debezium Server's NATS JetStream sink fills a stream: one event value
 * per message, on the subject named like the topic. Each message is acked
 * (and the ack confirmed) only after its batch was applied; after a crash
 * the unacked ones come again once `ackWaitMs` has passed. The transport
 * carries no record key: name key columns with `--key`.
 */
export class NatsSource extends PullingSource {
  readonly description: string;
  private connection: NatsConnection | undefined;
  private consumer: Consumer | undefined;

  constructor(private readonly options: NatsSourceOptions) {
    super();
    this.description = `nats ${options.servers.join(',')} stream ${options.stream} consumer ${options.consumer}`;
  }

  protected async open(): Promise<void> {
    const o = this.options;
    this.connection = await connect({ servers: [...o.servers], name: `shoal-cdc ${o.consumer}`, maxReconnectAttempts: -1 });
    const manager = await this.connection.jetstreamManager();
    const exists = await manager.consumers.info(o.stream, o.consumer).then(
      () => true,
      (err: unknown) => {
        if ((err as { code?: string }).code === '404') return false;
        throw err;
      },
    );
    if (!exists) {
      await manager.consumers.add(o.stream, {
        durable_name: o.consumer,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(o.ackWaitMs),
        ...(o.filterSubject === null ? {} : { filter_subject: o.filterSubject }),
      });
    }
    this.consumer = await this.connection.jetstream().consumers.get(o.stream, o.consumer);
  }

  protected async fetch(): Promise<Fetched> {
    const messages: JsMsg[] = [];
    const fetched = await this.consumer!.fetch({ max_messages: this.options.batchSize, expires: this.options.fetchWaitMs });
    for await (const message of fetched) messages.push(message);
    if (messages.length === 0) return 'idle';
    return {
      records: messages.map((m) => ({ key: null, value: m.data, topic: m.subject, offset: `stream sequence ${m.seq}` })),
      commit: async () => {
        await Promise.all(messages.map((m) => m.ackAck()));
      },
    };
  }

  protected async close(): Promise<void> {
    await this.connection?.close();
  }
}
