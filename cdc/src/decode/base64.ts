import { undecodable } from './decode-error.js';

// Buffer.from(..., 'base64') skips characters it does not know, so a corrupt
// value would silently decode to other bytes: check the alphabet first.
const base64Text = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes the base64 the JsonConverter writes for `bytes` (standard alphabet, padded). */
export function decodeBase64(text: string, path: string): Uint8Array {
  if (!base64Text.test(text)) return undecodable(path, `invalid base64: ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`);
  // A copy, not a view: small Buffers share an 8 KiB pool that a stored value would keep alive.
  return Uint8Array.from(Buffer.from(text, 'base64'));
}
