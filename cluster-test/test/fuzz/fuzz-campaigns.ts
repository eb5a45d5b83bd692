import { FrameKind, Opcode, encodeKey } from '@shoal/client/protocol';
import { mutate } from './byte-mutations.js';
import type { Campaign, FuzzCase } from './campaign-runner.js';
import { FUZZ_CACHE, helloBytes, helloWire, requestsBytes, validRequests } from './frame-templates.js';
import { INTERESTING_LENGTHS, garbage, garbageString, lyingHeader } from './garbage-values.js';
import { Raw, Sized, concat, header, pack } from './msgpack-writer.js';
import type { Rng } from './prng.js';
import { type Outgoing, describe, isKnownOpcode } from './wire-oracle.js';

/** The frame limit the fuzz nodes run with (`--max-frame-bytes`). */
export const FUZZ_MAX_FRAME_BYTES = 65_536;

type Path = readonly (number | string)[];

/** Every position in a wire value: the root, each array element and map value, recursively (bins are leaves). */
function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...prefix, i], out));
  else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    for (const key of Object.keys(value)) paths((value as Record<string, unknown>)[key], [...prefix, key], out);
  }
  return out;
}

/** A copy of `value` with the position at `path` replaced (or, with `remove`, deleted). */
function replaceAt(value: unknown, path: Path, replacement: unknown, remove = false): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && remove) copy.splice(head as number, 1);
    else copy[head as number] = replaceAt(copy[head as number], rest, replacement, remove);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && remove) delete copy[head as string];
  else copy[head as string] = replaceAt(copy[head as string], rest, replacement, remove);
  return copy;
}

function pathLabel(path: Path): string {
  return path.length === 0 ? 'the whole frame' : `position [${path.join('][')}]`;
}

function idCounter(index: number): () => number {
  let next = index * 16;
  return () => next++;
}

const binary = (bytes: Uint8Array): Outgoing => ({ binary: bytes });

/** Random bytes, alone or behind a plausible frame prefix, before and after the hello. */
export const randomBytes: Campaign = {
  name: 'random bytes',
  iterations: 400,
  generate(rng) {
    const start = rng.chance(0.5) ? 'fresh' : 'serving';
    const prefixes = [[], [0x92, 0x02], [0x92, 0x02, 0x91], [0x92, 0x02, 0x91, 0x94, 0x01, 0x0c], [0x94, 0x00, 0x01, 0xc0]];
    const frames = Array.from({ length: rng.between(1, 3) }, () => {
      const length = rng.chance(0.04) ? rng.between(1_000, 60_000) : rng.length(300);
      return binary(concat(Uint8Array.from(rng.pick(prefixes)), rng.bytes(length)));
    });
    return { label: `${frames.length} frame(s) of random bytes`, start, frames };
  },
};

/** Small valid frames cut at every length, then random frames cut at random lengths. */
export const truncatedFrames: Campaign = {
  name: 'truncated frames',
  iterations: 600,
  generate(rng, index) {
    const fixed = fixedFrames();
    let offset = index;
    for (const frame of fixed) {
      if (offset < frame.bytes.length) {
        return { label: `${frame.label} (${frame.bytes.length} bytes) cut to ${offset} bytes`, start: frame.start, frames: [binary(frame.bytes.slice(0, offset))] };
      }
      offset -= frame.bytes.length;
    }
    const hello = rng.chance(0.2);
    const bytes = hello ? helloBytes(garbageString(rng)) : requestsBytes(validRequests(rng, idCounter(index), 6));
    const cut = rng.int(bytes.length);
    return { label: `valid ${hello ? 'hello' : 'requests frame'} (${bytes.length} bytes) cut to ${cut} bytes`, start: hello ? 'fresh' : 'serving', frames: [binary(bytes.slice(0, cut))] };
  },
};

let fixedFramesCache: { label: string; start: 'fresh' | 'serving'; bytes: Uint8Array }[] | undefined;
function fixedFrames() {
  fixedFramesCache ??= [
    { label: 'hello', start: 'fresh', bytes: helloBytes('fuzzer') },
    { label: 'Put request', start: 'serving', bytes: requestsBytes([[1, Opcode.Put, FUZZ_CACHE, encodeKey('k'), pack({ v: 1 })]]) },
    { label: 'GetAll + Scan requests', start: 'serving', bytes: requestsBytes([[2, Opcode.GetAll, FUZZ_CACHE, [encodeKey('k'), encodeKey(7)]], [3, Opcode.Scan, FUZZ_CACHE, 0, 10]]) },
    { label: 'CreateCache request', start: 'serving', bytes: requestsBytes([[4, Opcode.CreateCache, FUZZ_CACHE, { mode: 'partitioned', backups: 1, partitions: 8 }]]) },
  ];
  return fixedFramesCache;
}

