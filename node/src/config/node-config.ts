import { DEFAULT_MAX_FRAME_BYTES, DEFAULT_PARTITION_COUNT } from '@shoal/client/protocol';

/** Everything a node is started with. */
export interface NodeConfig {
  readonly host: string;
  readonly port: number;
  readonly id: string;
  readonly authToken: string | null;
  readonly partitions: number;
  readonly maxFrameBytes: number;
  readonly logLevel: string;
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
    ...overrides,
  };
}
