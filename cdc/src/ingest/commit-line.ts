import type { CommitStep } from './source.js';

/**
 * The commits of applied batches, in order: each runs only after its own
 * apply resolved and every earlier commit succeeded, one at a time. A failed
 * apply or commit fails its own commit and every later one, so no offset is
 * ever committed past a batch the grid did not acknowledge. Applies may run
 * ahead of the line (the next batch applies while this one's checkpoint is
 * fsynced); the line is what keeps offsets honest.
 */
export class CommitLine {
  private tail: Promise<void> = Promise.resolve();

  /** Queues the commit of a batch whose apply is `applied` (queued in stream order); settles with that commit. */
  add(applied: Promise<CommitStep>): Promise<void> {
    // A failure is reported through the line; a rejection nobody awaited yet must not count as unhandled.
    applied.catch(() => undefined);
    const committed = this.tail.then(() => applied).then((commit) => commit());
    committed.catch(() => undefined);
    this.tail = committed;
    return committed;
  }

  /** Settles once every commit queued so far is done; rejects with the first failure. */
  get settled(): Promise<void> {
    return this.tail;
  }
}
