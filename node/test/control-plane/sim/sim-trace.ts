/** One line of the trace; `describe` is called only if the trace is printed, so recording stays cheap. */
interface TraceLine {
  readonly at: number;
  readonly describe: string | (() => string);
}

/** The last `capacity` events of a run, printed with the seed when an invariant fails. */
export class SimTrace {
  private readonly lines: (TraceLine | undefined)[];
  private next = 0;
  private total = 0;

  constructor(private readonly capacity: number) {
    this.lines = new Array<TraceLine | undefined>(capacity);
  }

  record(at: number, describe: string | (() => string)): void {
    this.lines[this.next] = { at, describe };
    this.next = (this.next + 1) % this.capacity;
    this.total += 1;
  }

  format(): string {
    const kept = Math.min(this.total, this.capacity);
    const out: string[] = [];
    if (this.total > kept) out.push(`... ${this.total - kept} earlier events not kept`);
    for (let i = 0; i < kept; i++) {
      const line = this.lines[(this.next - kept + i + this.capacity) % this.capacity];
      if (line === undefined) continue;
      const text = typeof line.describe === 'string' ? line.describe : line.describe();
      out.push(`${line.at.toFixed(1).padStart(9)}ms  ${text}`);
    }
    return out.join('\n');
  }
}
