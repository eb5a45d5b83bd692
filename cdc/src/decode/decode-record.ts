import { decodeChangeEvent } from './change-event.js';
import type { DecodeContext } from './decode-context.js';
import { CdcDecodeError, CdcErrorCode, undecodable, type RecordPart } from './decode-error.js';
import type { ColumnTypes } from './declared-columns.js';
import { classifyPayload, schemaNameOf, splitConverterValue, type SchemasMode } from './envelope.js';
import type { DecodedEvent } from './event-kinds.js';
import { sharedSchemaTexts, type RecordPartParser } from './converter-text.js';
import { isJsonObject, type RawJson } from './json-text.js';
import { decodeKey, noKey, type DecodedKey } from './key.js';
import { decodeHeartbeat, decodeSchemaChange, decodeTransaction } from './metadata-events.js';
import { describeJson } from './raw-access.js';
import type { TableRef } from './source-info.js';
import { withRowsParsed } from './payload-bytes.js';
import { decodeUnwrapped } from './unwrap.js';

/** One record as a source hands it over: Kafka, a stream entry, an HTTP body, a line of a file. */
export interface ChangeRecord {
  readonly key?: RawJson;
  /** Null, absent or empty for a tombstone. */
  readonly value: RawJson;
  readonly topic?: string | null;
}

export interface DecodeOptions {
  /** Whether keys and values carry the JsonConverter's `{schema, payload}`; `auto` (default) tells by shape. */
  readonly schemas?: SchemasMode;
  /** ExtractNewRecordState's `add.fields.prefix`; `__` by default. */
  readonly unwrapFieldPrefix?: string;
  /** Column types declared by the mapping, for records without a schema (see `declareColumnTypes`). */
  readonly columnTypes?: ColumnTypes | ((table: TableRef | null, topic: string | null) => ColumnTypes | undefined);
  /** How record parts are parsed (default: a `SchemaTextCache` shared by the process; tests give the reference parse). */
  readonly parser?: RecordPartParser;
  /**
   * Whether an upsert may carry its row already encoded for the grid
   * (`UpsertEvent.encodedRow`), transcoded from the record's bytes without
   * building the row object; `row` is then built only when read. For the
   * ingester, which only stores rows.
   */
  readonly encodedRows?: boolean;
}

export type DecodeResult = { readonly ok: true; readonly event: DecodedEvent } | { readonly ok: false; readonly error: CdcDecodeError };

/**
 * Decodes one Debezium record (JSON converter, with or without schemas,
 * envelope or unwrapped). Throws `CdcDecodeError` (code `UNDECODABLE_EVENT`)
 * for anything it cannot read, and only that.
 */
export function decodeRecord(record: ChangeRecord, options: DecodeOptions = {}): DecodedEvent {
  const parser = options.parser ?? sharedSchemaTexts;
  let parsedKey: unknown;
  try {
    parsedKey = parser.parse(record.key);
  } catch (error) {
    return failedIn('key', error);
  }
  try {
    return decodeValue(record, options, parser, parsedKey);
  } catch (error) {
    return failedIn('value', error);
  }
}

function decodeValue(record: ChangeRecord, options: DecodeOptions, parser: RecordPartParser, parsedKey: unknown): DecodedEvent {
  const topic = record.topic ?? null;
  const mode = options.schemas ?? 'auto';
  const parsed = parser.parse(record.value, '', options.encodedRows === true);
  if (parsed === undefined || parsed === null) return { kind: 'tombstone', topic, key: new RecordContext(topic, '', options, parsedKey).keyFor(null).key };
  const { schema, payload } = splitConverterValue(parsed, mode, '');
  const base = payload === parsed ? '' : 'payload';
  if (!isJsonObject(payload)) return undecodable(base, `expected a Debezium event object, got ${describeJson(payload)}`);
  const ctx = new RecordContext(topic, base, options, parsedKey);
  const kind = classifyPayload(payload, schemaNameOf(schema));
  if (kind === 'change') return decodeChangeEvent(payload, schema, ctx);
  const plain = withRowsParsed(payload);
  switch (kind) {
    case 'unwrapped':
      return decodeUnwrapped(plain, schema, ctx);
    case 'transaction':
      return decodeTransaction(plain, ctx);
    case 'heartbeat':
      return decodeHeartbeat(plain, parsedKey, ctx);
    case 'schema-change':
      return decodeSchemaChange(plain, ctx);
  }
}

/** One record's decoding context: a class, so that a record costs one object rather than a closure per helper. */
class RecordContext implements DecodeContext {
  readonly unwrapFieldPrefix: string;
  private decodedKey: DecodedKey | undefined;

  constructor(
    readonly topic: string | null,
    readonly base: string,
    private readonly options: DecodeOptions,
    private readonly parsedKey: unknown,
  ) {
    this.unwrapFieldPrefix = options.unwrapFieldPrefix ?? '__';
  }

  columnTypesFor(table: TableRef | null): ColumnTypes | undefined {
    const declared = this.options.columnTypes;
    return typeof declared === 'function' ? declared(table, this.topic) : declared;
  }

  /** The record's key, decoded once the table is known; its failures are the key's. */
  keyFor(table: TableRef | null): DecodedKey {
    if (this.decodedKey !== undefined) return this.decodedKey;
    try {
      this.decodedKey = this.parsedKey === undefined ? noKey : decodeKey(this.parsedKey, this.options.schemas ?? 'auto', this.columnTypesFor(table));
    } catch (error) {
      return failedIn('key', error);
    }
    return this.decodedKey;
  }
}

/** `decodeRecord` without the throw, for a loop that sends failures to a dead-letter sink and goes on. */
export function tryDecodeRecord(record: ChangeRecord, options: DecodeOptions = {}): DecodeResult {
  try {
    return { ok: true, event: decodeRecord(record, options) };
  } catch (error) {
    if (error instanceof CdcDecodeError) return { ok: false, error };
    throw error;
  }
}

/**
 * Rethrows a failure of one record part so that it leaves as a
 * `CdcDecodeError` saying which part it was in. An error of any other class
 * is a decoder bug met by strange input; the event is still only
 * undecodable, and the stream goes on.
 */
function failedIn(part: RecordPart, error: unknown): never {
  if (error instanceof CdcDecodeError) throw error.part === null ? error.inPart(part) : error;
  const reason = `unexpected decoding failure: ${error instanceof Error ? error.message : String(error)}`;
  throw new CdcDecodeError(CdcErrorCode.UndecodableEvent, reason, { part }, { cause: error });
}
