/** Keeps the last lines a child process wrote, for error messages. */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly capacity = 200) {}

  /** Feeds a chunk of output; `onLine` sees every complete line. */
  push(chunk: Buffer | string, onLine?: (line: string) => void): void {
    const parts = (this.partial + chunk.toString()).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.length === 0) continue;
      this.lines.push(line);
      if (this.lines.length > this.capacity) this.lines.shift();
      onLine?.(line);
    }
  }

  /** The last `count` lines, newest last. */
  last(count = 30): string {
    const tail = this.partial.length > 0 ? [...this.lines, this.partial] : this.lines;
    return tail.slice(-count).join('\n');
  }
}
