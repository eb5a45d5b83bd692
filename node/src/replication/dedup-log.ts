/** How many answered writes a partition remembers: enough for every retry a client can still be making. */
export const DEDUP_CAPACITY = 1_024;

/**
 * The recent writes of one partition, by `clientId/requestId`, with the
 * answer each got. A client retrying after a failover resends the same id;
 * the new primary, which received this log with the data, answers it again
 * instead of applying it twice. Oldest first out.
 */
export class DedupLog {
  private readonly answers = new Map<string, unknown>();

  answerOf(writeId: string): { readonly found: boolean; readonly answer: unknown } {
    return this.answers.has(writeId) ? { found: true, answer: this.answers.get(writeId) } : { found: false, answer: undefined };
  }

  remember(writeId: string, answer: unknown): void {
    this.answers.delete(writeId);
    this.answers.set(writeId, answer);
    if (this.answers.size > DEDUP_CAPACITY) this.answers.delete(this.answers.keys().next().value as string);
  }

  entries(): [string, unknown][] {
    return [...this.answers];
  }

  clear(): void {
    this.answers.clear();
  }
}
