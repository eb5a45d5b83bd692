import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nodeConfig } from '../../src/config/node-config.js';
import { ShoalNode } from '../../src/shoal-node.js';

/** The built CLI (the test script builds first), run as a user runs it. */
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function shoal(args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const { SHOAL_AUTH_TOKEN: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...inherited, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

const TOKEN = 'sesame';
let node: ShoalNode;
let endpoint: string;

beforeAll(async () => {
  node = new ShoalNode(nodeConfig({ port: 0, logLevel: 'silent', authToken: TOKEN, partitions: 16 }));
  await node.start();
  endpoint = node.address;
  const setup = await shoal(['sql', '--endpoint', endpoint, '--auth-token', TOKEN, "CREATE TABLE people (id INT PRIMARY KEY, name TEXT, born DATE) WITH (mode = 'replicated')"]);
  expect(setup, setup.stderr).toMatchObject({ code: 0, stdout: 'CREATE TABLE\n' });
});

afterAll(async () => {
  await node?.stop();
});

const sql = (statement: string) => shoal(['sql', '--endpoint', endpoint, '--auth-token', TOKEN, statement]);

describe('shoal sql against a node', () => {
  test('DML prints its command tag and count; a query prints a table', async () => {
    expect(await sql("INSERT INTO people (id, name, born) VALUES (1, 'Ann', '1990-05-01'), (2, 'Bob', NULL)")).toMatchObject({ code: 0, stdout: 'INSERT 2\n', stderr: '' });
    const query = await sql('SELECT id, name, born FROM people ORDER BY id');
    expect(query.stderr).toBe('');
    expect(query.code).toBe(0);
    expect(query.stdout).toBe([' id | name |    born', '----+------+------------', '  1 | Ann  | 1990-05-01', '  2 | Bob  | NULL', '(2 rows)', ''].join('\n'));
    expect(await sql("UPDATE people SET name = 'Bo' WHERE id = 2")).toMatchObject({ code: 0, stdout: 'UPDATE 1\n' });
  });

  test('a bad statement prints ERROR: SQL_ERROR with the position, exits 1', async () => {
    const run = await sql('SELECT name FROM people WHERE');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ERROR: SQL_ERROR: syntax error .*\(line 1, column \d+\)/);
    const unknown = await sql('SELECT * FROM nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^ERROR: SQL_ERROR: .*nobody/);
  });

  test('without a statement it reads statements from standard input', async () => {
    const run = await shoal(['sql', '--endpoint', endpoint], {
      env: { SHOAL_AUTH_TOKEN: TOKEN },
      input: 'SELECT count(*)\n  FROM people;\nSELECT nope FROM people;\nDELETE FROM people WHERE id = 1;\n\\q\nDELETE FROM people;\n',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(' count\n-------\n     2\n(1 row)\nDELETE 1\n');
    expect(run.stderr).toMatch(/^ERROR: SQL_ERROR: .*nope/);
    expect((await sql('SELECT count(*) FROM people')).stdout).toContain('     1\n');
  });

  test('a wrong or missing token is UNAUTHORIZED, exit 1', async () => {
    const run = await shoal(['sql', '--endpoint', endpoint, '--auth-token', 'wrong', 'SELECT 1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ERROR: UNAUTHORIZED: /);
    expect((await shoal(['sql', '--endpoint', endpoint, 'SELECT 1'])).code).toBe(1);
  });

  test('bad flags exit 2 with a clear message', async () => {
    const bad = await shoal(['sql', '--endpoint', 'nowhere', 'SELECT 1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/'nowhere' is not host:port/);
    expect((await shoal(['sql', '--bogus'])).code).toBe(2);
    const help = await shoal(['sql', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--endpoint', '--auth-token', '[statement]']) expect(help.stdout).toContain(flag);
  });
});