/** A valid hello or requests frame with one position replaced by a value of another type, deleted, or padded. */
export const wrongTypes: Campaign = {
  name: 'wrong types',
  iterations: 1_200,
  generate(rng, index) {
    const hello = rng.chance(0.2);
    const wire = hello ? helloWire() : [FrameKind.Requests, validRequests(rng, idCounter(index), 3)];
    const all = paths(wire);
    const path = rng.pick(all);
    const roll = rng.next();
    let mutated: unknown;
    let what: string;
    if (roll < 0.15 && path.length > 0) {
      mutated = replaceAt(wire, path, undefined, true);
      what = `${pathLabel(path)} deleted`;
    } else if (roll < 0.25) {
      const extra = garbage(rng);
      const target = path.length > 0 && Array.isArray(getAt(wire, path)) ? path : [];
      mutated = replaceAt(wire, target, [...(getAt(wire, target) as unknown[]), extra]);
      what = `${describe(extra, 60)} appended at ${pathLabel(target)}`;
    } else {
      const replacement = garbage(rng);
      mutated = replaceAt(wire, path, replacement);
      what = `${pathLabel(path)} replaced by ${describe(replacement, 80)}`;
    }
    return { label: `${hello ? 'hello' : 'requests frame'} with ${what}`, start: hello ? 'fresh' : 'serving', frames: [binary(pack(mutated))] };
  },
};

function getAt(value: unknown, path: Path): unknown {
  let at = value;
  for (const step of path) at = (at as Record<string | number, unknown>)[step];
  return at;
}

/** Headers that claim up to 2^32-1 elements or bytes with little following, alone, nested, or repeated. */
export const hugeLengths: Campaign = {
  name: 'huge declared lengths',
  iterations: 400,
  generate(rng, index) {
    const hello = rng.chance(0.15);
    const wire = hello ? helloWire() : [FrameKind.Requests, validRequests(rng, idCounter(index), 2)];
    const path = rng.pick(paths(wire));
    let lie: Uint8Array;
    let what: string;
    if (rng.chance(0.5)) {
      lie = lyingHeader(rng);
      what = `a lying header ${Buffer.from(lie.subarray(0, 6)).toString('hex')}…`;
    } else {
      const kind = rng.pick(['array', 'map', 'array', 'str', 'bin'] as const);
      const length = rng.pick(INTERESTING_LENGTHS);
      const width = length > 0xffff ? 32 : rng.pick([16, 32] as const);
      const one = header(kind, length, width);
      const times = rng.pick([2, 10, 100, 1_000, 5_000, Math.floor(60_000 / one.length)]);
      lie = concat(...Array.from({ length: times }, () => one), rng.bytes(rng.length(8)));
      what = `${times} nested ${kind}${width} headers each claiming ${length}`;
    }
    const frame = pack(replaceAt(wire, path, new Raw(lie)));
    return { label: `${hello ? 'hello' : 'requests frame'} with ${what} at ${pathLabel(path)}`, start: hello ? 'fresh' : 'serving', frames: [binary(frame)] };
  },
};

const ODD_KINDS: readonly unknown[] = [1, 3, 4, 5, 6, 7, 15, 16, 127, 128, 255, 256, 65_535, -1, -32, 2 ** 32, 2 ** 53, 0.5, 2.5, Number.NaN, null, true, 'hello', 'requests', '', [], {}, new Sized(2, 64), new Uint8Array([2])];
const ODD_OPCODE_CANDIDATES: readonly unknown[] = [
  0, -1, 5, 9, 25, 26, 39, 45, 46, 99, 255, 256, 65_535, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER, 1.5, 10.5, 40.000001, Number.NaN, Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY, '10', 'Get', 'Ping', '', null, true, false, [], [10], { code: 10 }, new Uint8Array([10]), new Sized(10, 64), new Sized(1, 'f32'), -0,
];

/** Opcodes that do not exist (worked out at run time: the protocol gains opcodes). */
const ODD_OPCODES = ODD_OPCODE_CANDIDATES.filter((op) => !isKnownOpcode(op));

