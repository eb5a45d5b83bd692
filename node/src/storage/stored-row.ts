import { decodeValue } from '@shoal/client/protocol';

/** A stored value (msgpack bytes held as latin1) as the row object it encodes. */
export function rowOf(stored: string): unknown {
  return decodeValue(Buffer.from(stored, 'latin1'));
}
