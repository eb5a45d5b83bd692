import { SqlError } from '@shoal/client/protocol';
import type { SqlType } from '../ast.js';
import { isNode, listAt, refuseUnhandled, unexpectedShape, unsupported, type RawNode } from './raw-ast.js';

/** PostgreSQL's bound on NUMERIC's precision. */
const MAX_DECIMAL_PRECISION = 1000;

const SUPPORTED = 'INT, BIGINT, DOUBLE PRECISION, DECIMAL(p, s), VARCHAR(n), TEXT, BOOLEAN, DATE, TIMESTAMP, JSON';

/** How node-sql-parser describes a type: `int4` is INT with length 4, `numeric(10,2)` NUMERIC with length 10, scale 2. */
interface TypeSpec {
  readonly name: string;
  readonly length?: number;
  readonly scale?: number;
}

type TypeReader = (spec: TypeSpec) => SqlType;

const fixed =
  (type: SqlType): TypeReader =>
  () =>
    type;

/** INT4/INT2 are INT; INT8 is BIGINT (the parser reads `int8` as INT of length 8). */
const integer: TypeReader = (spec) => (spec.length === 8 ? { kind: 'bigint' } : { kind: 'int' });

const decimal: TypeReader = ({ name, length, scale }) => {
  if (length === undefined) {
    throw new SqlError(`${name} without a precision is not supported: write ${name}(precision, scale), e.g. ${name}(12, 2)`);
  }
  const s = scale ?? 0;
  if (length < 1 || length > MAX_DECIMAL_PRECISION) throw new SqlError(`${name} precision ${length} must be between 1 and ${MAX_DECIMAL_PRECISION}`);
  if (s < 0 || s > length) throw new SqlError(`${name} scale ${s} must be between 0 and precision ${length}`);
  return { kind: 'decimal', precision: length, scale: s };
};

const varchar: TypeReader = ({ length }) => {
  if (length === undefined) return { kind: 'text' };
  if (length < 1) throw new SqlError(`length for type varchar must be at least 1`);
  return { kind: 'text', maxLength: length };
};

const blankPadded: TypeReader = ({ name }) => {
  throw unsupported(`type ${name}`, 'it pads values with blanks; use VARCHAR(n) or TEXT');
};

/** By the parser's upper-case type name. REAL and FLOAT4 widen to DOUBLE PRECISION, Shoal's one floating type. */
const readers: Readonly<Record<string, TypeReader>> = {
  INT: integer,
  INTEGER: integer,
  SMALLINT: fixed({ kind: 'int' }),
  BIGINT: fixed({ kind: 'bigint' }),
  DOUBLE: fixed({ kind: 'double' }),
  'DOUBLE PRECISION': fixed({ kind: 'double' }),
  FLOAT: fixed({ kind: 'double' }),
  REAL: fixed({ kind: 'double' }),
  DECIMAL: decimal,
  NUMERIC: decimal,
  VARCHAR: varchar,
  'CHARACTER VARYING': varchar,
  TEXT: fixed({ kind: 'text' }),
  CHAR: blankPadded,
  CHARACTER: blankPadded,
  BOOLEAN: fixed({ kind: 'boolean' }),
  BOOL: fixed({ kind: 'boolean' }),
  DATE: fixed({ kind: 'date' }),
  TIMESTAMP: fixed({ kind: 'timestamp' }),
  TIMESTAMPTZ: fixed({ kind: 'timestamp' }),
  JSON: fixed({ kind: 'json' }),
  JSONB: fixed({ kind: 'json' }),
};

const TYPE_KEYS: ReadonlySet<string> = new Set(['dataType', 'length', 'scale', 'parentheses', 'suffix']);
/** Suffixes that do not change the type: TIMESTAMP WITH/WITHOUT TIME ZONE (Shoal's TIMESTAMP is an instant either way). */
const NEUTRAL_SUFFIX = /^(with|without) time zone$/i;

/** A column or CAST type, from the parser's `{ dataType, length, scale, suffix }`. */
export function sqlType(definition: unknown): SqlType {
  if (!isNode(definition) || typeof definition.dataType !== 'string') throw unexpectedShape('type');
  refuseUnhandled(definition, TYPE_KEYS, { expr: 'array types' }, `type ${definition.dataType}`);
  const name = definition.dataType.toUpperCase();
  checkSuffix(definition, name);
  const reader = readers[name];
  if (!reader) throw unsupported(`type ${definition.dataType.toLowerCase()}`, `the supported types are ${SUPPORTED}`);
  return reader({ name, length: numberAt(definition, 'length'), scale: numberAt(definition, 'scale') });
}

function checkSuffix(definition: RawNode, name: string): void {
  const suffix = listAt(definition, 'suffix');
  if (suffix.length === 0) return;
  const words = suffix.map(String).join(' ');
  if (!NEUTRAL_SUFFIX.test(words) || !name.startsWith('TIMESTAMP')) throw unsupported(`type ${name} ${words}`);
}

function numberAt(node: RawNode, key: string): number | undefined {
  const value = node[key];
  return typeof value === 'number' ? value : undefined;
}
