/** Stable error codes: code branches on these, never on message text. */
export const ErrorCode = {
  BadRequest: 'BAD_REQUEST',
  Unauthorized: 'UNAUTHORIZED',
  UnsupportedVersion: 'UNSUPPORTED_VERSION',
  UnknownOperation: 'UNKNOWN_OPERATION',
  FrameTooLarge: 'FRAME_TOO_LARGE',
  CacheNotFound: 'CACHE_NOT_FOUND',
  CacheConfigConflict: 'CACHE_CONFIG_CONFLICT',
  Overflow: 'OVERFLOW',
  PartitionLost: 'PARTITION_LOST',
  NotPrimary: 'NOT_PRIMARY',
  Unavailable: 'UNAVAILABLE',
  ConnectionClosed: 'CONNECTION_CLOSED',
  Timeout: 'TIMEOUT',
  SqlError: 'SQL_ERROR',
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Whether an operation that failed with this code may succeed if tried again. */
export const retryableCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.PartitionLost,
  ErrorCode.NotPrimary,
  ErrorCode.Unavailable,
  ErrorCode.ConnectionClosed,
  ErrorCode.Timeout,
]);

const knownCodes: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** True when `code` is one of the codes above (a node may send only these). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && knownCodes.has(code);
}
