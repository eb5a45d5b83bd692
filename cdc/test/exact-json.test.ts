import fc from 'fast-check';
import { parse } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { parseExactJson } from '../src/index.js';
import { canonical, referenceParse } from './support/reference-decode.js';

/** lossless-json as the decoder configured it, or the fact that it refused. */
function reference(text: string): string {
  try {
    return canonical(referenceParse(text));
  } catch {
    return 'refused';
  }
}

function exact(text: string): string {
  try {
    return canonical(parseExactJson(text));
  } catch {
    return 'refused';
  }
}

// Numbers a double cannot tell apart from their neighbours, and every spelling JSON allows.
const numberLiteral = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('0', '-0', '9007199254740991', '9007199254740992', '9007199254740993', '-9007199254740993', '1767225600000000000'),
  fc.constantFrom('1.0', '1.50', '0.1', '0.30000000000000001', '1.0000000000000001', '1e5', '1E+2', '-2.5e-3', '1e400', '-0.0', '123.456', '1.5e300'),
  fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.nat({ max: 10 ** 9 }), fc.integer({ min: -30, max: 30 })).map(([w, f, e]) => `${w}.${f}e${e}`),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
);

const stringLiteral = fc.oneof(
  fc.string().map((s) => JSON.stringify(s)),
  fc.string({ unit: 'binary' }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"\\u00e9\\n\\t\\"\\\\\\/"', '"\\ud800"', '"__proto__"', '""'),
);

const whitespace = fc.constantFrom('', ' ', '\n', '\t\r\n ');

/** JSON texts with every kind of value, odd spacing, repeated and `__proto__` keys. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    numberLiteral,
    stringLiteral,
    fc.constantFrom('true', 'false', 'null'),
    fc.array(fc.tuple(whitespace, tie('value'), whitespace)).map((items) => `[${items.map(([a, v, b]) => a + v + b).join(',')}]`),
    fc
      .array(fc.tuple(fc.oneof(stringLiteral, fc.constantFrom('"a"', '"a"', '"__proto__"', '"1"', '"0"')), whitespace, tie('value')))
      .map((entries) => `{${entries.map(([k, ws, v]) => `${k}${ws}:${ws}${v}`).join(',')}}`),
  ),
})).value;

/** Texts near valid JSON: a character dropped, doubled or replaced. */
const brokenText = fc
  .tuple(jsonText, fc.nat(), fc.constantFrom('', ',', '}', ']', '"', '-', '.', 'e', '0', '\u0001', ' ', '\u00a0', 'x', '\\'), fc.boolean())
  .map(([text, at, insert, drop]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    return text.slice(0, i) + insert + text.slice(drop ? i + 1 : i);
  });

describe('parseExactJson', () => {
  it('gives exactly what lossless-json gives, numbers, key order and duplicates included', () => {
    fc.assert(
      fc.property(jsonText, whitespace, (text, ws) => {
        const expected = reference(ws + text + ws);
        expect(expected).not.toBe('refused');
        expect(exact(ws + text + ws)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses exactly what lossless-json refuses', () => {
    fc.assert(
      fc.property(brokenText, (text) => {
        expect(exact(text)).toBe(reference(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps integers past 2^53 as bigint and non-canonical numbers as their text', () => {
    expect(canonical(parseExactJson('[9007199254740993,1767225600000000000,1.50,1e5,0.1,-0,12]'))).toBe(
      '[9007199254740993n,1767225600000000000n,L1.50,L1e5,d0.1,-0,d12]',
    );
  });

  it('handles the hand-picked traps the same way', () => {
    for (const text of ['12', '-3', '[7]', '{"__proto__":{"x":1}}', '{"a":1,"a":2}', '{"a":{"b":1},"a":{"b":1}}', '"\\u0000"', '"\u0007"', '01', '-', '1.', '.5', '[1,]', '{"a":1,}', '', ' ', 'nul', 'truex', '[]', '{}', '\ufeff{}']) {
      expect(exact(text), text).toBe(reference(text));
    }
    const withProto = parseExactJson('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(withProto)).toBe(Object.prototype);
    expect(Object.keys(withProto)).toEqual(Object.keys(parse('{"__proto__":{"polluted":1}}') as object));
  });
});
