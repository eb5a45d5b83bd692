import { LosslessNumber, isLosslessNumber, parse } from 'lossless-json';
import { CdcDecodeError, CdcErrorCode, decodeRecord, jsonTextOf, type ChangeRecord, type DecodeOptions, type RecordPartParser } from '../../src/index.js';

/** How the decoder read numbers before it was made fast (kept here, apart from the code under test). */
function referenceNumber(text: string): number | bigint | LosslessNumber {
  if (/^-?\d+$/.test(text)) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : BigInt(text);
  }
  const value = Number(text);
  return String(value) === text ? value : new LosslessNumber(text);
}

/** lossless-json over the whole text, as the decoder parsed before; throws what the decoder throws for bad JSON. */
export function referenceParse(text: string, path = ''): unknown {
  try {
    return parse(text, null, { parseNumber: referenceNumber, onDuplicateKey: ({ newValue }) => newValue });
  } catch (error) {
    throw new CdcDecodeError(CdcErrorCode.UndecodableEvent, `invalid JSON: ${(error as Error).message}`, { path }, { cause: error });
  }
}

/** The decoder's parse before it was made fast: every record whole, every time, nothing kept. */
export const referenceParser: RecordPartParser = {
  parse(raw, path = '') {
    const text = jsonTextOf(raw, path);
    return text === undefined ? undefined : referenceParse(text, path);
  },
};

/**
 * A value as text that shows everything a decoded value can differ in:
 * types (bigint, LosslessNumber, -0, bytes), key order, undefined.
 */
export function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : `d${String(value)}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (isLosslessNumber(value)) return `L${value.value}`;
  if (value instanceof Uint8Array) return `bytes(${Buffer.from(value).toString('hex')})`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null ? '' : `${(value as object).constructor.name}`;
    return `${proto}{${Object.entries(value as object)
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return `?${typeof value}`;
}

/** What decoding gave, as comparable text: the event, or the failure's code, part, path and reason. */
export function outcome(record: ChangeRecord, options: DecodeOptions): string {
  try {
    return canonical(decodeRecord(record, options));
  } catch (error) {
    if (!(error instanceof CdcDecodeError)) throw error;
    return `error ${error.code} ${error.part} ${error.path} ${error.reason}`;
  }
}
