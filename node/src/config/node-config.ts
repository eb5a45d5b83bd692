import { DEFAULT_MAX_FRAME_BYTES, DEFAULT_PARTITION_COUNT } from '@shoal/client/protocol';
import { type ClusterTiming, DEFAULT_CLUSTER_TIMING } from '../cluster/cluster-timing.js';

/** Everything a node is started with. */
export interface NodeConfig {
  readonly host: string;
  readonly port: number;
  readonly id: string;
  readonly authToken: string | null;
  readonly partitions: number;
  readonly maxFrameBytes: number;
  readonly logLevel: string;
  /** Members to join through (`host:port`); empty founds a new cluster. */
  readonly seeds: readonly string[];
  readonly clusterSecret: string | null;
  /** The address peers and clients are told; defaults to host:port (the real port when started with 0). */
  readonly advertise: string | null;
  readonly timing: ClusterTiming;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7700;

/** Defaults for what the caller leaves out; the id is random when not given. */
export function nodeConfig(overrides: Partial<NodeConfig> = {}): NodeConfig {
  return {
    host: DEFAULT_HOST,
    port: DEFAULT_PORT,
    id: `node-${Math.random().toString(36).slice(2, 10)}`,
    authToken: null,
    partitions: DEFAULT_PARTITION_COUNT,
    maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
    logLevel: 'info',
    seeds: [],
    clusterSecret: null,
    advertise: null,
    timing: DEFAULT_CLUSTER_TIMING,
    ...overrides,
  };
}
