import { Opcode } from '@shoal/client/protocol';
import { AttackConnection, type NodeEvent } from './attack-connection.js';
import { FUZZ_CACHE, helloBytes } from './frame-templates.js';
import { FOREIGN_NAMES, type FuzzTarget } from './fuzz-target.js';
import { Rng, hashSeed } from './prng.js';
import { ReferenceModel, latin1 } from './reference-model.js';
import {
  CLEAN_CLOSE_CODES,
  type ConnectionStage,
  type Expectation,
  type Outgoing,
  describe,
  expectationFor,
  hexOf,
  readNodeFrame,
  responsesProblem,
} from './wire-oracle.js';

/** One attack: frames sent in order on one connection, each checked before the next. */
export interface FuzzCase {
  readonly label: string;
  /** 'fresh': a new connection; 'serving': a connection that completed its hello (reused while it stays open). */
  readonly start: ConnectionStage;
  readonly frames: readonly Outgoing[];
}

/** A family of cases. `generate` must depend on nothing but `rng`, so a (seed, index) pair replays a case. */
export interface Campaign {
  readonly name: string;
  readonly iterations: number;
  generate(rng: Rng, index: number): FuzzCase;
  /** A hand-written case rather than a generated family: no seed to replay. */
  readonly handWritten?: boolean;
}

export interface RunOptions {
  /** Run only these case indexes (a named regression). */
  readonly only?: readonly number[];
  readonly iterations?: number;
  /** How long the node may take to answer or refuse one frame. */
  readonly answerTimeoutMs?: number;
}

export interface CampaignStats {
  cases: number;
  frames: number;
  connections: number;
  welcomed: number;
  answered: number;
  refused: number;
  resyncs: number;
  outcomes: Record<string, number>;
}

type Settled =
  | { readonly kind: 'welcomed' }
  | { readonly kind: 'answered'; readonly entries: readonly (readonly unknown[])[] }
  | { readonly kind: 'refused'; readonly how: string };

class Problem extends Error {}

/** The seed a case of a campaign is generated from. */
export function caseSeed(seed: number, campaign: string, index: number): number {
  return hashSeed(seed, `${campaign}#${index}`);
}

export function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Runs a campaign against the target and throws, with everything needed to
 * replay it, at the first case the node gets wrong.
 */
export async function runCampaign(target: FuzzTarget, campaign: Campaign, seed: number, options: RunOptions = {}): Promise<CampaignStats> {
  const iterations = options.iterations ?? campaign.iterations;
  const indexes = options.only ?? Array.from({ length: iterations }, (_, i) => i);
  const timeoutMs = options.answerTimeoutMs ?? 3_000;
  const stats: CampaignStats = { cases: 0, frames: 0, connections: 0, welcomed: 0, answered: 0, refused: 0, resyncs: 0, outcomes: {} };
  const model = new ReferenceModel(FOREIGN_NAMES);
  const [created] = await target.observe([[0, Opcode.CreateCache, FUZZ_CACHE, { mode: 'partitioned', backups: 1, partitions: 8 }]]);
  model.apply([0, Opcode.CreateCache, FUZZ_CACHE], created!);
  let serving: AttackConnection | undefined;

  for (const index of indexes) {
    const fuzzCase = campaign.generate(new Rng(caseSeed(seed, campaign.name, index)), index);
    stats.cases++;
    let connection: AttackConnection;
    let stage: ConnectionStage;
    try {
      if (fuzzCase.start === 'serving') {
        if (!serving || serving.closed) {
          serving = await openServing(target, timeoutMs);
          stats.connections++;
        }
        connection = serving;
        stage = 'serving';
      } else {
        connection = await AttackConnection.open(target.endpoint);
        stats.connections++;
        stage = 'fresh';
      }
    } catch (err) {
      throw await failure(target, campaign, seed, index, fuzzCase, undefined, `could not connect: ${(err as Error).message}`);
    }

    for (let f = 0; f < fuzzCase.frames.length && !connection.closed; f++) {
      const frame = fuzzCase.frames[f]!;
      const expectation = expectationFor(stage, frame, target.maxFrameBytes);
      if (model.uncertain.size > 0) {
        try {
          await resync(target, model);
        } catch (err) {
          const problem = `re-reading the fuzz caches (after a refused frame that may have run some requests) failed before this case: ${(err as Error).message}`;
          throw await failure(target, campaign, seed, index, fuzzCase, undefined, problem);
        }
        stats.resyncs++;
      }
      connection.send(frame);
      stats.frames++;
      let settled: Settled;
      try {
        settled = await settle(connection, expectation, timeoutMs, target.maxFrameBytes);
      } catch (err) {
        if (!(err instanceof Problem)) throw err;
        connection.terminate();
        throw await failure(target, campaign, seed, index, fuzzCase, { frame: f, stage, expectation }, err.message);
      }
      const outcome = settled.kind === 'refused' ? settled.how : settled.kind;
      stats.outcomes[outcome] = (stats.outcomes[outcome] ?? 0) + 1;
      if (settled.kind === 'welcomed') {
        stats.welcomed++;
        stage = 'serving';
      } else if (settled.kind === 'answered') {
        stats.answered++;
        if (expectation.kind === 'any') continue;
        const requests = (expectation as { requests: readonly unknown[] }).requests;
        for (let i = 0; i < requests.length; i++) {
          const request = requests[i];
          if (!Array.isArray(request)) continue;
          const complaint = model.apply(request, settled.entries[i]!);
          if (complaint) throw await failure(target, campaign, seed, index, fuzzCase, { frame: f, stage, expectation }, `wrong answer: ${complaint}`);
        }
      } else {
        stats.refused++;
        // The node may have run the requests before the one it choked on.
        if (expectation.kind === 'answer-or-reject') model.markUncertain(expectation.requests.slice(0, expectation.firstBad));
      }
    }
    if (connection !== serving) {
      if (stage === 'serving' && !connection.closed && (!serving || serving.closed)) serving = connection;
      else connection.socket.close();
    }
    if (stats.cases % 100 === 0 && !target.node.alive) throw await failure(target, campaign, seed, index, fuzzCase, undefined, 'the node died');
  }
  serving?.socket.close();
  if (!target.node.alive) throw new Error(`after campaign '${campaign.name}': ${target.nodeTrouble()}`);
  return stats;
}

