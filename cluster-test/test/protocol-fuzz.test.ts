import { FrameKind, Opcode, encodeKey, encodeValue } from '@shoal/client/protocol';
import { describe, expect, it } from 'vitest';
import { type Campaign, type FuzzCase, caseSeed, hex32, runCampaign } from './fuzz/campaign-runner.js';
import { churnConnections } from './fuzz/connection-churn.js';
import { CAMPAIGNS, FUZZ_MAX_FRAME_BYTES, campaignNamed, paddedPutFrame } from './fuzz/fuzz-campaigns.js';
import { fuzzSeed } from './fuzz/fuzz-seed.js';
import { withFuzzTarget } from './fuzz/fuzz-target.js';
import { deepNesting } from './fuzz/garbage-values.js';
import { Raw, concat, header, pack } from './fuzz/msgpack-writer.js';
import { Rng, hashSeed } from './fuzz/prng.js';

/**
 * Throws random and mutated frames at a real `shoal node` over raw
 * WebSockets. For every frame the node must answer it correctly, or refuse it
 * with a Fatal frame and/or a clean close; never crash, hang or send malformed
 * data. Meanwhile an SDK client keeps working, and the data it wrote before
 * the attack must be intact after it, byte for byte.
 *
 * Deterministic: every case comes from (seed, campaign, index). The seed is
 * printed; set SHOAL_FUZZ_SEED to replay or explore another. A failure prints
 * the case, its frames in hex and how to replay it; a seed that once failed is
 * kept below as a named test.
 *
 * Each test runs its own node (`--max-frame-bytes 65536`, a 256 MB V8 heap so
 * that a memory blow-up kills it in a second instead of eating the machine).
 * Answers are checked against a reference model of the fuzz caches and
 * counters (fuzz/reference-model.ts), not only for their shape.
 */

const SEED = fuzzSeed();
/** Generous: a campaign takes seconds alone, but shares two cores with its neighbours and the rest of the suite. */
const CAMPAIGN_TIMEOUT_MS = 150_000;
console.log(`[protocol-fuzz] seed ${hex32(SEED)}; replay with SHOAL_FUZZ_SEED=${hex32(SEED)}`);

