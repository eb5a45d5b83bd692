/** Printable ASCII, so a value's characters are its bytes in both systems. */
const FILLER = Array.from({ length: 4096 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 94))).join('');

/** A value of exactly `length` ASCII characters that differs from key to key. */
export function valueFor(index: number, length: number): string {
  const prefix = `v${index}:`;
  const start = (index * 31) % (FILLER.length - length);
  return (prefix + FILLER.slice(start, start + length)).slice(0, length);
}

/** The workload keys `key:<i>` and their values, generated once. */
export class Dataset {
  readonly keys: readonly string[];
  readonly values: readonly string[];

  constructor(count: number, valueLength: number) {
    this.keys = Array.from({ length: count }, (_, i) => `key:${i}`);
    this.values = Array.from({ length: count }, (_, i) => valueFor(i, valueLength));
  }

  randomIndex(): number {
    return Math.floor(Math.random() * this.keys.length);
  }

  randomKey(): string {
    return this.keys[this.randomIndex()]!;
  }

  /** `count` distinct random keys. */
  randomKeys(count: number): string[] {
    const picked = new Set<string>();
    while (picked.size < count) picked.add(this.randomKey());
    return [...picked];
  }

  /** The entries `[from, to)`, for loading in batches. */
  slice(from: number, to: number): [string, string][] {
    const entries: [string, string][] = [];
    for (let i = from; i < Math.min(to, this.keys.length); i++) entries.push([this.keys[i]!, this.values[i]!]);
    return entries;
  }
}
