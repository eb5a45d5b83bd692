import fc from 'fast-check';
import { isLosslessNumber } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { parseExactJson } from '../src/decode/exact-json.js';
import { envelopeMembersOf } from '../src/decode/known-members.js';
import { RawRowJson, parsePayloadKeepingRows, withRowsParsed } from '../src/decode/payload-bytes.js';

/**
 * With the envelope schema's members, the payload members after `after`
 * are read from bytes by name; without them, parsed from text. Both must
 * give the very same payload (keys, their order, value types) or both null.
 */

/** Everything a payload can differ in, as text: own keys in order, bigint, LosslessNumber, -0, kept rows, odd prototypes. */
function shape(value: unknown): string {
  if (value instanceof RawRowJson) return `raw(${value.bytes.toString('utf8', value.start, value.end)} ${value.encoded === null})`;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : `d${value}`;
  if (isLosslessNumber(value)) return `L${value.value}`;
  if (Array.isArray(value)) return `[${value.map(shape).join(',')}]`;
  if (typeof value !== 'object') return `?${typeof value}`;
  const proto = Object.getPrototypeOf(value) === Object.prototype ? '' : 'odd prototype';
  const members = Reflect.ownKeys(value).map((key) => {
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    const flags = d.enumerable && d.writable && d.configurable ? '' : '(odd descriptor)';
    return `${typeof key === 'string' ? JSON.stringify(key) : String(key)}${flags}:${shape(d.value)}`;
  });
  return `${proto}{${members.join(',')}}`;
}

const field = (name: string, type = 'string') => ({ type, optional: true, field: name });
const struct = (name: string, fields: object[]) => ({ type: 'struct', optional: true, field: name, fields });
const rowFields = [field('id', 'int64'), field('name'), field('price', 'bytes')];
const pgSourceNames = ['version', 'connector', 'name', 'ts_ms', 'snapshot', 'db', 'sequence', 'ts_us', 'ts_ns', 'schema', 'table', 'txId', 'lsn', 'xmin'];
const transactionNames = ['id', 'total_order', 'data_collection_order'];
const tsNames = ['ts_ms', 'ts_us', 'ts_ns'];
/** Debezium's PostgreSQL envelope, and one whose names need care: `__proto__`, a quote, non-ASCII, a member past Debezium's. */
const schemas = [
  { sourceNames: pgSourceNames, tail: [] as string[] },
  { sourceNames: ['__proto__', 'a"b', 'é', 'ts_ms', 'lsn'], tail: ['__proto__'] },
].map(({ sourceNames, tail }) => ({
  sourceNames,
  tail,
  json: {
    type: 'struct',
    name: 'pg.public.t.Envelope',
    fields: [
      struct('before', rowFields),
      struct('after', rowFields),
      struct('source', sourceNames.map((n) => field(n))),
      struct('transaction', transactionNames.map((n) => field(n))),
      field('op'),
      ...tsNames.map((n) => field(n, 'int64')),
      ...tail.map((n) => field(n)),
    ],
  },
}));

function expectSameBothWays(text: string, schemaJson: unknown): Record<string, unknown> | null {
  const members = envelopeMembersOf(schemaJson);
  expect(members).not.toBeNull();
  const byName = parsePayloadKeepingRows(Buffer.from(text), null, members);
  const byText = parsePayloadKeepingRows(Buffer.from(text), null, null);
  const context = `payload ${text}`;
  if (byName === null || byText === null) {
    expect(byName === null, `${context}: null with members`).toBe(byText === null);
    return null;
  }
  // What the bytes say (a lone surrogate in `text` is U+FFFD in them).
  let whole: { payload: unknown };
  try {
    whole = parseExactJson(`{"payload":${Buffer.from(text).toString('utf8')}`) as { payload: unknown };
  } catch (error) {
    throw new Error(`${context}: read, but it is not JSON (${String(error)})`);
  }
  expect(Object.keys(byName), context).toEqual(Object.keys(byText));
  expect(Reflect.ownKeys(byName), context).toEqual(Reflect.ownKeys(byText));
  expect(shape(byName), context).toBe(shape(byText));
  // And both are the payload the exact parser reads from the whole text.
  expect(shape(withRowsParsed(byName)), context).toBe(shape(whole.payload));
  return byName;
}

