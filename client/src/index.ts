export { Shoal, type ConnectOptions, type CacheConfig, type CacheInfo, type TableSchemaConfig } from './shoal.js';
export { Cache, type CacheChange } from './cache.js';
export type { SqlResult } from './sql-statements.js';
export { createShoalKysely, type SqlRunner } from './kysely/index.js';
export { AtomicLong } from './atomic-long.js';
export { type Clock, type TimerHandle, systemClock } from './clock.js';
export type { Transport, Channel, ChannelHandlers } from './transport/transport.js';
export { WebSocketTransport } from './transport/websocket-transport.js';
export {
  ShoalError,
  BadRequestError,
  UnauthorizedError,
  CacheNotFoundError,
  TimeoutError,
  ConnectionClosedError,
  SqlError,
  PartitionLostError,
  NotPrimaryError,
  UnavailableError,
  OverflowError,
  CacheConfigConflictError,
  FrameTooLargeError,
  ErrorCode,
  compareVersions,
  MAX_VERSION_BYTES,
  EncodedValue,
  type Key,
} from './protocol/index.js';
