import { SqlError } from '@shoal/client/protocol';
import type { Expr } from '../ast.js';

/** PostgreSQL's limit on a statement's parameters (the wire protocol counts them in 16 bits). */
const MAX_PARAMETERS = 65_535;

/**
 * Numbers a statement's parameters: `$n` is index n-1; a `?` (rewritten to
 * a marker before parsing) is numbered by its place in the text. One
 * statement uses one style.
 */
export class Params {
  private highestDollar = 0;
  private usesDollar = false;
  private usesQuestion = false;

  constructor(private readonly markers: ReadonlyMap<string, number>) {}

  /** A `$name` node's parameter: name is a number for `$n`, a marker name for a rewritten `?`. */
  param(name: unknown): Expr {
    if (typeof name === 'number') return this.dollar(name);
    const index = typeof name === 'string' ? this.markers.get(name) : undefined;
    if (index === undefined) throw new SqlError(`syntax error at or near "$${String(name)}": parameters are $1, $2, ... or ?`);
    this.usesQuestion = true;
    this.checkOneStyle();
    return { kind: 'param', index };
  }

  /** Highest `$n`, or how many `?`. */
  count(): number {
    return this.usesQuestion ? this.markers.size : this.highestDollar;
  }

  private dollar(n: number): Expr {
    if (!Number.isInteger(n) || n < 1 || n > MAX_PARAMETERS) throw new SqlError(`there is no parameter $${n}`);
    this.usesDollar = true;
    this.checkOneStyle();
    this.highestDollar = Math.max(this.highestDollar, n);
    return { kind: 'param', index: n - 1 };
  }

  private checkOneStyle(): void {
    if (this.usesDollar && this.usesQuestion) throw new SqlError('a statement cannot mix $n and ? parameters');
  }
}
