import { type Socket, connect } from 'node:net';

/** A TCP connection to `port` on loopback that has sent `firstBytes`. */
export async function dial(port: number, firstBytes: string | Buffer = ''): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  if (firstBytes.length > 0) socket.write(firstBytes);
  return socket;
}

/** Resolves with the first `length` bytes the socket receives; rejects if it closes first or after `timeoutMs`. */
export function receive(socket: Socket, length: number, timeoutMs = 5_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const timer = setTimeout(() => done(new Error(`received ${received} of ${length} bytes within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received >= length) done();
    };
    const onClose = () => done(new Error(`closed after ${received} of ${length} bytes`));
    const done = (err?: Error) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).subarray(0, length));
    };
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

/** True if the socket closes within `ms` (it is closed already, or closes meanwhile); false if it stays open. */
export function closesWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.closed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('close', onClose);
      resolve(false);
    }, ms);
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once('close', onClose);
  });
}

/** Every byte the socket receives until it closes (or `timeoutMs`). */
export function drain(socket: Socket, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve(text), timeoutMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

/** The HTTP request of a WebSocket upgrade on `path`. */
export function upgradeRequest(path: string): string {
  return [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

/** Sends a WebSocket upgrade for `path` and reads the response head; the socket and the status line. */
export async function upgrade(port: number, path: string): Promise<{ socket: Socket; statusLine: string }> {
  const socket = await dial(port, upgradeRequest(path));
  const head = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no upgrade response for ${path} within 5 s: ${text}`)), 5_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(text);
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed before an upgrade response for ${path}: ${text}`)));
  });
  return { socket, statusLine: head.split('\r\n')[0]! };
}