// Text generators: every value is JSON text, so that its exact shape (escapes, number form, whitespace) is what gets tested.
type Member = { key: string; escapeKey: boolean; value: string; gaps: readonly string[] };
const gap = fc.oneof({ weight: 8, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r'), minLength: 1, maxLength: 3 }) });
const gaps = fc.array(gap, { minLength: 5, maxLength: 5 });

const hex4 = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;
/** A string literal, escaped as JSON.stringify does or with every non-alphanumeric character (and `/`) as an escape. */
function quote(s: string, escapeAll: boolean): string {
  if (!escapeAll) return JSON.stringify(s);
  return `"${[...s].map((c) => (/[A-Za-z0-9_]/.test(c) ? c : [...c].map((_, i) => hex4(c.charCodeAt(i))).join(''))).join('')}"`;
}
const keyText = (m: Member) => (m.escapeKey && m.key !== '' ? `"${hex4(m.key.charCodeAt(0))}${JSON.stringify(m.key).slice(2)}` : JSON.stringify(m.key));
const objectText = (members: readonly Member[], gapInside: string) =>
  members.length === 0 ? `{${gapInside}}` : `{${members.map((m) => `${m.gaps[0]}${keyText(m)}${m.gaps[1]}:${m.gaps[2]}${m.value}${m.gaps[3]}`).join(',')}}`;

const stringText = fc
  .tuple(fc.string({ unit: fc.oneof({ weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.constantFrom('é', '€', '😀', '"', '\\', '/', '\u0000', '\u001f', '\u2028', '\u007f') }), maxLength: 8 }), fc.boolean())
  .map(([s, escapeAll]) => quote(s, escapeAll));
const orRarely = <T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) => fc.oneof({ weight: 20, arbitrary: usual }, { weight: 1, arbitrary: odd });
const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const numberText = fc.oneof(
  { weight: 4, arbitrary: fc.integer().map(String) },
  { weight: 3, arbitrary: fc.bigInt({ min: -(10n ** 19n), max: 10n ** 19n }).map(String) },
  { weight: 3, arbitrary: fc.tuple(fc.boolean(), fc.bigInt({ min: 10n ** 15n, max: 10n ** 19n - 1n })).map(([neg, n]) => `${neg ? '-' : ''}${n}`) },
  { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }).map((n) => `-${n}`) },
  { weight: 2, arbitrary: fc.constantFrom('0', '-0', '-0.0', '1.10', '0.1', '1e5', '1E+400', '-1e-400', '5e-324', '123456789012345678901234567890') },
  // Any shape: sign, whole part, fraction, exponent; now and then an invalid one (a leading zero, a bare point or e), which makes the whole payload null.
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '-'),
        orRarely(fc.oneof(fc.constant('0'), fc.tuple(fc.constantFrom(...'123456789'), digits(0, 3)).map((p) => p.join(''))), digits(1, 3).map((d) => `0${d}`)),
        orRarely(fc.oneof(fc.constant(''), digits(1, 3).map((d) => `.${d}`)), fc.constant('.')),
        orRarely(fc.oneof(fc.constant(''), fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 3)).map((p) => p.join(''))), fc.constantFrom('e', 'E+')),
      )
      .map((p) => p.join('')),
  },
);
const scalarText = fc.oneof({ weight: 3, arbitrary: stringText }, { weight: 3, arbitrary: numberText }, { weight: 1, arbitrary: fc.constantFrom('null', 'true', 'false') });
const rarely = fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const memberOf = (key: fc.Arbitrary<string>, value: fc.Arbitrary<string>): fc.Arbitrary<Member> => fc.record({ key, escapeKey: rarely, value, gaps });
const anyKey = fc.oneof(fc.constantFrom('id', 'op', 'x', '__proto__', 'source', 'a"b', 'é'), fc.string({ maxLength: 4 }));
const { nested } = fc.letrec<{ nested: string }>((tie) => ({
  nested: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarText,
    fc.tuple(fc.array(tie('nested'), { maxLength: 3 }), gap).map(([items, g]) => `[${g}${items.join(`${g},`)}]`),
    fc.tuple(fc.array(memberOf(anyKey, tie('nested')), { maxLength: 3 }), gap).map(([ms, g]) => objectText(ms, g)),
  ),
}));

