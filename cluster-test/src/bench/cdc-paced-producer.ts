import { changeEventValue } from './cdc-events.js';
import { sleep } from './with-timeout.js';

/** Debezium Server's default `debezium.source.max.batch.size`: the most events one POST carries. */
export const MAX_POST_EVENTS = 2_048;

/** What the producer tells whoever watches the changes land. */
export interface PostedChange {
  readonly id: number;
  readonly seq: number;
  /** `performance.now()` at which the change was due: when the source database made it. */
  readonly createdAt: number;
}

export interface PacedProducerOptions {
  /** Where `shoal cdc`'s HTTP source listens. */
  readonly url: string;
  readonly eventsPerSecond: number;
  /** Rows 1..rows are updated in turn. */
  readonly rows: number;
  /** The number of the first change; later ones follow (so LSNs only grow). */
  readonly firstSeq: number;
  /** Called for every change right before the POST that carries it. */
  readonly onPost: (change: PostedChange) => void;
}

/**
 * A source database making `eventsPerSecond` updates at a steady pace, and
 * Debezium Server's HTTP sink in batch mode shipping them: a timer-paced
 * loop that, whenever changes are due and no POST is in flight, POSTs every
 * due change (up to `MAX_POST_EVENTS`) as one JSON array and waits for the
 * answer, which `shoal cdc` gives once the batch is applied. A change's
 * creation time is the moment it was due, so time spent waiting behind a
 * slow POST counts as lag, as it would for a real source. Events are
 * rendered when shipped, so a backlog costs no memory.
 */
export class PacedProducer {
  private started = 0;
  private startedAtWall = 0;
  private next: number;
  private acked = 0;
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly options: PacedProducerOptions) {
    this.next = options.firstSeq;
  }

  /** When the producer started, on the `performance.now()` clock. */
  get startedAt(): number {
    return this.started;
  }

  /** When change `seq` was due, on the `performance.now()` clock. */
  createdAt(seq: number): number {
    return this.started + ((seq - this.options.firstSeq) * 1_000) / this.options.eventsPerSecond;
  }

  /** Changes due by now, acknowledged by the ingester, and the next change's number. */
  progress(now = performance.now()): { readonly due: number; readonly acked: number; readonly nextSeq: number } {
    const due = Math.floor(((now - this.started) * this.options.eventsPerSecond) / 1_000);
    return { due, acked: this.acked, nextSeq: this.next };
  }

  start(): void {
    this.started = performance.now();
    this.startedAtWall = Date.now();
    this.running = true;
    this.loop = this.run();
    this.loop.catch(() => undefined);
  }

  /** Stops making changes; resolves once the POST in flight was answered (rejects if a POST failed). */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const due = this.options.firstSeq + this.progress().due;
      if (due <= this.next) {
        await sleep(1);
        continue;
      }
      const to = Math.min(due, this.next + MAX_POST_EVENTS);
      await this.post(this.next, to);
      this.next = to;
    }
  }

  private async post(from: number, to: number): Promise<void> {
    const events: string[] = [];
    for (let seq = from; seq < to; seq++) {
      const id = rowOf(seq, this.options.rows);
      const createdAt = this.createdAt(seq);
      const tsMs = Math.round(this.startedAtWall + (createdAt - this.started));
      events.push(changeEventValue(id, seq, tsMs, 'u'));
      this.options.onPost({ id, seq, createdAt });
    }
    await postEvents(this.options.url, events);
    this.acked += to - from;
  }
}

/** The row change `seq` updates: every row in turn, in a scattered order. */
export function rowOf(seq: number, rows: number): number {
  return ((seq * 7_919) % rows) + 1;
}

/** One POST of events as Debezium Server's batch mode sends them; anything but 200 fails. */
export async function postEvents(url: string, events: readonly string[]): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `[${events.join(',')}]` });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`shoal cdc answered a POST of ${events.length} events with ${response.status}: ${text.slice(0, 300)}`);
}
