import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** What the HTTP endpoints read from the node. */
export interface EndpointSources {
  status(): object;
  metrics(): Promise<{ contentType: string; body: string }>;
}

/** Serves `GET /healthz`, `/metrics` and `/status`; anything else is 404, a non-GET 405. */
export function createHttpHandler(sources: EndpointSources, log: Logger) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    // Split by hand: `new URL('//', base)` throws, and a request must never crash the node.
    const [pathname = '/', query = ''] = (request.url ?? '/').split('?', 2);
    const gc = new URLSearchParams(query).get('gc');
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(response, 405, 'text/plain', 'method not allowed\n');
    switch (pathname) {
      case '/healthz':
        return reply(response, 200, 'text/plain', 'ok\n');
      case '/status':
        if (gc === '1') collectGarbage();
        return reply(response, 200, 'application/json', `${JSON.stringify(sources.status(), null, 2)}\n`);
      case '/metrics':
        sources.metrics().then(
          ({ contentType, body }) => reply(response, 200, contentType, body),
          (err) => {
            log.error({ err }, 'metrics collection failed');
            reply(response, 500, 'text/plain', 'metrics collection failed\n');
          },
        );
        return;
      default:
        return reply(response, 404, 'text/plain', 'not found: try /healthz, /metrics or /status\n');
    }
  };
}

/** For memory measurements: only when the node runs with `--expose-gc`. */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
