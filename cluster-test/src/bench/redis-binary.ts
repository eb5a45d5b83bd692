import { execFileSync } from 'node:child_process';
import { ensureDebianBinary } from '../harness/debian-binary.js';

/** The path of redis-server, installing the Debian package first when it is missing and we are root. */
export function ensureRedisServer(): string {
  return ensureDebianBinary('redis-server', 'redis-server');
}

/** The version redis-server reports, e.g. "7.0.15". */
export function redisServerVersion(binary: string): string {
  const text = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return /v=(\S+)/.exec(text)?.[1] ?? text.trim();
}
