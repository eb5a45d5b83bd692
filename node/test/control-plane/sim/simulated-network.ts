import { chance, randomBetween, type Rng } from '../../../src/control-plane/rng.js';
import type { NodeId } from '../../../src/control-plane/raft/membership.js';
import { describeRaftMessage, type RaftMessage } from '../../../src/control-plane/raft/raft-messages.js';
import type { EventQueue } from './event-queue.js';
import type { SimTrace } from './sim-trace.js';
import type { VirtualClock } from './virtual-clock.js';

/** How badly the network behaves; reordering comes from the spread of delays. */
export interface NetworkConditions {
  readonly dropRate: number;
  readonly duplicateRate: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

export const CALM_NETWORK = { dropRate: 0, duplicateRate: 0, minDelayMs: 1, maxDelayMs: 10 } as const satisfies NetworkConditions;

/**
 * A seeded lossy network. A link cut by a partition drops messages both when
 * sent and when due, so a partition also catches what was in flight.
 */
export class SimulatedNetwork<C> {
  conditions: NetworkConditions;
  private readonly cut = new Set<string>();

  constructor(
    private readonly rng: Rng,
    private readonly queue: EventQueue,
    private readonly clock: VirtualClock,
    private readonly trace: SimTrace,
    conditions: NetworkConditions,
    private readonly deliver: (message: RaftMessage<C>) => void,
  ) {
    this.conditions = conditions;
  }

  send(message: RaftMessage<C>): void {
    const now = this.clock.now();
    if (this.isCut(message.from, message.to)) return this.trace.record(now, () => `drop (partition) ${describeRaftMessage(message)}`);
    if (chance(this.rng, this.conditions.dropRate)) return this.trace.record(now, () => `drop ${describeRaftMessage(message)}`);
    const copies = chance(this.rng, this.conditions.duplicateRate) ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      const at = now + randomBetween(this.rng, this.conditions.minDelayMs, this.conditions.maxDelayMs);
      this.queue.schedule(at, () => this.arrive(message));
    }
    this.trace.record(now, () => `send${copies > 1 ? ' (duplicated)' : ''} ${describeRaftMessage(message)}`);
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cut.has(`${from}>${to}`);
  }

  cutLink(from: NodeId, to: NodeId): void {
    this.cut.add(`${from}>${to}`);
  }

  /** Cuts every link between the two groups, both ways. */
  partition(groupA: readonly NodeId[], groupB: readonly NodeId[]): void {
    for (const a of groupA) {
      for (const b of groupB) {
        this.cutLink(a, b);
        this.cutLink(b, a);
      }
    }
  }

  heal(): void {
    this.cut.clear();
  }

  describeCuts(): string {
    return [...this.cut].sort().join(' ') || 'none';
  }

  private arrive(message: RaftMessage<C>): void {
    if (this.isCut(message.from, message.to)) {
      this.trace.record(this.clock.now(), () => `drop in flight (partition) ${describeRaftMessage(message)}`);
      return;
    }
    this.deliver(message);
  }
}
