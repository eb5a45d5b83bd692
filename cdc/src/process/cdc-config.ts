import type { CacheConfig } from '@shoal/client';
import type { MySqlVersionForm } from '../apply/position-version.js';
import type { SchemasMode } from '../decode/index.js';
import type { MappingRules } from '../mapping/mapping-rules.js';
import type { SourceSpec } from '../sources/source-spec.js';

/** Where dead letters go: an NDJSON file, or a grid cache. */
export type DeadLetterSpec = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'cache'; readonly cache: string };

/** Everything `shoal cdc` runs with. */
export interface CdcConfig {
  readonly source: SourceSpec;
  readonly endpoints: readonly string[];
  readonly authToken: string | null;
  readonly rules: MappingRules;
  readonly deadLetter: DeadLetterSpec;
  /** The ingester's own `/metrics` and `/healthz`; port 0 picks a free one. */
  readonly metrics: { readonly host: string; readonly port: number } | null;
  readonly batchSize: number;
  readonly schemas: SchemasMode;
  readonly unwrapFieldPrefix: string;
  readonly mysqlVersion: MySqlVersionForm;
  /** Layout of the caches the ingester creates. */
  readonly cacheConfig: CacheConfig;
  readonly progressIntervalMs: number;
  readonly logLevel: string;
}
