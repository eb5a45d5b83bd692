import type { Select } from '../ast.js';
import type { Identifiers } from './identifiers.js';
import type { Params } from './params.js';
import type { RawNode } from './raw-ast.js';

/** What converting one statement's parser output needs. */
export interface ConvertContext {
  readonly ids: Identifiers;
  readonly params: Params;
  /** The statement as the user wrote it (for literals the parser rounded). */
  readonly source: string;
  /** Converts a nested SELECT (`IN (SELECT ...)`); passed in so expressions need not import queries. */
  readonly subquery: (raw: RawNode) => Select;
}
