import type { SetAsideReason } from '../errors.js';
import type { SourceRecord } from './source.js';

/** What a dead-letter sink keeps about an event it was handed: why, where from, and the record as received. */
export interface DeadLetterEntry extends SetAsideReason {
  /** ISO time it was set aside. */
  readonly at: string;
  readonly source: string;
  readonly topic: string | null;
  readonly offset: string;
  /** The record's key and value as received: text, or base64 when the bytes were not UTF-8 (`encoding` says which). */
  readonly key: string | null;
  readonly value: string | null;
  readonly encoding: 'utf8' | 'base64';
}

/**
 * Where undecodable and unappliable events go. `write` may buffer; `flush`
 * makes every written entry durable, and the ingester calls it before it
 * commits the batch the entries came from.
 */
export interface DeadLetterSink {
  readonly description: string;
  write(entry: DeadLetterEntry): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The entry for a record and the reason it was set aside. */
export function deadLetterEntry(source: string, record: SourceRecord, reason: SetAsideReason, now = new Date()): DeadLetterEntry {
  const key = rawText(record.key);
  const value = rawText(record.value);
  const encoding = key.encoding === 'base64' || value.encoding === 'base64' ? 'base64' : 'utf8';
  return {
    code: reason.code,
    reason: reason.reason,
    part: reason.part,
    path: reason.path,
    at: now.toISOString(),
    source,
    topic: record.topic,
    offset: record.offset,
    key: encoding === 'base64' ? base64(record.key) : key.text,
    value: encoding === 'base64' ? base64(record.value) : value.text,
    encoding,
  };
}

function rawText(raw: SourceRecord['value']): { text: string | null; encoding: 'utf8' | 'base64' } {
  if (raw === null || raw === undefined) return { text: null, encoding: 'utf8' };
  if (typeof raw === 'string') return { text: raw, encoding: 'utf8' };
  try {
    return { text: utf8.decode(raw), encoding: 'utf8' };
  } catch {
    return { text: null, encoding: 'base64' };
  }
}

function base64(raw: SourceRecord['value']): string | null {
  if (raw === null || raw === undefined) return null;
  return (typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)).toString('base64');
}
