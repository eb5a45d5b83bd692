import { type ConnectOptions, Shoal, ShoalError } from '@shoal/client';
import { expect } from 'vitest';
import { NodeProcess, type NodeProcessOptions } from '../../src/harness/index.js';

/**
 * Processes and clients a test file started, so `afterAll`/`afterEach` can end
 * them whatever happened in the test.
 */
export class Fixtures {
  private readonly nodes: NodeProcess[] = [];
  private readonly grids: Shoal[] = [];

  async node(options: NodeProcessOptions = {}): Promise<NodeProcess> {
    const node = await NodeProcess.start(options);
    this.nodes.push(node);
    return node;
  }

  async connect(node: NodeProcess | string, options: Partial<ConnectOptions> = {}): Promise<Shoal> {
    const endpoint = typeof node === 'string' ? node : node.endpoint;
    const grid = await Shoal.connect({ endpoints: [endpoint], ...options });
    this.grids.push(grid);
    return grid;
  }

  /** Closes every client, resumes any stopped node and ends every node (SIGKILL if SIGTERM is not enough). */
  async cleanup(): Promise<void> {
    const grids = this.grids.splice(0);
    await Promise.allSettled(grids.map((grid) => grid.close()));
    const nodes = this.nodes.splice(0);
    for (const node of nodes) resume(node);
    await Promise.allSettled(nodes.map((node) => node.stop(3_000)));
  }
}

/** SIGSTOP: the node process stops answering (its sockets stay open). */
export function suspend(node: NodeProcess): void {
  if (node.alive && node.child.pid !== undefined) process.kill(node.child.pid, 'SIGSTOP');
}

/** SIGCONT. */
export function resume(node: NodeProcess): void {
  if (node.alive && node.child.pid !== undefined) process.kill(node.child.pid, 'SIGCONT');
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    const value = await promise;
    throw new Error(`expected a rejection, got ${String(value)}`, { cause: 'resolved' });
  } catch (err) {
    if (err instanceof Error && err.cause === 'resolved') throw err;
    return err;
  }
}

type ErrorClass = abstract new (...args: never[]) => ShoalError;

/** Asserts that `promise` rejects with a ShoalError of `code` (and of `errorClass`, when given). */
export async function expectShoalError(promise: Promise<unknown>, code: string, errorClass?: ErrorClass): Promise<ShoalError> {
  const err = await rejectionOf(promise);
  expect(err, `expected a ShoalError ${code}, got ${String(err)}`).toBeInstanceOf(ShoalError);
  expect(err).toBeInstanceOf(Error);
  const shoalError = err as ShoalError;
  expect(shoalError.code).toBe(code);
  if (errorClass) expect(shoalError).toBeInstanceOf(errorClass);
  expect(typeof shoalError.message).toBe('string');
  expect(shoalError.message.length).toBeGreaterThan(0);
  return shoalError;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One sample line of Prometheus text. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Reads the sample lines of the Prometheus text exposition format (comments skipped). */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    const raw = match[3]!;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

/** A scrape of `/metrics`. */
export class Metrics {
  constructor(
    readonly text: string,
    readonly samples: readonly Sample[],
  ) {}

  static async scrape(node: NodeProcess): Promise<Metrics> {
    const response = await fetch(`${node.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    return new Metrics(text, parsePrometheus(text));
  }

  /** The sum of the samples of `name` whose labels include `labels`; undefined if none. */
  find(name: string, labels: Record<string, string> = {}): number | undefined {
    const matching = this.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    return matching.length === 0 ? undefined : matching.reduce((sum, s) => sum + s.value, 0);
  }

  /** Like `find`, but 0 when there is no such sample. */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.find(name, labels) ?? 0;
  }

  /** The `# TYPE` of a metric family. */
  type(name: string): string | undefined {
    return new RegExp(`^# TYPE ${name} (\\S+)$`, 'm').exec(this.text)?.[1];
  }
}

/** Counts of `process.getActiveResourcesInfo()` by resource type. */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** The resource types of which `now` holds more than `baseline`. */
export function resourcesAbove(baseline: Map<string, number>, now: Map<string, number>): Record<string, number> {
  const extra: Record<string, number> = {};
  for (const [type, count] of now) {
    const more = count - (baseline.get(type) ?? 0);
    if (more > 0) extra[type] = more;
  }
  return extra;
}
