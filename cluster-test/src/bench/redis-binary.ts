import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const REDIS_SERVER = '/usr/bin/redis-server';

/** The path of redis-server, installing the Debian package first when it is missing and we are root. */
export function ensureRedisServer(): string {
  if (existsSync(REDIS_SERVER)) return REDIS_SERVER;
  if (process.getuid?.() !== 0) {
    throw new Error(`${REDIS_SERVER} is missing: install it with 'sudo apt-get install -y redis-server' and run the benchmark again`);
  }
  process.stdout.write(`bench: ${REDIS_SERVER} is missing; installing the redis-server package with apt-get\n`);
  try {
    aptGet(['update']);
    aptGet(['install', '-y', '--no-install-recommends', 'redis-server']);
  } catch (err) {
    throw new Error(`could not install redis-server with apt-get: ${(err as Error).message}`);
  }
  if (!existsSync(REDIS_SERVER)) throw new Error(`apt-get installed redis-server but ${REDIS_SERVER} is still missing`);
  return REDIS_SERVER;
}

/** The version redis-server reports, e.g. "7.0.15". */
export function redisServerVersion(binary: string): string {
  const text = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return /v=(\S+)/.exec(text)?.[1] ?? text.trim();
}

function aptGet(args: readonly string[]): void {
  execFileSync('apt-get', [...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 300_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
