import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The path of a server binary from a Debian package (`/usr/bin` or `/usr/sbin`),
 * installing the package with apt-get first when it is missing and we are root,
 * so `npm test` and `npm run bench` work on a fresh machine. Without root, a
 * missing binary fails with what to install: nothing is skipped silently.
 * @example ensureDebianBinary('nats-server', 'nats-server')
 */
export function ensureDebianBinary(binary: string, debianPackage: string): string {
  const found = locate(binary);
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error(`${binary} is not installed: run 'sudo apt-get install -y ${debianPackage}'`);
  process.stderr.write(`${binary} is missing; installing the ${debianPackage} package with apt-get\n`);
  try {
    aptGet(['update', '-q']);
    aptGet(['install', '-y', '-q', '--no-install-recommends', debianPackage]);
  } catch (err) {
    throw new Error(`could not install ${debianPackage} with apt-get: ${(err as Error).message}`);
  }
  const installed = locate(binary);
  if (!installed) throw new Error(`apt-get installed ${debianPackage} but ${binary} is still missing`);
  return installed;
}

function locate(binary: string): string | undefined {
  return [`/usr/bin/${binary}`, `/usr/sbin/${binary}`].find((path) => existsSync(path));
}

function aptGet(args: readonly string[]): void {
  execFileSync('apt-get', [...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 300_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
