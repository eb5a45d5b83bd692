import { NotPrimaryError } from '@shoal/client/protocol';
import type { PartitionStore } from '../storage/partition-store.js';
import { DedupLog } from './dedup-log.js';

/** What the primary knows of one replica: the highest write it applied, once its copy is whole. */
export interface ReplicaProgress {
  acked: number;
  /** False until a copy in this tenure finished: until then `acked` means nothing. */
  complete: boolean;
  syncId: number;
  /** When the current copy started (monotonic ms), so a copy whose end was lost is started again. */
  copyStartedAt: number;
}

interface Waiter {
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * A partition this node leads: it numbers writes, tracks which replica
 * applied what, and holds back answers until every owner has a write
 * (`writeSync: 'full'`). Copies still filling (`syncing`) take every write
 * but are waited for only once their copy is whole.
 */
export class PrimaryPartition {
  seq = 0;
  /** A replica saw a newer primary: this one must not acknowledge anything more. */
  fenced = false;
  readonly progress = new Map<string, ReplicaProgress>();
  private owners: readonly string[] = [];
  private waiters: Waiter[] = [];

  constructor(
    readonly store: PartitionStore,
    readonly tenure: number,
    readonly dedup: DedupLog,
  ) {}

  /** The other owners and the filling copies; returns those that are new and need a copy. */
  setTargets(owners: readonly string[], syncing: readonly string[]): string[] {
    this.owners = owners;
    const wanted = new Set([...owners, ...syncing]);
    for (const node of this.progress.keys()) if (!wanted.has(node)) this.progress.delete(node);
    const added = [...wanted].filter((node) => !this.progress.has(node));
    for (const node of added) this.progress.set(node, { acked: -1, complete: false, syncId: 0, copyStartedAt: 0 });
    this.settle();
    return added;
  }

  isOwner(node: string): boolean {
    return this.owners.includes(node);
  }

  targets(): string[] {
    return [...this.progress.keys()];
  }

  /** The highest seq every owner (and every whole filling copy) applied. */
  safeSeq(): number {
    let safe = this.seq;
    for (const [node, progress] of this.progress) {
      const required = this.owners.includes(node) || progress.complete;
      if (required) safe = Math.min(safe, progress.complete ? progress.acked : -1);
    }
    return safe;
  }

  /** Resolves once `seq` is on every copy that counts; undefined when it already is. */
  waitFor(seq: number): Promise<void> | undefined {
    if (this.fenced) return Promise.reject(new NotPrimaryError('this node lost the primary role of the partition'));
    if (seq <= this.safeSeq()) return undefined;
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  onAck(node: string, seq: number): void {
    const progress = this.progress.get(node);
    if (!progress || !progress.complete) return;
    progress.acked = Math.max(progress.acked, seq);
    this.settle();
  }

  onSyncDone(node: string, syncId: number, seq: number): boolean {
    const progress = this.progress.get(node);
    if (!progress || progress.syncId !== syncId) return false;
    progress.complete = true;
    progress.acked = seq;
    this.settle();
    return true;
  }

  /** The replica missed something (link down, gap): it counts as incomplete until a new copy. */
  markIncomplete(node: string): void {
    const progress = this.progress.get(node);
    if (progress) progress.complete = false;
  }

  /** Fails every held answer: the outcome of those writes is unknown to their clients, who retry by id. */
  fail(error: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  /** Answers held back, for `/status`: a number that stays high means a replica stopped answering. */
  get waiting(): number {
    return this.waiters.length;
  }

  private settle(): void {
    if (this.waiters.length === 0) return;
    const safe = this.safeSeq();
    let i = 0;
    while (i < this.waiters.length && this.waiters[i]!.seq <= safe) this.waiters[i++]!.resolve();
    if (i > 0) this.waiters = this.waiters.slice(i);
  }
}
