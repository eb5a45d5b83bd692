import { type Frame, PROTOCOL_VERSION, type WireResponse, decodeFrame, encodeFrame } from '@shoal/client/protocol';
import WebSocket from 'ws';

/**
 * A bare protocol connection for tests that must control what the SDK
 * hides: the client id, the request ids, which node a request goes to.
 */
export class RawClient {
  private readonly waiting = new Map<number, (response: WireResponse) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const frame = decodeFrame(data);
      if (frame.kind === 'responses') for (const response of frame.responses) this.waiting.get(response[0])?.(response);
    });
  }

  static async connect(endpoint: string, clientId?: string): Promise<RawClient> {
    const ws = new WebSocket(`ws://${endpoint}/`, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => ws.send(encodeFrame({ kind: 'hello', version: PROTOCOL_VERSION, authToken: null, clientName: 'raw', ...(clientId ? { clientId } : {}) })));
      ws.once('message', (data: Buffer) => {
        const frame: Frame = decodeFrame(data);
        if (frame.kind === 'welcome') resolve();
        else reject(new Error(`expected welcome, got ${frame.kind}`));
      });
    });
    return new RawClient(ws);
  }

  /** Sends `[id, opcode, ...args]` and resolves with its response. */
  request(id: number, opcode: number, ...args: unknown[]): Promise<WireResponse> {
    return new Promise((resolve) => {
      this.waiting.set(id, (response) => {
        this.waiting.delete(id);
        resolve(response);
      });
      this.ws.send(encodeFrame({ kind: 'requests', requests: [[id, opcode, ...args]] }));
    });
  }

  close(): void {
    this.ws.terminate();
  }
}
