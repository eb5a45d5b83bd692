import type { ParsedStatement } from '../ast.js';

/** Parsed statements by text, least recently used dropped first: parsing costs as much as a point lookup. */
export class StatementCache {
  private readonly entries = new Map<string, ParsedStatement>();

  constructor(
    private readonly parse: (text: string) => ParsedStatement,
    private readonly capacity = 500,
  ) {}

  get(text: string): ParsedStatement {
    const cached = this.entries.get(text);
    if (cached) {
      this.entries.delete(text);
      this.entries.set(text, cached);
      return cached;
    }
    const parsed = this.parse(text);
    this.entries.set(text, parsed);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return parsed;
  }
}
