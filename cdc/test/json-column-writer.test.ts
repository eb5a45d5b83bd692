import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadRequestError, ValueWriter, decodeValue, encodeValue, encodeValuePart } from '@shoal/client/protocol';
import { CdcDecodeError } from '../src/decode/decode-error.js';
import { writeJsonText } from '../src/decode/json-column-writer.js';
import { decodeJsonColumn } from '../src/decode/semantic-types.js';

// ---------------------------------------------------------------- reference and checks

type Reference =
  | { readonly kind: 'refused' }
  | { readonly kind: 'unencodable' }
  | { readonly kind: 'value'; readonly value: unknown; readonly bytes: Uint8Array };

/** What the ordinary way makes of a Json column: the contract `writeJsonText` is held to. */
function reference(text: string): Reference {
  let value: unknown;
  try {
    value = decodeJsonColumn(text, 'doc');
  } catch (error) {
    // Any other error would be a decoder bug, not a refusal the fast path has to mirror.
    expect(error).toBeInstanceOf(CdcDecodeError);
    return { kind: 'refused' };
  }
  try {
    return { kind: 'value', value, bytes: encodeValuePart(value) };
  } catch (error) {
    // An integer literal past 64 bits decodes to a bigint the codec refuses: there are no bytes to match, so the fast path must leave it.
    expect(error).toBeInstanceOf(BadRequestError);
    expect(typeof value === 'object' || typeof value === 'bigint').toBe(true);
    return { kind: 'unencodable' };
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Something already in the writer, as a producer has it when it reaches a Json column. */
type Prefix = 'none' | 'column' | 'pad';
const prefixes: readonly Prefix[] = ['none', 'column', 'pad'];

function writePrefix(writer: ValueWriter, prefix: Prefix): void {
  writer.begin();
  if (prefix === 'column') {
    writer.mapHeader(2);
    writer.raw(ValueWriter.stringBytes('id'));
    writer.number(7);
    writer.raw(ValueWriter.stringBytes('doc'));
  } else if (prefix === 'pad') {
    // Ends on a byte that is neither nil nor a fix header, so a stray write into it would show.
    writer.string('p'.repeat(40));
    writer.number(-1);
  }
}

interface Outcome {
  readonly taken: boolean;
  readonly refused: boolean;
}

/**
 * Runs `writeJsonText` after a prefix and holds it to its contract: taken
 * means the reference bytes exactly, after the prefix untouched; given up
 * means the writer exactly as it was, which a refused text must always give.
 */
function check(text: string, writer = new ValueWriter(), prefix: Prefix = 'none'): Outcome {
  const expected = reference(text);
  writePrefix(writer, prefix);
  const mark = writer.length;
  // finish() copies without ending the value, so it can snapshot the prefix.
  const before = hex(writer.finish().bytes);
  const taken = writeJsonText(text, writer);
  const after = hex(writer.finish().bytes);
  if (taken) {
    expect(expected.kind, `taken, but the ordinary way says ${expected.kind}: ${JSON.stringify(text)}`).toBe('value');
    if (expected.kind === 'value') expect(after, `bytes of ${JSON.stringify(text)}`).toBe(before + hex(expected.bytes));
  } else {
    expect(writer.length, `length after giving up on ${JSON.stringify(text)}`).toBe(mark);
    expect(after, `prefix after giving up on ${JSON.stringify(text)}`).toBe(before);
    // The caller then writes the column the ordinary way, over whatever the attempt left behind the mark.
    if (expected.kind === 'value') {
      writer.raw(expected.bytes);
      expect(hex(writer.finish().bytes)).toBe(before + hex(expected.bytes));
    }
  }
  return { taken, refused: expected.kind === 'refused' };
}

// ---------------------------------------------------------------- examples

const nested = (levels: number, kind: 'array' | 'object', core = '1') => {
  let text = core;
  for (let i = 0; i < levels; i++) text = kind === 'array' ? `[${text}]` : `{"k":${text}}`;
  return text;
};
const members = (count: number) => `{${Array.from({ length: count }, (_, i) => `"k${i}":${i}`).join(',')}}`;
const items = (count: number) => `[${Array.from({ length: count }, (_, i) => i).join(',')}]`;

const takenTexts: readonly string[] = [
  '{"colour":"kelp","size":2,"rev":1}',
  '{}',
  '[]',
  '{ }',
  '[\n]',
  '{"a":{"b":[1,2,{"c":null}]},"d":[],"e":{}}',
  '[[[]],[{}],[1,[2,[3]]]]',
  '{"tags":["a","b"],"dims":{"w":1.5,"h":-2e3},"ok":true,"gone":false,"none":null}',
  // Escapes, including ones that unescape to non-ASCII and to lone surrogates.
  '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"',
  '"\\u00e9\\u20AC\\ud834\\udd1e"',
  '"\\ud800"',
  '"\\u0000\\u001f\\u007f"',
  '{"\\u006b\\u0065y":"v","k\\n":1}',
  // Raw non-ASCII: two-, three- and four-byte UTF-8, and a lone surrogate as JS text holds it.
  '"é€𝄞"',
  '{"ключ":"значение","日本":"語"}',
  '"\ud800x"',
  '"\u007f\u2028\u2029"',
  // Strings on the fixstr / str8 boundary, ASCII and not.
  `"${'a'.repeat(31)}"`,
  `"${'a'.repeat(32)}"`,
  `"${'a'.repeat(300)}"`,
  `"${'é'.repeat(20)}"`,
  // Numbers: every format the encoder picks, floats, exponents, -0, overflow to infinity and underflow to -0.
  '0',
  '-0',
  '-0.0',
  '0.0',
  '1.0',
  '1.5',
  '-2.25e-3',
  '1E10',
  '1e+2',
  '2.5E-1',
  '0e0',
  '1e400',
  '-1e400',
  '-1e-400',
  '0.1',
  '5e-324',
  '127',
  '128',
  '-32',
  '-33',
  '255',
  '256',
  '65535',
  '65536',
  '4294967295',
  '4294967296',
  '-2147483649',
  '123456789012345',
  '-123456789012345',
  '999999999999999',
  '1234567890123456.5',
  '0.30000000000000001',
  '1e0000000000000000001',
  'true',
  'false',
  'null',
  '"kelp"',
  '""',
  // JSON whitespace around and between every token.
  ' \t\n\r{ "a" :\t[ 1 ,\n2 ] , "b" : { } }\r\n ',
  ' 1 ',
  '\n"s"\t',
  // Keys JS keeps in text order: not array indices.
  '{"b":1,"01":2,"-1":3,"1.5":4," 1":5,"":6,"12345678901":7}',
  '{"__proto__":{"x":1},"a":2}',
  '{"a":2,"__proto__":[]}',
  '{"constructor":1,"toString":2,"hasOwnProperty":3}',
  // A 16-digit run outside any number sends the ordinary way to its exact parser: the same value either way.
  '{"id":"1234567890123456","n":1}',
  // The limits themselves.
  members(15),
  items(15),
  nested(16, 'array'),
  nested(16, 'object'),
  nested(15, 'array', members(15)),
];

/** Valid JSON the fast path leaves to the ordinary way, one reason each. */
const givenUpTexts: readonly (readonly [reason: string, text: string])[] = [
  ['16 members', members(16)],
  ['16 items', items(16)],
  ['20 items', items(20)],
  ['16 members, nested', `{"a":[1,${members(16)}]}`],
  ['16 items, nested', `[{"a":${items(16)}}]`],
  ['a repeated key', '{"a":1,"a":2}'],
  ['a repeated key, spelt with an escape', '{"a":1,"\\u0061":2}'],
  ['a repeated key, nested', '{"x":{"b":1,"c":2,"b":3}}'],
  ['a repeated __proto__', '{"__proto__":1,"__proto__":2}'],
  ['an index key', '{"0":1}'],
  ['an index key after another', '{"b":1,"7":2}'],
  ['the largest index key', '{"4294967294":1}'],
  ['an index key spelt with an escape', '{"\\u0031":1}'],
  ['an index key, nested', '[{"a":{"10":1}}]'],
  ['a 16-digit integer', '1234567890123456'],
  ['a negative 16-digit integer', '-1234567890123456'],
  ['2^53 + 1', '9007199254740993'],
  ['10^15', '1000000000000000'],
  ['a 20-digit integer in an array', '[1, 12345678901234567890]'],
  ['a 16-digit integer in an object', '{"ts_ns":1700000000000000000}'],
  // The ordinary way then fails to encode the bigint: the fast path must not get there first with a double.
  ['an integer past 64 bits', '18446744073709551616'],
  ['an integer past 64 bits, nested', '{"n":[-9223372036854775809]}'],
  ['17 levels of arrays', nested(17, 'array')],
  ['17 levels of objects', nested(17, 'object')],
  ['17 levels, empty innermost', nested(16, 'array', '[]')],
  ['17 levels, mixed', nested(8, 'array', nested(9, 'object'))],
  ['40 levels', nested(40, 'array')],
];

/** Texts the ordinary way refuses: each must be given up, never written. */
const refusedTexts: readonly string[] = [
  '',
  ' ',
  '\t\n\r ',
  '\u00a0',
  '{"a":1,}',
  '[1,]',
  '[,1]',
  '{,}',
  '[1 2]',
  '{"a":1 "b":2}',
  '{"a" 1}',
  '{"a"}',
  '{"a":}',
  '{a:1}',
  "{'a':1}",
  "['a']",
  '{1:1}',
  '{',
  '[',
  '{"a":1',
  '[1',
  '{"a":[1}',
  '{"a":1}}',
  '[]]',
  '{} x',
  '[] []',
  '1 2',
  '01',
  '-01',
  '00',
  '1.',
  '.5',
  '-.5',
  '1.e5',
  '1e',
  '1e+',
  '1E-',
  '+1',
  '--1',
  '-',
  '- 1',
  '0x10',
  'NaN',
  'Infinity',
  '-Infinity',
  '"\x01"',
  '"\x00"',
  '"\x1f"',
  '"a\tb"',
  '"a\nb"',
  '"\\q"',
  '"\\x41"',
  "\"\\'\"",
  '"\\u12G4"',
  '"\\u12"',
  '"\\u"',
  '"\\U0041"',
  '"\\',
  '"ab\\"',
  '"abc',
  '"',
  '{"a',
  '{"a\\":1}',
  'tru',
  'nul',
  'fals',
  'True',
  'truex',
  'nullnull',
  '[true false]',
  '\u00a01',
  '1\u00a0',
  '\ufeff{}',
  '\v1',
  '1\f',
  '{"a":1,"a":2,}',
  // Refused inside what the fast path would give up on anyway: both answers must still be no.
  `[${Array.from({ length: 16 }, (_, i) => i).join(',')},]`,
  '[1234567890123456,]',
  `${nested(17, 'array')}]`,
  // A 16-digit run sends the ordinary way to its exact parser, which must refuse as JSON.parse does.
  '{"id":"1234567890123456",}',
  '["1234567890123456" 1]',
];

describe('writeJsonText: examples', () => {
  it.each(takenTexts.map((text) => [text.length > 60 ? `${text.slice(0, 60)}…` : text, text]))('takes %j', (_, text) => {
    for (const prefix of prefixes) expect(check(text, new ValueWriter(), prefix)).toEqual({ taken: true, refused: false });
  });

  it('writes the document a typical column holds, as an object a reader gets back', () => {
    const writer = new ValueWriter();
    writer.begin();
    expect(writeJsonText('{"colour":"kelp","size":2,"rev":1}', writer)).toBe(true);
    expect(decodeValue(writer.finish().bytes)).toEqual({ colour: 'kelp', size: 2, rev: 1 });
    writer.begin();
    expect(writeJsonText('{"a":[1.5,"x",null,true,{"b":-3}]}', writer)).toBe(true);
    expect(decodeValue(writer.finish().bytes)).toEqual({ a: [1.5, 'x', null, true, { b: -3 }] });
  });

  it.each(givenUpTexts)('gives up on %s, leaving the writer as it was', (_, text) => {
    for (const prefix of prefixes) expect(check(text, new ValueWriter(), prefix)).toEqual({ taken: false, refused: false });
  });

  it.each(refusedTexts.map((text) => [text, text]))('gives up on invalid %j, which decodeJsonColumn refuses', (_, text) => {
    expect(() => decodeJsonColumn(text, 'doc')).toThrow(CdcDecodeError);
    for (const prefix of prefixes) expect(check(text, new ValueWriter(), prefix)).toEqual({ taken: false, refused: true });
  });

  it('completes a row around the column, whichever way the column was written', () => {
    const writer = new ValueWriter();
    for (const text of ['{"colour":"kelp","size":2,"rev":1}', members(16), '{"a":1,"a":2}', '9007199254740993']) {
      writer.begin();
      writer.mapHeader(3);
      writer.raw(ValueWriter.stringBytes('id'));
      writer.number(7);
      writer.raw(ValueWriter.stringBytes('doc'));
      const mark = writer.length;
      const doc = decodeJsonColumn(text, 'doc');
      if (!writeJsonText(text, writer)) {
        expect(writer.length).toBe(mark);
        writer.value(doc);
      }
      writer.raw(ValueWriter.stringBytes('after'));
      writer.boolean(true);
      expect(hex(writer.finish().bytes)).toBe(hex(encodeValue({ id: 7, doc, after: true })));
    }
  });

  it('keeps its placeholders right when the writer grows in the middle of a document', () => {
    // A nested document whose headers are fixed up after the buffer has been replaced by a larger one.
    const taken = `{"a":[1,{"b":"${'x'.repeat(40)}"},[[2]]],"c":"${'y'.repeat(40)}"}`;
    const givenUp = `{"a":[1,{"b":"${'x'.repeat(40)}"}],"c":${items(16)}}`;
    for (let pad = 4040; pad <= 4100; pad++) {
      for (const text of [taken, givenUp]) {
        const writer = new ValueWriter();
        writer.begin();
        writer.string('p'.repeat(pad));
        const mark = writer.length;
        const before = hex(writer.finish().bytes);
        const ok = writeJsonText(text, writer);
        expect(ok).toBe(text === taken);
        if (ok) expect(hex(writer.finish().bytes)).toBe(before + hex(encodeValuePart(decodeJsonColumn(text, 'doc'))));
        else {
          expect(writer.length).toBe(mark);
          expect(hex(writer.finish().bytes)).toBe(before);
        }
      }
    }
  });
});

// ---------------------------------------------------------------- generated documents

/**
 * A JSON text as a tree of its literals, so a test knows what the text says
 * (whether it repeats a key, how many digits an integer has), which the
 * parsed value no longer tells.
 */
type Doc =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'array'; readonly items: readonly Doc[] }
  | { readonly kind: 'object'; readonly members: readonly (readonly [key: string, keyText: string, value: Doc])[] };

const literal = (text: string): Doc => ({ kind: 'literal', text });

/** The documented give-ups, as the text says them; everything else valid must be taken. */
const tooManyDigits = (text: string) => /^-?\d{16,}$/.test(text);
// An array index is at most 4294967294, but the fast path gives up on any key of up to ten digits, as its doc says.
const indexLike = (key: string) => /^(?:0|[1-9]\d{0,9})$/.test(key);

function expectedTaken(doc: Doc, depth = 0): boolean {
  if (doc.kind === 'literal') return !tooManyDigits(doc.text);
  if (depth >= 16) return false;
  if (doc.kind === 'array') return doc.items.length < 16 && doc.items.every((item) => expectedTaken(item, depth + 1));
  const keys = doc.members.map(([key]) => key);
  return (
    keys.length < 16 &&
    new Set(keys).size === keys.length &&
    !keys.some(indexLike) &&
    doc.members.every(([, , value]) => expectedTaken(value, depth + 1))
  );
}

/** The text, with `space()` between tokens and around the whole. */
function render(doc: Doc, space: () => string): string {
  const inner = (node: Doc): string => {
    if (node.kind === 'literal') return node.text;
    if (node.kind === 'array') {
      if (node.items.length === 0) return `[${space()}]`;
      return `[${node.items.map((item) => `${space()}${inner(item)}${space()}`).join(',')}]`;
    }
    if (node.members.length === 0) return `{${space()}}`;
    return `{${node.members.map(([, keyText, value]) => `${space()}${keyText}${space()}:${space()}${inner(value)}${space()}`).join(',')}}`;
  };
  return `${space()}${inner(doc)}${space()}`;
}

const jsonSpace = fc.oneof(
  { weight: 2, arbitrary: fc.constant(() => '') },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom('', '', '', ' ', '  ', '\n', '\t', '\r\n', ' \n\t'), { minLength: 1, maxLength: 12 })
      .map((spaces) => {
        let i = 0;
        return () => spaces[i++ % spaces.length]!;
      }),
  },
);

