import type { EncodedValue } from '@shoal/client/protocol';
import type { StructSchema } from './connect-schema.js';
import type { Row } from './event-kinds.js';
import { parseExactJsonAt } from './exact-json.js';
import { integerAt } from './json-bytes.js';
import { decodeFieldJson, type RowPlan } from './row-transcoder.js';
import { decodeStruct } from './semantic-types.js';

/**
 * A row already in its stored form (see `RowPlan`), with the JSON it came
 * from: a column, or the whole row object, is decoded from that JSON when
 * asked for, exactly as decoding the row would have given it.
 */
export class EncodedRow {
  constructor(
    readonly value: EncodedValue,
    private readonly plan: RowPlan,
    private readonly json: Buffer,
    private readonly start: number,
    /** Just after the row's JSON object in `json`. */
    readonly end: number,
    /** Each field's JSON value as `[start, end)` pairs, in the schema's order. */
    private readonly slices: readonly number[],
    private readonly path: string,
  ) {}

  /** The row schema it was transcoded under. */
  get schema(): StructSchema {
    return this.plan.schema;
  }

  /** Whether the row has the column: the row object has every field of its schema. */
  has(column: string): boolean {
    return this.plan.indexOf(column) >= 0;
  }

  /** A column's value, as `toRow()[column]`. */
  column(column: string): unknown {
    const i = this.plan.indexOf(column);
    if (i < 0) return undefined;
    const field = this.plan.fields[i]!;
    const start = this.slices[2 * i]!;
    const end = this.slices[2 * i + 1]!;
    // A key column is most often an integer, which transcoding has checked against its type already.
    if (field.kind === 'integer' && isIntegerLiteral(this.json, start, end)) return integerAt(this.json, start, end);
    return decodeFieldJson(field, this.json.toString('utf8', start, end), this.path);
  }

  /** The row as an object, as the ordinary decoding makes it. */
  toRow(): Row {
    return decodeStruct(parseExactJsonAt(this.json.toString('utf8', this.start, this.end), 0).value, this.plan.schema, this.path);
  }
}

/** Only digits, after an optional minus: what the transcoder wrote as an integer (not a fraction, an exponent or null). */
function isIntegerLiteral(bytes: Buffer, start: number, end: number): boolean {
  let i = bytes[start] === 45 /* - */ ? start + 1 : start;
  if (i >= end) return false;
  for (; i < end; i++) {
    const b = bytes[i]!;
    if (b < 48 || b > 57) return false;
  }
  return true;
}
