/** The entries of one partition of one cache, keyed by the key's canonical bytes (latin1). */
export class PartitionStore {
  readonly entries = new Map<string, string>();
  /** Bytes of keys and values held. */
  bytes = 0;

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  /** Stores `value`; returns the previous value. */
  set(key: string, value: string): string | undefined {
    const previous = this.entries.get(key);
    this.entries.set(key, value);
    this.bytes += previous === undefined ? key.length + value.length : value.length - previous.length;
    return previous;
  }

  /** Removes `key`; returns the value it had. */
  delete(key: string): string | undefined {
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.bytes -= key.length + previous.length;
    }
    return previous;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }
}