/** A string literal spelling `value`, each code unit plain or escaped as `choices` say (a short escape where one exists). */
function stringLiteral(value: string, choices: readonly number[]): string {
  const shortEscapes: Record<string, string> = { '"': '\\"', '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const unit = value[i]!;
    const code = unit.charCodeAt(0);
    const choice = choices.length === 0 ? 0 : choices[i % choices.length]!;
    const hex4 = code.toString(16).padStart(4, '0');
    if (choice === 7) out += `\\u${hex4}`;
    else if (choice === 8) out += `\\u${hex4.toUpperCase()}`;
    else if (choice === 9 && shortEscapes[unit] !== undefined) out += shortEscapes[unit];
    else if (code < 0x20 || unit === '"' || unit === '\\') out += shortEscapes[unit] ?? `\\u${hex4}`;
    else out += unit;
  }
  return `${out}"`;
}

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const stringValue = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  // Lone surrogates and every control character.
  fc.string({ unit: codeUnit, maxLength: 12 }),
  fc.stringMatching(/^\d{1,20}$/),
  fc.constantFrom('', 'kelp', '"', '\\', '/', '\u2028', '1234567890123456', 'a'.repeat(31), 'a'.repeat(32), 'é'.repeat(16)),
);
const escapeChoices = fc.oneof({ weight: 3, arbitrary: fc.constant([] as number[]) }, { weight: 1, arbitrary: fc.array(fc.nat(9), { minLength: 1, maxLength: 8 }) });
const stringText = fc.tuple(stringValue, escapeChoices).map(([value, choices]) => stringLiteral(value, choices));