async function openServing(target: FuzzTarget, timeoutMs: number): Promise<AttackConnection> {
  const connection = await AttackConnection.open(target.endpoint);
  connection.send({ binary: helloBytes('fuzzer') });
  const event = await connection.next(timeoutMs);
  if (event?.type !== 'message') throw new Error(`a valid hello got ${describe(event)}${target.nodeTrouble() ?? ''}`);
  return connection;
}

/** Reads the node's idea of what the model tracks, after it may have run requests without answering. */
async function resync(target: FuzzTarget, model: ReferenceModel): Promise<void> {
  const [listed] = await target.observe([[0, Opcode.ListCaches]]);
  if (listed?.[1] !== 0) throw new Error(`resync: ListCaches failed: ${describe(listed)}`);
  const caches = new Map<string, Map<string, string>>();
  for (const { name } of listed[2] as { name: string }[]) {
    if (model.isForeign(name)) continue;
    const entries = new Map<string, string>();
    let cursor: number | null = 0;
    while (cursor !== null) {
      const [page] = await target.observe([[0, Opcode.Scan, name, cursor, 100_000]]);
      if (page?.[1] !== 0) throw new Error(`ListCaches lists '${describe(name)}', but a Scan of that name failed: ${describe(page)}`);
      const [next, flat] = page[2] as [number | null, Uint8Array[]];
      for (let i = 0; i < flat.length; i += 2) entries.set(latin1(flat[i]!), latin1(flat[i + 1]!));
      cursor = next;
    }
    caches.set(name, entries);
  }
  const names = [...new Set([...model.counters.keys(), ...model.uncertain])].filter((n) => n.length > 0 && n.length <= 255 && !model.isForeign(n));
  const counters = new Map<string, number>();
  if (names.length > 0) {
    const read = await target.observe(names.map((n) => [0, Opcode.AtomicGet, n]));
    read.forEach((entry, i) => {
      if (entry[1] === 0 && typeof entry[2] === 'number') counters.set(names[i]!, entry[2]);
    });
  }
  model.resync(caches, counters);
}

/** Waits for the node's reaction to one frame and checks it against the expectation. */
async function settle(connection: AttackConnection, expectation: Expectation, timeoutMs: number, maxFrameBytes: number): Promise<Settled> {
  const mustAnswer = (expectation.kind === 'welcome' && !expectation.mayRefuse) || expectation.kind === 'responses';
  const first = await connection.next(timeoutMs);
  if (!first) throw new Problem(mustAnswer ? `no answer within ${timeoutMs} ms` : `neither answered, refused nor closed within ${timeoutMs} ms`);
  if (first.type === 'close') return closed(first, expectation, mustAnswer, 'closed');
  if (first.type !== 'message') throw new Problem(`unexpected event ${describe(first)}`);
  const frame = readNodeFrame(first.data, first.isBinary);
  if (typeof frame === 'string') throw new Problem(`malformed data from the node: ${frame} (hex ${first.data.subarray(0, 256).toString('hex')})`);
  switch (frame.kind) {
    case 'welcome':
      if (expectation.kind !== 'welcome') throw new Problem(`sent a welcome, but expected: ${explain(expectation)}`);
      if (frame.maxFrameBytes !== maxFrameBytes) throw new Problem(`welcome says maxFrameBytes ${frame.maxFrameBytes}, the node runs with ${maxFrameBytes}`);
      return { kind: 'welcomed' };
    case 'responses': {
      if (expectation.kind === 'any') return { kind: 'answered', entries: frame.entries };
      if (expectation.kind !== 'responses' && expectation.kind !== 'answer-or-reject') throw new Problem(`sent responses ${describe(frame.entries)}, but expected: ${explain(expectation)}`);
      const problem = responsesProblem(expectation.requests, frame.entries);
      if (problem) throw new Problem(`malformed or wrong responses: ${problem}`);
      return { kind: 'answered', entries: frame.entries };
    }
    case 'fatal': {
      if (mustAnswer) throw new Problem(`refused a well-formed frame with Fatal ${frame.code}: ${frame.message}`);
      const after = await connection.next(timeoutMs);
      if (!after) throw new Problem(`sent Fatal ${frame.code} but did not close the connection within ${timeoutMs} ms`);
      if (after.type !== 'close') throw new Problem(`sent more after Fatal ${frame.code}: ${describe(after)}`);
      return closed(after, expectation, mustAnswer, `Fatal ${frame.code}`);
    }
  }
}