/** How a list of members strays from the schema: some dropped, some repeated (with another value), extra ones, another order. */
type Plan = { drop: number[]; repeat: [number, number, string][]; extra: [number, Member][]; order: number[] | null } | null;
const planFor = (value: fc.Arbitrary<string>): fc.Arbitrary<Plan> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.record({
        drop: fc.array(fc.nat(20), { maxLength: 2 }),
        repeat: fc.array(fc.tuple(fc.nat(20), fc.nat(20), value), { maxLength: 2 }),
        extra: fc.array(fc.tuple(fc.nat(20), memberOf(anyKey, value)), { maxLength: 2 }),
        order: fc.option(fc.array(fc.nat(), { minLength: 20, maxLength: 20 }), { freq: 3 }),
      }),
    },
  );
function vary(members: Member[], plan: Plan): Member[] {
  if (plan === null) return members;
  let out = members.filter((_, i) => !plan.drop.includes(i));
  for (const [from, at, value] of plan.repeat) if (out.length > 0) out.splice(at % (out.length + 1), 0, { ...out[from % out.length]!, value });
  for (const [at, m] of plan.extra) out.splice(at % (out.length + 1), 0, m);
  const order = plan.order;
  if (order !== null) out = out.map((m, i) => ({ m, k: order[i % order.length]! * 32 + i })).sort((a, b) => a.k - b.k).map(({ m }) => m);
  return out;
}
const inOrder = (names: readonly string[], value: fc.Arbitrary<string>) => fc.tuple(...names.map((n) => memberOf(fc.constant(n), value)));
const strayingObject = (names: readonly string[], value: fc.Arbitrary<string>) =>
  fc.tuple(inOrder(names, value), planFor(value), gap).map(([ms, plan, g]) => objectText(vary(ms, plan), g));

const sourceValue = fc.oneof({ weight: 6, arbitrary: scalarText }, { weight: 1, arbitrary: nested });
const rowText = fc.oneof(
  { weight: 1, arbitrary: fc.constant('null') },
  { weight: 4, arbitrary: fc.tuple(fc.integer(), stringText).map(([id, name]) => `{"id":${id},"name":${name},"price":"AYag"}`) },
  { weight: 1, arbitrary: nested },
);
const integerText = fc.oneof({ weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 2n * 10n ** 18n }).map(String) }, { weight: 1, arbitrary: numberText });
const valueFor: Record<string, fc.Arbitrary<string>> = {
  before: rowText,
  after: rowText,
  transaction: fc.oneof(fc.constant('null'), strayingObject(transactionNames, sourceValue), nested),
  op: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('"c"', '"u"', '"d"', '"r"') }, { weight: 1, arbitrary: scalarText }),
  ts_ms: integerText,
  ts_us: integerText,
  ts_ns: integerText,
  __proto__: fc.oneof(sourceValue, fc.constant('{"polluted":true}')),
};
/** A payload as Debezium writes it under `schema`, strayed from as a plan says, then the envelope's `}`. */
const payloadText = (schema: (typeof schemas)[number]) => {
  const names = ['before', 'after', 'source', 'transaction', 'op', ...tsNames, ...schema.tail];
  const top = fc.tuple(...names.map((n) => memberOf(fc.constant(n), n === 'source' ? fc.oneof({ weight: 5, arbitrary: strayingObject(schema.sourceNames, sourceValue) }, { weight: 1, arbitrary: nested }) : valueFor[n]!)));
  return fc
    .tuple(top, planFor(sourceValue), gap, gap)
    .map(([ms, plan, inside, after]) => `${objectText(vary(ms, plan), inside)}}${after}`);
};

