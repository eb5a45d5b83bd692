/** The wire protocol version a client and a node must share; bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1 as const;

/** Default largest frame, in bytes, either side accepts; a larger frame closes the connection. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Default number of partitions per cache. */
export const DEFAULT_PARTITION_COUNT = 1024;