function closed(event: Extract<NodeEvent, { type: 'close' }>, expectation: Expectation, mustAnswer: boolean, how: string): Settled {
  if (mustAnswer) {
    throw new Problem(`closed the connection (${closeText(event)}) instead of answering; expected: ${explain(expectation)}`);
  }
  if (!CLEAN_CLOSE_CODES.has(event.code)) throw new Problem(`the connection ended without a clean close (${closeText(event)})`);
  if (expectation.kind === 'too-large' && event.code !== 1009) return { kind: 'refused', how: `${how} + close ${event.code} (not 1009) for a too-large frame` };
  return { kind: 'refused', how: `${how} + close ${event.code}` };
}

/** Whether the node, still running, answers /healthz: tells a hung node from a slow one. */
async function responsiveness(target: FuzzTarget): Promise<string> {
  const started = Date.now();
  try {
    const response = await fetch(`${target.node.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return `the node process is alive; /healthz answered ${response.status} in ${Date.now() - started} ms`;
  } catch {
    return `the node process is alive but /healthz did not answer within 2 s (its event loop is stuck)${target.nodeTrouble() ?? ''}`;
  }
}

function closeText(event: { code: number; reason: string }): string {
  return event.reason ? `code ${event.code}, reason '${event.reason}'` : `code ${event.code}`;
}

function explain(expectation: Expectation): string {
  switch (expectation.kind) {
    case 'welcome':
      return expectation.mayRefuse ? `a welcome or a refusal (${expectation.mayRefuse})` : 'a welcome (valid hello)';
    case 'responses':
      return `responses to ${expectation.requests.length} well-formed requests`;
    case 'answer-or-reject':
      return `responses or a refusal (${expectation.why})`;
    case 'reject':
      return `a refusal (${expectation.why})`;
    case 'too-large':
      return 'a close with 1009 (frame over the limit)';
    case 'any':
      return `any well-formed answer or a refusal (${expectation.why})`;
  }
}

async function failure(
  target: FuzzTarget,
  campaign: Campaign,
  seed: number,
  index: number,
  fuzzCase: FuzzCase,
  at: { frame: number; stage: ConnectionStage; expectation: Expectation } | undefined,
  problem: string,
): Promise<Error> {
  // A dropped connection is often the node dying: give the exit a moment to be seen.
  for (let i = 0; i < 20 && target.node.alive; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  const lines = [
    `PROTOCOL FUZZ FAILURE in campaign '${campaign.name}', case #${index}, seed ${hex32(seed)} (case seed ${hex32(caseSeed(seed, campaign.name, index))})`,
    `problem: ${problem}`,
    `case: ${fuzzCase.label} (starts on a ${fuzzCase.start} connection)`,
  ];
  fuzzCase.frames.forEach((frame, i) => {
    const marker = at?.frame === i ? `  <-- this frame, sent at stage '${at.stage}', expected ${explain(at.expectation)}` : '';
    lines.push(`frame ${i}: ${hexOf(frame)}${marker}`);
  });
  if (!campaign.handWritten) {
    lines.push(
      `replay: SHOAL_FUZZ_SEED=${hex32(seed)} npx vitest run cluster-test/test/protocol-fuzz.test.ts -t '${campaign.name}'`,
      `keep it as a named regression (FAILED_SEEDS in protocol-fuzz.test.ts): { campaign: '${campaign.name}', seed: ${hex32(seed)}, index: ${index}, label: ${JSON.stringify(fuzzCase.label.slice(0, 60))}, note: '…' }`,
    );
  }
  const trouble = target.nodeTrouble();
  if (trouble) lines.push(trouble);
  else {
    lines.push(await responsiveness(target));
    const logs = target.node.logs.trim();
    if (logs) lines.push(`its last warnings and errors:\n${logs.slice(-2_000)}`);
  }
  return new Error(lines.join('\n'));
}
