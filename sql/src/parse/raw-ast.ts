import { SqlError } from '@shoal/client/protocol';

/**
 * node-sql-parser's output, read defensively: its published typings do not
 * match what its PostgreSQL grammar produces, so every node is a plain
 * record and the converters check the shape they rely on.
 */
export type RawNode = { readonly [key: string]: unknown };

export function isNode(value: unknown): value is RawNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The node's `type` tag, or '' when it has none. */
export function typeOf(value: unknown): string {
  return isNode(value) && typeof value.type === 'string' ? value.type : '';
}

export function nodeAt(node: RawNode, key: string): RawNode | undefined {
  const value = node[key];
  return isNode(value) ? value : undefined;
}

export function listAt(node: RawNode, key: string): readonly unknown[] {
  const value = node[key];
  return Array.isArray(value) ? value : [];
}

/** A node the converter cannot read: the parser produced a shape this adapter does not know. */
export function unexpectedShape(what: string): SqlError {
  return new SqlError(`unsupported SQL: the parser produced an unexpected ${what}`);
}

/** Shoal SQL does not support `what`; `hint` says what to do instead, or why. */
export function unsupported(what: string, hint?: string): SqlError {
  return new SqlError(`Shoal SQL does not support ${what}${hint === undefined ? '' : `: ${hint}`}`);
}

/** Whether a field carries something: the parser fills absent clauses with null, [], or husks like `{ type: null }`. */
function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isNode(value)) return Object.values(value).some(isPresent);
  return true;
}

/**
 * Refuses a node that carries a clause this adapter does not convert, so
 * that nothing the user wrote is silently dropped. `features` names each
 * known-but-unsupported key for the message; `handled` are the keys read.
 */
export function refuseUnhandled(
  node: RawNode,
  handled: ReadonlySet<string>,
  features: Readonly<Record<string, string>>,
  context: string,
): void {
  const key = firstUnhandled(node, handled);
  if (key !== undefined) throw unsupported(features[key] ?? `${context} with "${key}"`);
}

/** Keys that never change meaning: source locations and whether the node was written in parentheses. */
const NEUTRAL_KEYS: ReadonlySet<string> = new Set(['loc', 'parentheses']);

/** The first key of `node` that carries something and is not in `handled`. */
export function firstUnhandled(node: RawNode, handled: ReadonlySet<string>): string | undefined {
  return Object.keys(node).find((key) => !handled.has(key) && !NEUTRAL_KEYS.has(key) && isPresent(node[key]));
}