/** Ways to make the text invalid JSON, or another valid one: cut it, add to its end, drop a comma, put in a character, a comma before the payload's `}`. */
type Damage = { kind: 'none' | 'cut' | 'append' | 'dropComma' | 'insert' | 'trailingComma'; at: number; text: string };
const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'none' as const, at: 0, text: '' }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('cut' as const, 'dropComma' as const, 'trailingComma' as const), at: fc.nat(), text: fc.constant('') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('append' as const, 'insert' as const), at: fc.nat(), text: fc.constantFrom('x', ',', '}', '{}', ' 1', '"', ':', ']', '\u0001', '0', ' ', '\\') }) },
);
function damaged(text: string, d: Damage): string {
  const at = d.at % (text.length + 1);
  if (d.kind === 'cut') return text.slice(0, at);
  if (d.kind === 'append') return text + d.text;
  if (d.kind === 'insert') return text.slice(0, at) + d.text + text.slice(at);
  if (d.kind === 'trailingComma') return `${text.trimEnd().slice(0, -2)},}}`;
  if (d.kind === 'dropComma') {
    const commas = [...text.matchAll(/,/g)].map((m) => m.index);
    const i = commas[d.at % Math.max(commas.length, 1)];
    return i === undefined ? text : text.slice(0, i) + text.slice(i + 1);
  }
  return text;
}

