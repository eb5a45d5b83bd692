import { PassThrough } from 'node:stream';
import { SqlError, UnavailableError } from '@shoal/client';
import { describe, expect, test } from 'vitest';
import type { StatementResult } from '../../src/cli/result-table.js';
import { formatError, runRepl, type StatementRunner } from '../../src/cli/sql-repl.js';

/** Feeds `input` to the prompt with a runner that records statements; resolves to what it printed. */
async function session(input: string, run: StatementRunner, interactive = false) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = runRepl(run, { input: stdin, output: stdout, errors: stderr, interactive });
  stdin.end(input);
  await done;
  return { out, err };
}

const one = (n: number): StatementResult => ({ command: 'SELECT', columns: ['n'], rows: [[n]], rowCount: 1 });

function recorder(answer: (statement: string) => StatementResult = () => one(1)) {
  const statements: string[] = [];
  const run: StatementRunner = async (statement) => {
    statements.push(statement);
    if (statement.includes('boom')) throw new SqlError('column "boom" does not exist');
    return answer(statement);
  };
  return { run, statements };
}

describe('the shoal sql prompt', () => {
  test('runs each statement once a line ends with ;, across lines', async () => {
    const { run, statements } = recorder();
    const { out } = await session('SELECT 1;\nSELECT a,\n  b\nFROM t\n  WHERE a = 1 ;  \n', run);
    expect(statements).toEqual(['SELECT 1;', 'SELECT a,\n  b\nFROM t\n  WHERE a = 1 ;  ']);
    expect(out).toBe(' n\n---\n 1\n(1 row)\n'.repeat(2));
  });

  test('an error is printed and the prompt goes on', async () => {
    const { run, statements } = recorder();
    const { out, err } = await session('SELECT boom;\nSELECT 2;\n', run);
    expect(err).toBe('ERROR: SQL_ERROR: column "boom" does not exist\n');
    expect(statements).toEqual(['SELECT boom;', 'SELECT 2;']);
    expect(out).toContain('(1 row)');
  });

  test('\\q quits, even with more input queued; blank lines are ignored', async () => {
    const { run, statements } = recorder();
    await session('\n\nSELECT 1;\n\\q\nSELECT 2;\n', run);
    expect(statements).toEqual(['SELECT 1;']);
  });

  test('end of input quits; an unfinished statement is not run', async () => {
    const { run, statements } = recorder();
    await session('SELECT 1;\nSELECT 2', run);
    expect(statements).toEqual(['SELECT 1;']);
  });

  test('\\? prints help; a backslash inside a statement is part of it', async () => {
    const { run, statements } = recorder();
    const { out } = await session("\\?\nSELECT 'a\n\\q';\n", run);
    expect(out).toContain('\\q      quit');
    expect(statements).toEqual(["SELECT 'a\n\\q';"]);
  });

  test('DML results print their command tag', async () => {
    const { run } = recorder(() => ({ command: 'INSERT', columns: [], rows: [], rowCount: 2 }));
    expect((await session('INSERT INTO t VALUES (1), (2);\n', run)).out).toBe('INSERT 2\n');
  });

  test('interactively it prompts, with a continuation prompt inside a statement', async () => {
    const { run } = recorder();
    const { out } = await session('SELECT\n1;\n', run, true);
    expect(out).toContain('shoal> ');
    expect(out).toContain('  ...> ');
  });
});

describe('formatError', () => {
  test('Shoal errors print their code', () => {
    expect(formatError(new SqlError('syntax error at or near "x"'))).toBe('ERROR: SQL_ERROR: syntax error at or near "x"\n');
    expect(formatError(new UnavailableError('no node answered'))).toBe('ERROR: UNAVAILABLE: no node answered\n');
  });

  test('anything else prints its message', () => {
    expect(formatError(new Error('socket hang up'))).toBe('ERROR: socket hang up\n');
    expect(formatError('odd')).toBe('ERROR: odd\n');
  });
});
