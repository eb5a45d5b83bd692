import { BadRequestError, ChangeTag, MAX_VERSION_BYTES, type WireRequest, compareVersions } from '@shoal/client/protocol';
import { bytesToLatin1, latin1ToBytes } from '../storage/latin1.js';
import type { HandlerContext } from './handler.js';
import { describeInput } from '../input/describe-input.js';
import { arrayArg, cacheArg, checkKeyBytes, checkValueBytes } from './request-args.js';

/** One change of an ApplyChanges request, checked. `value` is absent for a remove. */
interface Change {
  readonly key: Uint8Array;
  readonly value: Uint8Array | undefined;
  readonly version: Uint8Array;
}

/**
 * `[cache, [change, ...]]` → `[applied, ...]`: versioned puts and removes, the
 * grid side of CDC. A change applies when the key has no stored version or
 * its version is not older than the stored one (`compareVersions`, shared
 * with the SDK); an applied remove leaves a tombstone. Every change is checked
 * before any applies, and the whole request runs synchronously, so the
 * compare-and-write of each key is atomic.
 */
export function applyChanges(request: WireRequest, context: HandlerContext): boolean[] {
  const cache = cacheArg(request, context);
  const changes = arrayArg(request, 1).map(parseChange);
  const applied = new Array<boolean>(changes.length);
  let puts = 0;
  let removals = 0;
  let stale = 0;
  for (let i = 0; i < changes.length; i++) {
    const { key, value, version } = changes[i]!;
    const partition = cache.partitionFor(key);
    const keyText = bytesToLatin1(key);
    const stored = partition.versionOf(keyText);
    if (stored !== undefined && compareVersions(version, latin1ToBytes(stored)) < 0) {
      applied[i] = false;
      stale++;
      continue;
    }
    applied[i] = true;
    if (value !== undefined) {
      partition.putVersioned(keyText, bytesToLatin1(value), bytesToLatin1(version));
      puts++;
    } else if (partition.removeVersioned(keyText, bytesToLatin1(version)) !== undefined) {
      removals++;
    }
  }
  cache.stats.puts += puts;
  cache.stats.removals += removals;
  cache.stats.stale += stale;
  return applied;
}

function parseChange(change: unknown, index: number): Change {
  const what = `change ${index}`;
  if (!Array.isArray(change)) throw new BadRequestError(`${what} must be [${ChangeTag.Put}, key, value, version] or [${ChangeTag.Remove}, key, version]`);
  const [tag] = change as unknown[];
  if (tag === ChangeTag.Put) {
    if (change.length !== 4) throw new BadRequestError(`${what}: a put is [${ChangeTag.Put}, key, value, version], got ${change.length} elements`);
    return {
      key: checkKeyBytes(change[1], `${what} key`),
      value: checkValueBytes(change[2], `${what} value`),
      version: checkVersion(change[3], what),
    };
  }
  if (tag === ChangeTag.Remove) {
    if (change.length !== 3) throw new BadRequestError(`${what}: a remove is [${ChangeTag.Remove}, key, version], got ${change.length} elements`);
    return { key: checkKeyBytes(change[1], `${what} key`), value: undefined, version: checkVersion(change[2], what) };
  }
  throw new BadRequestError(`${what}: the tag must be ${ChangeTag.Put} (put) or ${ChangeTag.Remove} (remove), got ${describeInput(tag)}`);
}

function checkVersion(version: unknown, what: string): Uint8Array {
  if (!(version instanceof Uint8Array) || version.length === 0 || version.length > MAX_VERSION_BYTES) {
    throw new BadRequestError(`${what}: the version must be 1 to ${MAX_VERSION_BYTES} bytes (msgpack bin)`);
  }
  return version;
}
