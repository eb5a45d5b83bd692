import { BadRequestError } from '@shoal/client/protocol';
import type { ColumnDefinition, SqlType } from '../ast.js';
import type { IndexSchema, TableSchema } from '../sql-host.js';

/**
 * Validation of a table schema given from outside SQL (the SDK's createCache,
 * the CDC ingester): names, types as text ('DECIMAL(10,2)') or SqlType
 * objects, a primary key of existing columns whose types can be grid keys.
 */

const TYPE_TEXT = /^\s*([a-z ]+?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i;
const MAX_COLUMNS = 1000;

const typeNames: Record<string, (first?: number, second?: number) => SqlType> = {
  int: () => ({ kind: 'int' }),
  integer: () => ({ kind: 'int' }),
  int4: () => ({ kind: 'int' }),
  smallint: () => ({ kind: 'int' }),
  bigint: () => ({ kind: 'bigint' }),
  int8: () => ({ kind: 'bigint' }),
  double: () => ({ kind: 'double' }),
  'double precision': () => ({ kind: 'double' }),
  float: () => ({ kind: 'double' }),
  float8: () => ({ kind: 'double' }),
  real: () => ({ kind: 'double' }),
  decimal: (precision = 0, scale = 0) => ({ kind: 'decimal', precision, scale }),
  numeric: (precision = 0, scale = 0) => ({ kind: 'decimal', precision, scale }),
  text: () => ({ kind: 'text' }),
  varchar: (maxLength) => (maxLength === undefined ? { kind: 'text' } : { kind: 'text', maxLength }),
  'character varying': (maxLength) => (maxLength === undefined ? { kind: 'text' } : { kind: 'text', maxLength }),
  boolean: () => ({ kind: 'boolean' }),
  bool: () => ({ kind: 'boolean' }),
  date: () => ({ kind: 'date' }),
  timestamp: () => ({ kind: 'timestamp' }),
  json: () => ({ kind: 'json' }),
  jsonb: () => ({ kind: 'json' }),
};

/** Key columns must hold what a grid key can be: strings and finite numbers. */
const KEYABLE_KINDS: ReadonlySet<SqlType['kind']> = new Set(['int', 'bigint', 'double', 'decimal', 'text', 'date']);

export function parseTypeText(text: string): SqlType | undefined {
  const match = TYPE_TEXT.exec(text);
  if (!match) return undefined;
  const make = typeNames[match[1]!.toLowerCase().replace(/\s+/g, ' ')];
  if (!make) return undefined;
  const first = match[2] === undefined ? undefined : Number(match[2]);
  const second = match[3] === undefined ? undefined : Number(match[3]);
  return make(first, second);
}

export function checkTableSchema(input: unknown): TableSchema {
  if (!isPlainObject(input)) throw new BadRequestError('a table schema must be an object with columns and primaryKey');
  const columns = checkColumns(input['columns']);
  const names = new Set(columns.map((column) => column.name));
  const primaryKey = checkNameList(input['primaryKey'], 'primaryKey', names);
  if (primaryKey.length === 0) throw new BadRequestError('a table schema needs a primaryKey of at least one column');
  for (const name of primaryKey) {
    const column = columns.find((candidate) => candidate.name === name)!;
    if (!KEYABLE_KINDS.has(column.type.kind)) {
      throw new BadRequestError(`primary key column "${name}" has type ${column.type.kind.toUpperCase()}, which cannot be a key`);
    }
  }
  const indexes = checkIndexes(input['indexes'], names);
  const keyed = columns.map((column) => (primaryKey.includes(column.name) ? { ...column, notNull: true } : column));
  return { columns: keyed, primaryKey, indexes };
}

function checkColumns(input: unknown): ColumnDefinition[] {
  if (!Array.isArray(input) || input.length === 0) throw new BadRequestError('a table schema needs a non-empty columns array');
  if (input.length > MAX_COLUMNS) throw new BadRequestError(`a table may have at most ${MAX_COLUMNS} columns`);
  const seen = new Set<string>();
  return input.map((column: unknown, position) => {
    if (!isPlainObject(column)) throw new BadRequestError(`column ${position + 1} must be an object with name and type`);
    const name = checkName(column['name'], `column ${position + 1} name`);
    // msgpack decoders refuse a field named __proto__, so a row with one could never be read back.
    if (name === '__proto__') throw new BadRequestError('a column cannot be named "__proto__"');
    if (seen.has(name)) throw new BadRequestError(`column "${name}" is declared twice`);
    seen.add(name);
    const notNull = column['notNull'] ?? false;
    if (typeof notNull !== 'boolean') throw new BadRequestError(`column "${name}": notNull must be a boolean`);
    return { name, type: checkType(column['type'], name), notNull };
  });
}

export function checkType(input: unknown, column: string): SqlType {
  if (typeof input === 'string') {
    const type = parseTypeText(input);
    if (type) return checkTypeParameters(type, column);
    throw new BadRequestError(`column "${column}": unknown type '${input.slice(0, 40)}'`);
  }
  if (isPlainObject(input) && typeof input['kind'] === 'string') {
    const kind = input['kind'];
    if (kind === 'decimal') {
      return checkTypeParameters({ kind, precision: toCount(input['precision']), scale: toCount(input['scale']) }, column);
    }
    if (kind === 'text') {
      const maxLength = input['maxLength'];
      return checkTypeParameters(maxLength === undefined ? { kind } : { kind, maxLength: toCount(maxLength) }, column);
    }
    if (kind in typeNames && kind !== 'decimal' && kind !== 'text') return { kind } as SqlType;
  }
  throw new BadRequestError(`column "${column}": type must be a type name like 'INT' or 'DECIMAL(10,2)', or a SqlType object`);
}

function toCount(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : -1;
}

function checkTypeParameters(type: SqlType, column: string): SqlType {
  if (type.kind === 'decimal') {
    const { precision, scale } = type;
    if (precision < 0 || precision > 1000 || scale < 0 || (precision > 0 && scale > precision)) {
      throw new BadRequestError(`column "${column}": DECIMAL precision must be 1..1000 and scale 0..precision`);
    }
  }
  if (type.kind === 'text' && type.maxLength !== undefined && (type.maxLength < 1 || type.maxLength > 10_485_760)) {
    throw new BadRequestError(`column "${column}": VARCHAR length must be 1..10485760`);
  }
  return type;
}

function checkIndexes(input: unknown, columns: ReadonlySet<string>): IndexSchema[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) throw new BadRequestError('indexes must be an array of { name, columns }');
  const seen = new Set<string>();
  return input.map((index: unknown, position) => {
    if (!isPlainObject(index)) throw new BadRequestError(`index ${position + 1} must be an object with name and columns`);
    const name = checkName(index['name'], `index ${position + 1} name`);
    if (seen.has(name)) throw new BadRequestError(`index "${name}" is declared twice`);
    seen.add(name);
    const indexColumns = checkNameList(index['columns'], `index "${name}" columns`, columns);
    if (indexColumns.length === 0) throw new BadRequestError(`index "${name}" needs at least one column`);
    return { name, columns: indexColumns };
  });
}

function checkNameList(input: unknown, what: string, known: ReadonlySet<string>): string[] {
  if (!Array.isArray(input)) throw new BadRequestError(`${what} must be an array of column names`);
  const names = input.map((name: unknown) => checkName(name, what));
  for (const name of names) {
    if (!known.has(name)) throw new BadRequestError(`${what}: column "${name}" is not a column of the table`);
  }
  if (new Set(names).size !== names.length) throw new BadRequestError(`${what} names a column twice`);
  return names;
}

function checkName(input: unknown, what: string): string {
  if (typeof input !== 'string' || input.length === 0 || input.length > 128) {
    throw new BadRequestError(`${what} must be a non-empty string of at most 128 characters`);
  }
  return input;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
