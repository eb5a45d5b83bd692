/**
 * Who opened a connection to a node, as its first request line tells:
 * a peer dials `GET /peer?from=<nodeId> HTTP/1.1`, everything else (SDK
 * WebSockets at `/`, HTTP `/status`, bytes that are not HTTP at all) is a client.
 */
export type ConnectionOrigin = { readonly kind: 'peer'; readonly from: string } | { readonly kind: 'client' };

/** Past this many bytes without a line end we stop waiting: the connection is no HTTP we know, so a client. */
export const MAX_HEAD_BYTES = 8 * 1024;

/**
 * The origin once `head` holds a complete first line (or `MAX_HEAD_BYTES`),
 * otherwise undefined (read more). Only the first request of a connection
 * counts: peers open one WebSocket per connection, so later requests on a
 * keep-alive connection are the same party.
 */
export function originOf(head: Buffer): ConnectionOrigin | undefined {
  const lineEnd = head.indexOf(0x0a);
  if (lineEnd < 0 && head.length < MAX_HEAD_BYTES) return undefined;
  const line = head.subarray(0, lineEnd < 0 ? head.length : lineEnd).toString('latin1').trimEnd();
  const match = /^[A-Z]+ (\S+) HTTP\/\d/.exec(line);
  if (!match) return { kind: 'client' };
  let url: URL;
  try {
    url = new URL(match[1]!, 'http://proxy.invalid');
  } catch {
    return { kind: 'client' };
  }
  const from = url.searchParams.get('from');
  return url.pathname === '/peer' && from !== null && from !== '' ? { kind: 'peer', from } : { kind: 'client' };
}