/** Frames of kinds a client must not send, and requests with opcodes that do not exist. */
export const unknownKindsAndOpcodes: Campaign = {
  name: 'unknown frame kinds and opcodes',
  iterations: 300,
  generate(rng, index) {
    if (rng.chance(0.35)) {
      const kind = rng.pick(ODD_KINDS);
      const fields = rng.chance(0.5) ? [[[1, Opcode.Ping]]] : Array.from({ length: rng.int(4) }, () => garbage(rng, 2));
      const start = rng.chance(0.5) ? 'fresh' : 'serving';
      return { label: `frame of kind ${describe(kind)} with ${fields.length} field(s)`, start, frames: [binary(pack([kind, ...fields]))] };
    }
    const nextId = idCounter(index);
    const requests: unknown[] = [];
    for (let i = rng.between(1, 4); i > 0; i--) {
      if (rng.chance(0.3)) requests.push(...validRequests(rng, nextId, 1));
      else requests.push([nextId(), rng.pick(ODD_OPCODES), ...Array.from({ length: rng.int(3) }, () => (rng.chance(0.5) ? FUZZ_CACHE : garbage(rng, 2)))]);
    }
    return { label: `${requests.length} request(s) with odd opcodes`, start: 'serving', frames: [binary(pack([FrameKind.Requests, requests]))] };
  },
};

/** Requests before the hello, a second hello, hellos of every wrong shape, node-only frames from a client. */
export const handshakeOrder: Campaign = {
  name: 'handshake and frame order',
  iterations: 200,
  generate(rng, index) {
    const requests = () => requestsBytes(validRequests(rng, idCounter(index), 2));
    switch (rng.int(7)) {
      case 0:
        return { label: 'requests before the hello', start: 'fresh', frames: [binary(requests())] };
      case 1:
        return { label: 'a second hello', start: 'serving', frames: [binary(helloBytes('again')), binary(requests())] };
      case 2: {
        const version = rng.pick<unknown>([0, 2, -1, 1.5, Number.NaN, 2 ** 32, '1', null, new Sized(1, 64), new Sized(1, 'f64'), 1]);
        const token = rng.pick<unknown>([null, 'some-token', 12_345, true, [], {}, new Uint8Array([1])]);
        const name = rng.pick<unknown>(['fuzzer', 5, null, '', 'x'.repeat(10_000)]);
        const hello = [FrameKind.Hello, version, token, name, ...(rng.chance(0.2) ? [garbage(rng)] : [])];
        return { label: `hello ${describe(hello, 80)}`, start: 'fresh', frames: [binary(pack(hello)), binary(requests())] };
      }
      case 3: {
        const short = [[FrameKind.Hello], [FrameKind.Hello, 1], [FrameKind.Hello, 1, null], [], [FrameKind.Hello, 1, null, 'fuzzer', 'extra', 'fields']];
        const hello = rng.pick(short);
        return { label: `hello ${describe(hello)}`, start: 'fresh', frames: [binary(pack(hello)), binary(requests())] };
      }
      case 4: {
        const frame = rng.pick<unknown[]>([
          [FrameKind.Welcome, 1, 'node-x', 1024, 65_536],
          [FrameKind.Responses, [[1, 0, null]]],
          [FrameKind.Fatal, 'BAD_REQUEST', 'go away'],
        ]);
        return { label: `a node-only frame ${describe(frame)} from a client`, start: rng.chance(0.5) ? 'fresh' : 'serving', frames: [binary(pack(frame))] };
      }
      case 5:
        return { label: 'an empty requests frame', start: 'serving', frames: [binary(pack([FrameKind.Requests, []]))] };
      default:
        return { label: 'hello, requests, hello', start: 'fresh', frames: [binary(helloBytes()), binary(requests()), binary(helloBytes())] };
    }
  },
};

/** Text messages, valid and invalid UTF-8, before and after the hello. */
export const textMessages: Campaign = {
  name: 'text messages',
  iterations: 120,
  generate(rng, index) {
    const start = rng.chance(0.5) ? 'fresh' : 'serving';
    const texts: (string | Uint8Array)[] = [
      'hello',
      '',
      JSON.stringify([0, 1, null, 'fuzzer']),
      JSON.stringify([2, [[1, 1]]]),
      garbageString(rng),
      'z'.repeat(rng.between(1_000, 20_000)),
      Uint8Array.from([0xff, 0xfe, 0x00]),
      Uint8Array.from([0x80]),
      Uint8Array.from([0xc0, 0xaf]),
      Uint8Array.from([0xed, 0xa0, 0x80]),
      helloBytes(),
      requestsBytes(validRequests(rng, idCounter(index), 1)),
    ];
    const text = rng.pick(texts);
    return { label: `text message ${typeof text === 'string' ? describe(text, 60) : `of bytes ${Buffer.from(text).toString('hex').slice(0, 40)}`}`, start, frames: [{ text }] };
  },
};

