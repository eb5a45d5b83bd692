import { undecodable } from './decode-error.js';
import { isJsonObject } from './json-text.js';
import { child, describeJson, requireObject, requireString, type JsonObject } from './raw-access.js';

/**
 * Kafka Connect schemas as the JsonConverter writes them (`schemas.enable=true`):
 * `{type, optional, name, version, parameters, default, fields|items|keys+values}`.
 */

export const PrimitiveTypes = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes'] as const;
export type PrimitiveType = (typeof PrimitiveTypes)[number];
export type ConnectType = PrimitiveType | 'struct' | 'array' | 'map';

interface SchemaCommon {
  readonly optional: boolean;
  /** The logical (semantic) type, e.g. `org.apache.kafka.connect.data.Decimal`, or a struct's record name. */
  readonly name: string | null;
  readonly version: number | null;
  /** Parameters are strings on the wire (`"scale": "4"`). */
  readonly parameters: Readonly<Record<string, string>>;
  /** The default in its wire encoding; undefined when the schema has none. */
  readonly default: unknown;
}

export interface PrimitiveSchema extends SchemaCommon {
  readonly type: PrimitiveType;
}
export interface StructSchema extends SchemaCommon {
  readonly type: 'struct';
  readonly fields: readonly ConnectField[];
}
export interface ArraySchema extends SchemaCommon {
  readonly type: 'array';
  readonly items: ConnectSchema;
}
export interface MapSchema extends SchemaCommon {
  readonly type: 'map';
  readonly keys: ConnectSchema;
  readonly values: ConnectSchema;
}
export type ConnectSchema = PrimitiveSchema | StructSchema | ArraySchema | MapSchema;

export interface ConnectField {
  readonly name: string;
  readonly schema: ConnectSchema;
}

const primitiveTypes: ReadonlySet<string> = new Set(PrimitiveTypes);

/** Reads a schema from its JSON form; anything malformed is an undecodable event at `path`. */
export function parseConnectSchema(json: unknown, path: string): ConnectSchema {
  const node = requireObject(json, path, 'a schema object');
  const type = node['type'];
  const common = parseCommon(node, path);
  if (typeof type === 'string' && primitiveTypes.has(type)) return { ...common, type: type as PrimitiveType };
  switch (type) {
    case 'struct':
      return { ...common, type, fields: parseFields(node['fields'], child(path, 'fields')) };
    case 'array':
      return { ...common, type, items: parseConnectSchema(node['items'], child(path, 'items')) };
    case 'map':
      return {
        ...common,
        type,
        keys: parseConnectSchema(node['keys'], child(path, 'keys')),
        values: parseConnectSchema(node['values'], child(path, 'values')),
      };
    default:
      return undecodable(child(path, 'type'), `unknown schema type: ${describeJson(type)}`);
  }
}

/** Reads a schema that must describe a struct (a row, a key, an envelope). */
export function parseStructSchema(json: unknown, path: string): StructSchema {
  const schema = parseConnectSchema(json, path);
  if (schema.type !== 'struct') return undecodable(path, `expected a struct schema, got type ${schema.type}`);
  return schema;
}

function parseCommon(node: JsonObject, path: string): SchemaCommon {
  const name = node['name'];
  const version = node['version'];
  return {
    optional: node['optional'] === true,
    name: typeof name === 'string' ? name : null,
    version: typeof version === 'number' ? version : null,
    parameters: parseParameters(node['parameters'], child(path, 'parameters')),
    default: node['default'],
  };
}

function parseParameters(json: unknown, path: string): Readonly<Record<string, string>> {
  if (json === undefined || json === null) return {};
  if (!isJsonObject(json)) return undecodable(path, `expected an object of parameters, got ${describeJson(json)}`);
  const out: Record<string, string> = {};
  // Hand-written declarations may give numbers; the wire always has strings.
  for (const [key, value] of Object.entries(json)) out[key] = typeof value === 'string' ? value : String(value);
  return out;
}

function parseFields(json: unknown, path: string): readonly ConnectField[] {
  if (!Array.isArray(json)) return undecodable(path, `expected an array of fields, got ${describeJson(json)}`);
  return json.map((entry: unknown, i) => {
    const at = child(path, i);
    const name = requireString(requireObject(entry, at)['field'], child(at, 'field'));
    return { name, schema: parseConnectSchema(entry, at) };
  });
}