const keyValue = fc.oneof(
  // A small pool, so keys repeat.
  { weight: 3, arbitrary: fc.constantFrom('a', 'b', 'id', 'k') },
  { weight: 3, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^-?\d{1,12}$/) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', '', '0', '1', '01', '-1', '1.5', ' 1', '4294967294', '4294967295', '9999999999', '10000000000', '12345678901'),
  },
);
const memberKey = fc.tuple(keyValue, escapeChoices).map(([key, choices]) => [key, stringLiteral(key, choices)] as const);

const digitsOf = (n: bigint) => n.toString();
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.integer({ min: -300, max: 300 }).map(String),
  // Around 2^53, 10^15 (the digit limit) and beyond 64 bits.
  fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }).map((n) => (n % 2n === 0n ? `-${n}` : digitsOf(n))),
  fc.bigInt({ min: 10n ** 15n - 3n, max: 10n ** 15n + 3n }).map((n) => (n % 3n === 0n ? `-${n}` : digitsOf(n))),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(digitsOf),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc
    .record({
      sign: fc.constantFrom('', '-'),
      int: fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9]\d{0,17}$/)),
      fraction: fc.option(fc.stringMatching(/^\d{1,18}$/), { nil: undefined }),
      exponent: fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{1,4}$/)), { nil: undefined }),
    })
    .map(({ sign, int, fraction, exponent }) => `${sign}${int}${fraction === undefined ? '' : `.${fraction}`}${exponent === undefined ? '' : exponent.join('')}`),
  fc.constantFrom('-0', '-0.0', '0.0', '1.50', '1e3', '1E+3', '2.5E-1', '1e400', '-1e-400', '5e-324', '123456789012345', '-999999999999999', '1234567890123456', '9007199254740993.0', '0.30000000000000001'),
);

