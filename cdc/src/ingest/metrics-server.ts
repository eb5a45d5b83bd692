import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { CdcMetrics } from './cdc-metrics.js';
import { requestTarget } from './request-target.js';

/** The ingester's own HTTP port: `GET /metrics` (Prometheus text) and `GET /healthz`. */
export class MetricsServer {
  private constructor(private readonly server: Server) {}

  static async listen(host: string, port: number, metrics: CdcMetrics, log: Logger, healthy: () => boolean): Promise<MetricsServer> {
    const server = createServer((request, response) => {
      const reply = (status: number, type: string, body: string) => {
        if (response.headersSent) return void response.end();
        response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
        response.end(body);
      };
      try {
        answer(request.method, requestTarget(request.url)?.path ?? null, reply);
      } catch (err) {
        log.error({ err }, 'metrics request failed');
        reply(500, 'text/plain', 'internal error\n');
      }
    });
    const answer = (method: string | undefined, path: string | null, reply: (status: number, type: string, body: string) => void): void => {
      if (path === null) return reply(400, 'text/plain', 'bad request target\n');
      if (method !== 'GET' && method !== 'HEAD') return reply(405, 'text/plain', 'method not allowed\n');
      if (path === '/healthz') return healthy() ? reply(200, 'text/plain', 'ok\n') : reply(503, 'text/plain', 'stopping\n');
      if (path !== '/metrics') return reply(404, 'text/plain', 'not found: try /metrics or /healthz\n');
      metrics
        .text()
        .then(
          ({ contentType, body }) => reply(200, contentType, body),
          (err: unknown) => {
            log.error({ err }, 'metrics collection failed');
            reply(500, 'text/plain', 'metrics collection failed\n');
          },
        )
        .catch((err: unknown) => log.error({ err }, 'metrics answer failed'));
    };
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new MetricsServer(server);
  }

  get address(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `${address}:${port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
