import { ErrorCode, isErrorCode, retryableCodes } from './error-codes.js';

/**
 * Base of every error Shoal raises, on the node and in the SDK.
 * @example if (err instanceof ShoalError && err.code === 'CACHE_NOT_FOUND') { ... }
 */
export class ShoalError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retryable = retryableCodes.has(code);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** The request was malformed: wrong argument types, bad key, bad config. */
export class BadRequestError extends ShoalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.BadRequest, message, options);
  }
}

/** The auth token was missing or wrong; the node closed the connection. */
export class UnauthorizedError extends ShoalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.Unauthorized, message, options);
  }
}

/** The named cache does not exist. */
export class CacheNotFoundError extends ShoalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.CacheNotFound, message, options);
  }
}

/** The request did not complete within its deadline; its outcome is unknown. */
export class TimeoutError extends ShoalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.Timeout, message, options);
  }
}

/** The connection closed before a response arrived; the outcome is unknown. */
export class ConnectionClosedError extends ShoalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.ConnectionClosed, message, options);
  }
}

/** A SQL statement could not be parsed, planned or run. */
export class SqlError extends ShoalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.SqlError, message, options);
  }
}

/** The partition lost every copy; operations on it fail until an operator resets it. */
export class PartitionLostError extends ShoalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.PartitionLost, message, options);
  }
}

/** The node does not lead the key's partition under its map: refresh the map and retry there. */
export class NotPrimaryError extends ShoalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.NotPrimary, message, options);
  }
}

/** No node could serve the request now. */
export class UnavailableError extends ShoalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.Unavailable, message, options);
  }
}

/** An atomic long would leave the safe integer range. */
export class OverflowError extends ShoalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.Overflow, message, options);
  }
}

/** A cache exists with another definition. */
export class CacheConfigConflictError extends ShoalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.CacheConfigConflict, message, options);
  }
}

/** A request, or one response, is larger than a frame may be. */
export class FrameTooLargeError extends ShoalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.FrameTooLarge, message, options);
  }
}

const classByCode: Partial<Record<ErrorCode, new (message: string, options?: { cause?: unknown }) => ShoalError>> = {
  [ErrorCode.BadRequest]: BadRequestError,
  [ErrorCode.Unauthorized]: UnauthorizedError,
  [ErrorCode.CacheNotFound]: CacheNotFoundError,
  [ErrorCode.Timeout]: TimeoutError,
  [ErrorCode.ConnectionClosed]: ConnectionClosedError,
  [ErrorCode.SqlError]: SqlError,
  [ErrorCode.PartitionLost]: PartitionLostError,
  [ErrorCode.Unavailable]: UnavailableError,
  [ErrorCode.NotPrimary]: NotPrimaryError,
  [ErrorCode.Overflow]: OverflowError,
  [ErrorCode.CacheConfigConflict]: CacheConfigConflictError,
  [ErrorCode.FrameTooLarge]: FrameTooLargeError,
};

/** The error of the right class for `code`. */
export function createError(code: ErrorCode, message: string, options?: { cause?: unknown }): ShoalError {
  const ErrorClass = classByCode[code];
  return ErrorClass ? new ErrorClass(message, options) : new ShoalError(code, message, options);
}

/** The error for a code received on the wire; an unknown code becomes `INTERNAL`. */
export function errorFromWire(code: unknown, message: unknown): ShoalError {
  const text = typeof message === 'string' ? message : 'no message';
  if (!isErrorCode(code)) return new ShoalError(ErrorCode.Internal, `node sent unknown error code ${String(code)}: ${text}`);
  return createError(code, text);
}