const scalarDoc: fc.Arbitrary<Doc> = fc
  .oneof({ weight: 3, arbitrary: numberText }, { weight: 3, arbitrary: stringText }, { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null') })
  .map(literal);

const treeDoc: fc.Arbitrary<Doc> = fc.letrec<{ node: Doc; array: Doc; object: Doc }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarDoc, tie('array'), tie('object')),
  array: fc
    .oneof({ weight: 4, arbitrary: fc.array(tie('node'), { maxLength: 4 }) }, { weight: 1, arbitrary: fc.array(scalarDoc, { minLength: 14, maxLength: 17 }) })
    .map((items): Doc => ({ kind: 'array', items })),
  object: fc
    .oneof(
      { weight: 4, arbitrary: fc.array(fc.tuple(memberKey, tie('node')), { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.array(fc.tuple(memberKey, scalarDoc), { minLength: 14, maxLength: 17 }) },
    )
    .map((entries): Doc => ({ kind: 'object', members: entries.map(([[key, keyText], value]) => [key, keyText, value] as const) })),
})).node;

/** Some documents wrapped deep enough to cross the 16-level limit. */
const doc: fc.Arbitrary<Doc> = fc.oneof(
  { weight: 4, arbitrary: treeDoc },
  {
    weight: 1,
    arbitrary: fc.tuple(treeDoc, fc.array(fc.boolean(), { minLength: 12, maxLength: 19 })).map(([inner, wrappers]) =>
      wrappers.reduce<Doc>((acc, asArray) => (asArray ? { kind: 'array', items: [acc] } : { kind: 'object', members: [['k', '"k"', acc]] }), inner),
    ),
  },
);