/** A requests frame of exactly `total` bytes: one Put whose value bin pads it out. */
export function paddedPutFrame(total: number, id = 1): Uint8Array {
  const build = (length: number) => requestsBytes([[id, Opcode.Put, FUZZ_CACHE, encodeKey('padded'), new Uint8Array(length).fill(0x61)]]);
  let length = Math.max(1, total - build(1).length + 1);
  for (let i = 0; i < 4; i++) length += total - build(length).length;
  const frame = build(length);
  if (frame.length !== total) throw new Error(`cannot pad a frame to exactly ${total} bytes`);
  return frame;
}

/** Frames over the node's limit (in one message or in fragments), and frames right at it. */
export const oversizedFrames: Campaign = {
  name: 'oversized frames',
  iterations: 40,
  generate(rng, index) {
    const max = FUZZ_MAX_FRAME_BYTES;
    const size = rng.pick([max - 1, max, max + 1, max + 2, max + 1_000, 2 * max, 1024 * 1024, rng.chance(0.3) ? 4 * 1024 * 1024 : max + 17]);
    const start = rng.chance(0.5) ? 'fresh' : 'serving';
    const content = start === 'serving' && rng.chance(0.6) ? paddedPutFrame(size, index) : rng.bytes(size);
    let message: Outgoing = binary(content);
    let how = 'one message';
    if (rng.chance(0.3)) {
      const cuts = Array.from({ length: rng.between(1, 4) }, () => rng.int(size)).sort((a, b) => a - b);
      const bounds = [0, ...cuts, size];
      message = { fragments: bounds.slice(1).map((end, i) => content.slice(bounds[i], end)) };
      how = `${bounds.length - 1} fragments`;
    }
    return { label: `${size}-byte ${start === 'serving' ? 'frame' : 'first frame'} in ${how}`, start, frames: [message] };
  },
};

/** Valid hellos and requests frames with bit flips, inserted, deleted, overwritten and copied bytes. */
export const mutatedFrames: Campaign = {
  name: 'mutated valid frames',
  iterations: 2_000,
  generate(rng, index) {
    if (rng.chance(0.2)) return mutatedPayload(rng, index);
    const hello = rng.chance(0.12);
    const base = hello ? helloBytes('fuzzer') : requestsBytes(validRequests(rng, idCounter(index), 4));
    const { bytes, steps } = mutate(rng, base, 4);
    const original = Buffer.from(base).toString('hex');
    return {
      label: `${hello ? 'hello' : 'requests frame'} ${original.length > 400 ? `${original.slice(0, 400)}…` : original} mutated: ${steps.join('; ')}`,
      start: hello ? 'fresh' : 'serving',
      frames: [binary(bytes)],
    };
  },
};

/**
 * A well-formed frame whose key or value bytes (the bins a node stores without
 * decoding) are mutated, followed by reads of that key: what the node stores
 * it must give back intact, and its answers must stay well-formed.
 */
function mutatedPayload(rng: Rng, index: number): FuzzCase {
  const nextId = idCounter(index);
  const key = encodeKey(`k${rng.int(20)}`);
  const value = pack(rng.pick<unknown>([rng.int(1000), `v${rng.int(100)}`, { n: rng.int(10), tags: ['a', 'b'] }, [1, 2, 3]]));
  const mutateKey = rng.chance(0.3);
  const { bytes, steps } = mutate(rng, mutateKey ? key : value, 3);
  const [k, v] = mutateKey ? [bytes, value] : [key, bytes];
  const other = encodeKey(`k${rng.int(20)}`);
  const reads = [
    [nextId(), Opcode.GetAll, FUZZ_CACHE, rng.chance(0.5) ? [k, other] : [other, k, other]],
    [nextId(), Opcode.Get, FUZZ_CACHE, k],
    [nextId(), Opcode.Scan, FUZZ_CACHE, 0, 1_000],
  ];
  return {
    label: `Put with its ${mutateKey ? 'key' : 'value'} bytes ${Buffer.from(mutateKey ? key : value).toString('hex')} mutated (${steps.join('; ')}), then GetAll, Get and Scan`,
    start: 'serving',
    frames: [binary(pack([FrameKind.Requests, [[nextId(), Opcode.Put, FUZZ_CACHE, k, v], ...reads]]))],
  };
}

export const CAMPAIGNS: readonly Campaign[] = [
  randomBytes,
  truncatedFrames,
  wrongTypes,
  hugeLengths,
  unknownKindsAndOpcodes,
  handshakeOrder,
  textMessages,
  oversizedFrames,
  mutatedFrames,
];

export function campaignNamed(name: string): Campaign {
  const campaign = CAMPAIGNS.find((c) => c.name === name);
  if (!campaign) throw new Error(`no campaign '${name}'`);
  return campaign;
}
