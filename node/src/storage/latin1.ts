/**
 * Keys and values are held as one-byte ("latin1") strings of their bytes: V8
 * stores such a string in 16 bytes plus its length, far less than a Buffer
 * (~100 bytes of object per instance), and it copies into a frame directly.
 */
export function bytesToLatin1(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('latin1');
}

/** The bytes of a latin1-held key or value. */
export function latin1ToBytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}