/** A parsed JSON value as a Doc of the literals JSON.stringify writes for it. */
function docOf(value: unknown): Doc {
  if (Array.isArray(value)) return { kind: 'array', items: value.map(docOf) };
  if (value !== null && typeof value === 'object') {
    return { kind: 'object', members: Object.keys(value).map((key) => [key, JSON.stringify(key), docOf((value as Record<string, unknown>)[key])] as const) };
  }
  return literal(JSON.stringify(value));
}

/** Counts, so a property that never reaches one of its branches fails rather than passes vacuously. */
class Tally {
  taken = 0;
  givenUp = 0;
  refused = 0;
  add(outcome: Outcome): void {
    if (outcome.taken) this.taken++;
    else if (outcome.refused) this.refused++;
    else this.givenUp++;
  }
}

describe('writeJsonText: properties', () => {
  // One writer across runs, as the ingester has: reuse after giving up, and growth, are exercised too.
  const writer = new ValueWriter();

  it('takes exactly the documents the contract says, with the reference bytes', () => {
    const tally = new Tally();
    fc.assert(
      fc.property(doc, jsonSpace, fc.constantFrom(...prefixes), (document, space, prefix) => {
        const text = render(document, space);
        const outcome = check(text, writer, prefix);
        expect(outcome.refused, `valid text refused: ${JSON.stringify(text)}`).toBe(false);
        expect(outcome.taken, `taken? ${JSON.stringify(text)}`).toBe(expectedTaken(document));
        tally.add(outcome);
      }),
      { numRuns: 3000 },
    );
    expect(tally.taken).toBeGreaterThan(1000);
    expect(tally.givenUp).toBeGreaterThan(300);
  });

  it('agrees with the reference on fc.jsonValue documents', () => {
    const tally = new Tally();
    const values = fc.oneof(fc.jsonValue(), fc.jsonValue({ stringUnit: 'binary' }), fc.jsonValue({ stringUnit: 'grapheme', depthSize: 'medium' }));
    fc.assert(
      fc.property(values, jsonSpace, fc.constantFrom(...prefixes), (value, space, prefix) => {
        const document = docOf(value);
        const text = render(document, space);
        const outcome = check(text, writer, prefix);
        expect(outcome.refused, `valid text refused: ${JSON.stringify(text)}`).toBe(false);
        expect(outcome.taken, `taken? ${JSON.stringify(text)}`).toBe(expectedTaken(document));
        tally.add(outcome);
      }),
      { numRuns: 2000 },
    );
    expect(tally.taken).toBeGreaterThan(1000);
    expect(tally.givenUp).toBeGreaterThan(10);
  });

  it('never takes a text one edit away from valid JSON that the ordinary way refuses, nor writes other bytes', () => {
    const tally = new Tally();
    const inserted = fc.constantFrom(
      ...'{}[],:"\\ \t\n0019-+.eEtrufalsnx/bu'.split(''),
      '\x00',
      '\x01',
      '\x1f',
      '\x7f',
      '\v',
      '\u00a0',
      '\ufeff',
      '\u2028',
      'é',
      '\ud800',
    );
    const edit = fc.record({ op: fc.constantFrom('delete', 'insert', 'replace'), at: fc.nat(), char: inserted });
    fc.assert(
      fc.property(doc, jsonSpace, edit, fc.constantFrom(...prefixes), (document, space, { op, at, char }, prefix) => {
        const text = render(document, space);
        const i = at % (text.length + 1);
        const mutated =
          op === 'insert' ? text.slice(0, i) + char + text.slice(i) : op === 'delete' ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + char + text.slice(i + 1);
        tally.add(check(mutated, writer, prefix));
      }),
      { numRuns: 5000 },
    );
    expect(tally.refused).toBeGreaterThan(1500);
    expect(tally.taken).toBeGreaterThan(500);
  });
});
