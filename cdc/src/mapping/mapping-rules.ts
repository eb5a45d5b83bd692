import { cacheNameProblem } from '../apply/create-cache.js';
import { CdcConfigError } from '../errors.js';

/**
 * How tables become caches and where keys come from.
 * `caches`: a table name (see `tableNames`) or topic → the cache it goes to; unnamed tables go to a cache named like the table.
 * `keyColumns`: a table name or topic → the row columns that make its key, for transports that carry no record key.
 */
export interface MappingRules {
  readonly caches: ReadonlyMap<string, string>;
  readonly keyColumns: ReadonlyMap<string, readonly string[]>;
}

export const noRules: MappingRules = { caches: new Map(), keyColumns: new Map() };

/** Reads `--map topic=cache` rules (repeatable). */
export function parseCacheRules(texts: readonly string[]): ReadonlyMap<string, string> {
  const rules = new Map<string, string>();
  for (const text of texts) {
    const [name, cache] = splitRule(text, '--map', 'topic=cache');
    if (rules.has(name)) throw new CdcConfigError(`--map '${text}': ${name} is mapped twice`);
    const problem = cacheNameProblem(cache);
    if (problem !== null) throw new CdcConfigError(`--map '${text}': ${problem}`);
    rules.set(name, cache);
  }
  return rules;
}

/** Reads `--key table=col,col` rules (repeatable). */
export function parseKeyColumnRules(texts: readonly string[]): ReadonlyMap<string, readonly string[]> {
  const rules = new Map<string, readonly string[]>();
  for (const text of texts) {
    const [name, list] = splitRule(text, '--key', 'table=col,col');
    const columns = list.split(',').map((c) => c.trim());
    if (columns.some((c) => c === '')) throw new CdcConfigError(`--key '${text}': an empty column name`);
    if (new Set(columns).size !== columns.length) throw new CdcConfigError(`--key '${text}': a column is named twice`);
    if (rules.has(name)) throw new CdcConfigError(`--key '${text}': ${name} has key columns twice`);
    rules.set(name, columns);
  }
  return rules;
}

/** `name=value`, both non-empty, split at the first '=' (topic and table names have none). */
function splitRule(text: string, flag: string, form: string): [string, string] {
  const at = text.indexOf('=');
  const name = at < 0 ? '' : text.slice(0, at).trim();
  const value = at < 0 ? '' : text.slice(at + 1).trim();
  if (name === '' || value === '') throw new CdcConfigError(`${flag} '${text}' is not ${form}`);
  return [name, value];
}
