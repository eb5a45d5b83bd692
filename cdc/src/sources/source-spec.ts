import { CdcConfigError } from '../errors.js';
import type { RedisEntryFormat, RedisSourceOptions } from './redis-source.js';

/** A `--source` as parsed: which transport and its settings (the batch size comes from `--batch-size`). */
export type SourceSpec =
  | { readonly kind: 'file'; readonly path: string | null; readonly checkpoint: string | null; readonly maxLineBytes?: number }
  | { readonly kind: 'http'; readonly host: string; readonly port: number; readonly path: string; readonly applyTimeoutMs: number }
  | { readonly kind: 'kafka'; readonly brokers: readonly string[]; readonly topics: readonly string[]; readonly groupId: string; readonly fromBeginning: boolean }
  | {
      readonly kind: 'nats';
      readonly servers: readonly string[];
      readonly stream: string;
      readonly consumer: string;
      readonly filterSubject: string | null;
      readonly ackWaitMs: number;
    }
  | ({ readonly kind: 'redis' } & Omit<RedisSourceOptions, 'batchSize' | 'blockMs'>);

/** What `--source` accepts, for `--help` and error messages. */
export const sourceForms = [
  'file:PATH            NDJSON file; checkpoint in PATH.checkpoint (or ?checkpoint=FILE); ?maxLineBytes=67108864 (longer lines are dead-lettered)',
  '-  or  stdin         NDJSON on standard input (?checkpoint=FILE to resume: stdin:?checkpoint=FILE; ?maxLineBytes=N)',
  'http://HOST:PORT/PATH            listen for Debezium Server HTTP sink POSTs (?applyTimeoutMs=10000)',
  'kafka://BROKER[,BROKER]/TOPIC[,TOPIC]?group=shoal-cdc&fromBeginning=true',
  'nats://HOST:PORT[,HOST:PORT]/STREAM?consumer=shoal-cdc&subject=FILTER&ackWaitMs=30000',
  'redis://[:PASSWORD@]HOST:PORT/STREAM[,STREAM]?group=shoal-cdc&consumer=shoal-cdc&format=auto|compact|extended&db=0&nullKey=default&nullValue=default',
];

/** Parses a `--source` value; a bad one is a `CdcConfigError` saying what is accepted. */
export function parseSourceSpec(text: string): SourceSpec {
  if (text === '-' || text === 'stdin') return { kind: 'file', path: null, checkpoint: null };
  if (text.startsWith('stdin:')) {
    const params = new URLSearchParams(text.slice('stdin:'.length).replace(/^\?/, ''));
    return { kind: 'file', path: null, checkpoint: params.get('checkpoint'), ...maxLineBytes(params) };
  }
  if (text.startsWith('file:')) return fileSpec(text.slice('file:'.length));
  const scheme = /^([a-z]+):\/\//.exec(text)?.[1];
  switch (scheme) {
    case 'http':
      return httpSpec(url(text));
    case 'kafka':
      return kafkaSpec(text);
    case 'nats':
      return natsSpec(text);
    case 'redis':
      return redisSpec(url(text));
    default:
      throw bad(text, 'unknown kind of source');
  }
}

function fileSpec(rest: string): SourceSpec {
  const [path = '', query = ''] = splitOnce(rest, '?');
  if (path === '') throw bad(`file:${rest}`, 'no file path');
  const params = new URLSearchParams(query);
  return { kind: 'file', path, checkpoint: params.get('checkpoint') ?? `${path}.checkpoint`, ...maxLineBytes(params) };
}

/** `?maxLineBytes=N`, when given: the longest line a file or stdin source reads. */
function maxLineBytes(params: URLSearchParams): { maxLineBytes?: number } {
  return params.has('maxLineBytes') ? { maxLineBytes: positive(params, 'maxLineBytes', 0) } : {};
}

