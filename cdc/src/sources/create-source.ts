import type { Logger } from 'pino';
import type { Source } from '../ingest/source.js';
import { FileSource } from './file-source.js';
import { HttpSource } from './http-source.js';
import { KafkaSource } from './kafka-source.js';
import { NatsSource } from './nats-source.js';
import { RedisSource } from './redis-source.js';
import type { SourceSpec } from './source-spec.js';

export interface SourceSettings {
  readonly batchSize: number;
  readonly log: Logger;
}

/** The source a spec describes. */
export function createSource(spec: SourceSpec, settings: SourceSettings): Source {
  const { batchSize, log } = settings;
  switch (spec.kind) {
    case 'file':
      return new FileSource({ path: spec.path, checkpointPath: spec.checkpoint, batchSize, ...(spec.maxLineBytes === undefined ? {} : { maxLineBytes: spec.maxLineBytes }) });
    case 'http':
      return new HttpSource({ host: spec.host, port: spec.port, path: spec.path, applyTimeoutMs: spec.applyTimeoutMs, maxBodyBytes: 64 * 1024 * 1024, log });
    case 'kafka':
      return new KafkaSource({ brokers: spec.brokers, topics: spec.topics, groupId: spec.groupId, clientId: 'shoal-cdc', fromBeginning: spec.fromBeginning, batchSize });
    case 'nats':
      return new NatsSource({ ...spec, batchSize, fetchWaitMs: 1_000 });
    case 'redis':
      return new RedisSource({ ...spec, batchSize, blockMs: 1_000 });
  }
}
