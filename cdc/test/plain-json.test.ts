import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CdcDecodeError } from '../src/index.js';
import { parseJsonText, parsePlainJson, toPlainJson } from '../src/decode/json-text.js';
import { canonical } from './support/reference-decode.js';

/** What a Json column decoded to before `JSON.parse` was let in: the exact parse, made plain. */
function reference(text: string): string {
  return outcomeOf(() => toPlainJson(parseJsonText(text, 'doc')));
}

function outcomeOf(parse: () => unknown): string {
  try {
    return canonical(parse());
  } catch (error) {
    if (!(error instanceof CdcDecodeError)) throw error;
    return `error ${error.code} ${error.path} ${error.reason}`;
  }
}

const numberLiteral = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }).map((n) => (n % 2n === 0n ? `-${n}` : String(n))),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.constantFrom('-0', '0.0', '1.50', '1e3', '2.5E-1', '1e400', '-1e-400', '123456789012345.6', '1234567890123456.7', '9007199254740993.0', '0.30000000000000001'),
);

/** JSON documents with the numbers that tell an exact parse from `JSON.parse`, repeated keys and `__proto__`. */
const document: fc.Arbitrary<string> = fc.letrec<{ doc: string }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small' },
    numberLiteral,
    fc.string().map((s) => JSON.stringify(s)),
    fc.constantFrom('true', 'false', 'null', '"12345678901234567"', '"\\ud800"'),
    fc.array(tie('doc'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(fc.constantFrom('a', 'b', '__proto__', '1', '0', 'constructor', 'é'), tie('doc')), { maxLength: 4 })
      .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).doc;

describe('a Json column read through JSON.parse where that is exact', () => {
  it('gives what the exact parse made plain gives, values and failures alike', () => {
    fc.assert(
      fc.property(document, fc.constantFrom('', ' ', '\n\t'), fc.constantFrom('', 'x', ',', '}', ' 1'), (doc, space, tail) => {
        for (const text of [`${space}${doc}${space}`, `${doc}${tail}`]) expect(outcomeOf(() => parsePlainJson(text, 'doc')), text).toBe(reference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps integers past 2^53 exact', () => {
    expect(parsePlainJson('{"id":9007199254740993,"n":[12345678901234567890]}')).toEqual({ id: 9007199254740993n, n: [12345678901234567890n] });
    expect(parsePlainJson('{"ok":900719925474099}')).toEqual({ ok: 900719925474099 });
  });
});