describe('payload members read by the envelope schema, held to the text parse', () => {
  const [pg, odd] = schemas;
  const lsn = 30_000_512;
  const pgSource = `{"version":"2.7.3.Final","connector":"postgresql","name":"pg","ts_ms":1767225600123,"snapshot":"false","db":"shop","sequence":"[\\"${lsn - 256}\\",\\"${lsn}\\"]","ts_us":1767225600123000,"ts_ns":1767225600123000000,"schema":"public","table":"items","txId":1001,"lsn":${lsn},"xmin":null}`;
  const pgPayload = (rest = '"transaction":null,"op":"c","ts_ms":1767225600124,"ts_us":1767225600124000,"ts_ns":1767225600124000000') =>
    `{"before":null,"after":{"id":7,"name":"kelp","price":"AYag"},"source":${pgSource},${rest}}}`;

  it('reads a PostgreSQL event as the text parse does, integers past 2^53 as bigint', () => {
    const payload = expectSameBothWays(pgPayload(), pg!.json)!;
    expect(Object.keys(payload)).toEqual(['before', 'after', 'source', 'transaction', 'op', 'ts_ms', 'ts_us', 'ts_ns']);
    const source = payload['source'] as Record<string, unknown>;
    expect(Object.keys(source)).toEqual(pgSourceNames);
    expect(source['sequence']).toBe('["30000256","30000512"]');
    expect(source['ts_ns']).toBe(1_767_225_600_123_000_000n);
    expect(source['xmin']).toBeNull();
    expect(payload['ts_ns']).toBe(1_767_225_600_124_000_000n);
    expect(payload['ts_us']).toBe(1_767_225_600_124_000);
  });

  it.each([
    ['members out of the schema order', '"op":"c","transaction":null,"ts_ns":1,"ts_ms":2', '{"op":"c","transaction":null,"ts_ns":1,"ts_ms":2}'],
    ['a repeated member, the last value in the first place', '"transaction":null,"op":"c","ts_ms":1,"op":"u"', '{"transaction":null,"op":"u","ts_ms":1}'],
    ['a member not in the schema', '"transaction":null,"extra":[1,{"a":-0}],"op":"c"', '{"transaction":null,"extra":[1,{"a":-0}],"op":"c"}'],
    ['`__proto__` as an own key', '"transaction":null,"op":"c","__proto__":{"polluted":true}', '{"transaction":null,"op":"c","__proto__":{"polluted":true}}'],
    ['whitespace between every token', ' "transaction" :\tnull ,\n"op"\r: "c" ', '{"transaction":null,"op":"c"}'],
  ])('reads %s as the text parse does', (_, rest, expected) => {
    const payload = expectSameBothWays(pgPayload(rest), pg!.json);
    expect(payload).not.toBeNull();
    // The members after the source block, as the exact parser reads them alone.
    const { before: _b, after: _a, source: _s, ...tail } = payload!;
    expect(shape(tail)).toBe(shape(parseExactJson(expected)));
  });

  it('keeps numbers as the exact parser does: -0, a LosslessNumber for 1.10, bigint past 2^53', () => {
    const rest = '"transaction":{"id":"1:2","total_order":-0,"data_collection_order":1.10},"op":"c","ts_ms":1E+400,"ts_us":-12345678901234567890,"ts_ns":0.5';
    const payload = expectSameBothWays(pgPayload(rest), pg!.json)!;
    const transaction = payload['transaction'] as Record<string, unknown>;
    expect(Object.is(transaction['total_order'], -0)).toBe(true);
    expect(shape(transaction['data_collection_order'])).toBe('L1.10');
    expect(shape(payload['ts_ms'])).toBe('L1E+400');
    expect(payload['ts_us']).toBe(-12_345_678_901_234_567_890n);
    expect(payload['ts_ns']).toBe(0.5);
  });

  it('reads an escaped key after the schema-ordered members as the text parse does', () => {
    expectSameBothWays(pgPayload('"transaction":null,"\\u006fp":"c","ts_ms":1'), pg!.json);
  });

  it('reads an extra key with a quote in it after the schema-ordered members as the text parse does', () => {
    expectSameBothWays(pgPayload('"transaction":null,"a\\"b":1,"op":"c"'), pg!.json);
  });

  it('keeps a `before` that comes after the schema-ordered members as the text parse does', () => {
    const payload = expectSameBothWays(`{"after":{"id":1},"source":${pgSource},"transaction":null,"before":{"id":0},"op":"c"}}`, pg!.json)!;
    expect(payload['before']).not.toBeInstanceOf(RawRowJson);
  });

  it.each([
    ['a missing comma', '"transaction":null "op":"c"'],
    ['a leading zero', '"transaction":null,"op":"c","ts_ms":01'],
    ['a bad escape', '"transaction":null,"op":"\\x"'],
    ['a raw control character', '"transaction":null,"op":"\u0001"'],
    ['a member without a value', '"transaction":null,"op":'],
  ])('refuses %s both ways', (_, rest) => {
    expect(expectSameBothWays(pgPayload(rest), pg!.json)).toBeNull();
  });

  it('refuses a trailing comma after the members read by name', () => {
    expect(parsePayloadKeepingRows(Buffer.from(pgPayload().replace(/}}$/, ',}}')), null, envelopeMembersOf(pg!.json))).toBeNull();
  });

  it.each(['{"before":null,"after":{},}}', '{"before":null,"x":1,}}'])('refuses the trailing comma of %s without members too', (text) => {
    expect(parsePayloadKeepingRows(Buffer.from(text), null, null)).toBeNull();
  });

  it.each([
    ['a cut payload', (t: string) => t.slice(0, -10)],
    ['garbage after the envelope', (t: string) => `${t} x`],
    ['no envelope brace', (t: string) => t.slice(0, -1)],
  ])('refuses %s both ways', (_, change) => {
    expect(expectSameBothWays(change(pgPayload()), pg!.json)).toBeNull();
  });

  it('reads schema member names that need escaping, or are `__proto__`', () => {
    const text = `{"before":null,"after":{},"source":{"__proto__":{"x":1},"a\\"b":"q","é":"e","ts_ms":-0,"lsn":1.50},"transaction":null,"op":"c","ts_ms":1,"ts_us":2,"ts_ns":3,"__proto__":null}}`;
    const payload = expectSameBothWays(text, odd!.json)!;
    expect(Reflect.ownKeys(payload['source'] as object)).toEqual(['__proto__', 'a"b', 'é', 'ts_ms', 'lsn']);
  });

  for (const [name, schema] of [['a PostgreSQL envelope', pg!], ['an envelope with odd names', odd!]] as const) {
    it(`reads any payload under ${name} as the text parse does, or refuses it both ways`, () => {
      fc.assert(
        fc.property(payloadText(schema), damage, (text, d) => {
          const t = damaged(text, d);
          expectSameBothWays(t, schema.json);
        }),
        { numRuns: 2500 },
      );
    });
  }
});