function httpSpec(u: URL): SourceSpec {
  return {
    kind: 'http',
    host: hostOf(u),
    port: portOf(u, 8080),
    path: u.pathname === '' ? '/' : u.pathname,
    applyTimeoutMs: positive(u.searchParams, 'applyTimeoutMs', 10_000),
  };
}

/** `kafka://a:9092,b:9092/t1,t2?...`: several hosts do not fit WHATWG URL parsing, so split by hand. */
function kafkaSpec(text: string): SourceSpec {
  const { hosts, path, params } = splitMultiHost(text, 'kafka://');
  const topics = list(path);
  if (hosts.length === 0 || topics.length === 0) throw bad(text, 'expected kafka://BROKER[,BROKER]/TOPIC[,TOPIC]');
  return { kind: 'kafka', brokers: hosts, topics, groupId: params.get('group') ?? 'shoal-cdc', fromBeginning: params.get('fromBeginning') !== 'false' };
}

function natsSpec(text: string): SourceSpec {
  const { hosts, path, params } = splitMultiHost(text, 'nats://');
  if (hosts.length === 0 || path === '' || path.includes('/')) throw bad(text, 'expected nats://HOST:PORT/STREAM');
  return {
    kind: 'nats',
    servers: hosts,
    stream: path,
    consumer: params.get('consumer') ?? 'shoal-cdc',
    filterSubject: params.get('subject'),
    ackWaitMs: positive(params, 'ackWaitMs', 30_000),
  };
}

function redisSpec(withPassword: URL): SourceSpec {
  const u = new URL(withPassword.href);
  u.password = ''; // never shown in an error message
  const streams = list(decodeURIComponent(u.pathname.replace(/^\//, '')));
  if (streams.length === 0) throw bad(u.href, 'expected redis://HOST:PORT/STREAM[,STREAM]');
  const format = u.searchParams.get('format') ?? 'auto';
  if (format !== 'auto' && format !== 'compact' && format !== 'extended') throw bad(u.href, `format must be auto, compact or extended, not ${format}`);
  const group = u.searchParams.get('group') ?? 'shoal-cdc';
  return {
    kind: 'redis',
    host: hostOf(u),
    port: portOf(u, 6379),
    db: nonNegative(u.searchParams, 'db', 0),
    password: withPassword.password === '' ? null : decodeURIComponent(withPassword.password),
    streams,
    group,
    consumer: u.searchParams.get('consumer') ?? group,
    format,
    nullKey: u.searchParams.get('nullKey') ?? 'default',
    nullValue: u.searchParams.get('nullValue') ?? 'default',
  };
}

function splitMultiHost(text: string, prefix: string): { hosts: string[]; path: string; params: URLSearchParams } {
  const [rest = '', query = ''] = splitOnce(text.slice(prefix.length), '?');
  const [hostList = '', path = ''] = splitOnce(rest, '/');
  const hosts = list(hostList);
  for (const host of hosts) if (!/^[^:/\s]+:\d{1,5}$/.test(host)) throw bad(text, `${host} is not HOST:PORT`);
  return { hosts, path, params: new URLSearchParams(query) };
}

function url(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw bad(text, 'not a URL');
  }
}

function hostOf(u: URL): string {
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw bad(u.href, 'no host');
  return host;
}

function portOf(u: URL, fallback: number): number {
  return u.port === '' ? fallback : Number(u.port);
}

function positive(params: URLSearchParams, name: string, fallback: number): number {
  const n = nonNegative(params, name, fallback);
  if (n === 0) throw new CdcConfigError(`${name} must be a positive integer`);
  return n;
}

function nonNegative(params: URLSearchParams, name: string, fallback: number): number {
  const text = params.get(name);
  if (text === null) return fallback;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new CdcConfigError(`${name} must be a non-negative integer, not '${text}'`);
  return Number(text);
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}

function bad(text: string, why: string): CdcConfigError {
  return new CdcConfigError(`--source '${text}': ${why}. Accepted:\n  ${sourceForms.join('\n  ')}`);
}