function report(name: string, stats: Awaited<ReturnType<typeof runCampaign>>): void {
  const outcomes = Object.entries(stats.outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  console.log(`[protocol-fuzz] ${name}: ${stats.cases} cases, ${stats.frames} frames on ${stats.connections} connections, ${stats.resyncs} model resyncs; ${outcomes}`);
}

describe.concurrent('protocol fuzz: a real node under attack', () => {
  for (const campaign of CAMPAIGNS) {
    it(`${campaign.name} (${campaign.iterations} cases)`, async () => {
      await withFuzzTarget({ maxFrameBytes: FUZZ_MAX_FRAME_BYTES }, async (target) => {
        const stats = await runCampaign(target, campaign, SEED);
        report(campaign.name, stats);
        expect(stats.cases).toBe(campaign.iterations);
      });
    }, CAMPAIGN_TIMEOUT_MS);
  }

  it('connections opened and dropped mid-upgrade, mid-frame and mid-message (300)', async () => {
    await withFuzzTarget({ maxFrameBytes: FUZZ_MAX_FRAME_BYTES }, async (target) => {
      const tally = await churnConnections(target, new Rng(hashSeed(SEED, 'churn')), 300);
      console.log(`[protocol-fuzz] connection churn: ${JSON.stringify(tally)}`);
    });
  }, CAMPAIGN_TIMEOUT_MS);
});

/** A one-case campaign, checked by the same oracle as the random ones. */
function single(name: string, fuzzCase: FuzzCase): Campaign {
  return { name, iterations: 1, generate: () => fuzzCase, handWritten: true };
}

const requests = (...list: unknown[][]) => ({ binary: pack([FrameKind.Requests, list]) });

/**
 * Seeds and cases that once failed; each replays only its failing case, on a
 * fresh node. `label` guards against generator drift: if the campaign's code
 * changed so that the index no longer makes the same case, the test says so.
 */
const FAILED_SEEDS: readonly { campaign: string; seed: number; index: number; label: string; note: string }[] = [
  {
    campaign: 'wrong types',
    seed: 0x05eed0a1,
    index: 889,
    label: 'position [1][0][1] replaced by {"toString":true,"valueOf":',
    note: 'an opcode {toString, valueOf} crashed the node (String(opcode) throws outside the handler try)',
  },
  {
    campaign: 'wrong types',
    seed: 0x1,
    index: 394,
    label: 'position [1][0][1] replaced by {"bytes":"bin:919191',
    note: 'an opcode nested thousands of arrays deep crashed the node (stack overflow in String(opcode))',
  },
  {
    campaign: 'huge declared lengths',
    seed: 0x05eed0a1,
    index: 51,
    label: '1000 nested array32 headers each claiming 999999',
    note: 'a 5 kB frame of array32 headers ran the node out of memory (the decoder preallocates each declared array)',
  },
  {
    campaign: 'huge declared lengths',
    seed: 0x3,
    index: 1,
    label: '12000 nested array32 headers each claiming 65536',
    note: 'no answer for seconds, then out of memory',
  },
  {
    campaign: 'mutated valid frames',
    seed: 0x05eed0a1,
    index: 26,
    label: 'Put with its value bytes a27637 mutated',
    note: 'a stored value that is not one msgpack value made GetAll answer a malformed array',
  },
];

// Each regression runs on its own node and mostly waits (for a start, a crash, a timeout): run them side by side.
describe.concurrent('protocol fuzz: named regressions', () => {
  for (const { campaign: name, seed, index, label, note } of FAILED_SEEDS) {
    it(`${name}, seed ${hex32(seed)}, case ${index}: ${note}`, async () => {
      const campaign = campaignNamed(name);
      const fuzzCase = campaign.generate(new Rng(caseSeed(seed, name, index)), index);
      expect(fuzzCase.label, 'the campaign no longer generates the case this regression was recorded for').toContain(label);
      await withFuzzTarget({ maxFrameBytes: FUZZ_MAX_FRAME_BYTES }, async (target) => {
        await runCampaign(target, campaign, seed, { only: [index] });
      });
    }, CAMPAIGN_TIMEOUT_MS);
  }

  it('an opcode that is a map with a toString key is refused, not fatal to the node', async () => {
    await withFuzzTarget({ maxFrameBytes: FUZZ_MAX_FRAME_BYTES }, async (target) => {
      await runCampaign(target, single('opcode {toString: 0}', { label: 'opcode {toString: 0}', start: 'serving', frames: [requests([1, { toString: 0 }])] }), 0);
    });
  });

  it('an opcode nested 20,000 arrays deep is refused, not fatal to the node', async () => {
    await withFuzzTarget({ maxFrameBytes: FUZZ_MAX_FRAME_BYTES }, async (target) => {
      await runCampaign(target, single('deep opcode', { label: 'opcode nested 20,000 deep', start: 'serving', frames: [requests([1, deepNesting(20_000)])] }), 0);
    });
  });

  it('a 1,000-byte frame of nested array32 headers claiming 1,000,000 elements each does not exhaust memory', async () => {
    await withFuzzTarget({ maxFrameBytes: FUZZ_MAX_FRAME_BYTES }, async (target) => {
      const bomb = concat(...Array.from({ length: 200 }, () => header('array', 1_000_000, 32)));
      await runCampaign(target, single('array32 bomb', { label: '200 × dd000f4240', start: 'serving', frames: [{ binary: bomb }] }), 0);
    });
  });

  it('a frame nested 4 Mi arrays deep (a 16th of the default frame limit) does not exhaust memory', async () => {
    await withFuzzTarget({ maxFrameBytes: 64 * 1024 * 1024 }, async (target) => {
      const frame = pack([FrameKind.Requests, [[1, Opcode.Ping, deepNesting(4 * 1024 * 1024)]]]);
      await runCampaign(target, single('deep frame', { label: '4 Mi nested fixarrays in a Ping', start: 'serving', frames: [{ binary: frame }] }), 0, { answerTimeoutMs: 20_000 });
    });
  });

  it('the internal atomic-longs cache is not reachable with cache operations (Clear would wipe every counter)', async () => {
    await withFuzzTarget({ maxFrameBytes: FUZZ_MAX_FRAME_BYTES }, async (target) => {
      await runCampaign(target, single('clear internal', { label: 'Clear __shoal.atomic_longs', start: 'serving', frames: [requests([1, Opcode.Clear, '__shoal.atomic_longs'])] }), 0);
    });
  });

  it('a value put into the internal atomic-longs cache cannot corrupt a counter', async () => {
    await withFuzzTarget({ maxFrameBytes: FUZZ_MAX_FRAME_BYTES }, async (target) => {
      const counterKey = encodeKey('fuzz-counter-a');
      const frames = [
        requests([1, Opcode.Put, '__shoal.atomic_longs', counterKey, encodeValue('not a number')]),
        requests([2, Opcode.AtomicGet, 'fuzz-counter-a'], [3, Opcode.AtomicAddAndGet, 'fuzz-counter-a', 1]),
      ];
      await runCampaign(target, single('put internal', { label: 'Put into __shoal.atomic_longs, then AtomicGet', start: 'serving', frames }), 0);
    });
  });

  it('a cache config whose mode is a map with a toString key fails with BAD_REQUEST, not INTERNAL', async () => {
    await withFuzzTarget({ maxFrameBytes: FUZZ_MAX_FRAME_BYTES }, async (target) => {
      const frame = requests([1, Opcode.CreateCache, 'fuzz-mode', { mode: { toString: 1 } }]);
      await runCampaign(target, single('mode toString', { label: 'CreateCache mode {toString: 1}', start: 'serving', frames: [frame] }), 0);
    });
  });

  it('a stored value that is not exactly one msgpack value cannot shift the values GetAll answers for other keys', async () => {
    await withFuzzTarget({ maxFrameBytes: FUZZ_MAX_FRAME_BYTES }, async (target) => {
      const [a, b, c] = [encodeKey('a'), encodeKey('b'), encodeKey('c')];
      const frames = [
        // 'a' holds two msgpack values, 'b' an array header without its element, 'c' the string 'v3'.
        requests(
          [1, Opcode.Put, 'fuzz', a, Uint8Array.from([0x01, 0x02])],
          [2, Opcode.Put, 'fuzz', b, Uint8Array.from([0x91])],
          [3, Opcode.Put, 'fuzz', c, encodeValue('v3')],
        ),
        // Spliced: 93 01 02 91 a2 76 33, a well-formed [1, 2, ['v3']]: every key gets a value that was never put.
        requests([4, Opcode.GetAll, 'fuzz', [a, b, c]]),
      ];
      await runCampaign(target, single('getAll splice', { label: 'Put 0102, 91 and "v3", then GetAll', start: 'serving', frames }), 0);
    });
  });

  it('a cache name that is not valid UTF-8 is refused, never echoed back as invalid UTF-8', async () => {
    await withFuzzTarget({ maxFrameBytes: FUZZ_MAX_FRAME_BYTES }, async (target) => {
      // 'fuzz-t' + ED A0 80 (an encoded lone surrogate, invalid in UTF-8).
      const nameBytes = concat(Buffer.from('fuzz-t'), Uint8Array.from([0xed, 0xa0, 0x80]));
      const name = new Raw(concat(header('str', nameBytes.length, 'fix'), nameBytes));
      const frames = [requests([1, Opcode.CreateCache, name, {}]), requests([2, Opcode.ListCaches])];
      await runCampaign(target, single('lone surrogate name', { label: 'CreateCache with a name holding ED A0 80, then ListCaches', start: 'serving', frames }), 0);
    });
  });

  it('a frame of exactly the max frame size is served; one byte more closes with 1009', async () => {
    await withFuzzTarget({ maxFrameBytes: FUZZ_MAX_FRAME_BYTES }, async (target) => {
      const fits = single('at the limit', { label: 'padded Put of exactly max bytes', start: 'serving', frames: [{ binary: paddedPutFrame(FUZZ_MAX_FRAME_BYTES) }] });
      const stats = await runCampaign(target, fits, 0);
      expect(stats.answered).toBe(1);
      const over = single('over the limit', { label: 'padded Put of max + 1 bytes', start: 'serving', frames: [{ binary: paddedPutFrame(FUZZ_MAX_FRAME_BYTES + 1) }] });
      const overStats = await runCampaign(target, over, 0);
      expect(overStats.outcomes).toEqual({ 'closed + close 1009': 1 });
    });
  });
});
