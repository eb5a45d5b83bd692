import { undecodable } from './decode-error.js';

// Buffer.from(..., 'base64') skips characters it does not know, so a corrupt
// value would silently decode to other bytes: check the alphabet first.
const base64Text = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes the base64 the JsonConverter writes for `bytes` (standard alphabet, padded). */
export function decodeBase64(text: string, path: string): Uint8Array {
  // A copy, not a view: small Buffers share an 8 KiB pool that a stored value would keep alive.
  return Uint8Array.from(base64View(text, path));
}

/** The same bytes as a view into Buffer's shared pool: only for reading them at once, never for keeping. */
export function base64View(text: string, path: string): Buffer {
  if (!base64Text.test(text)) return undecodable(path, `invalid base64: ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`);
  return Buffer.from(text, 'base64');
}
