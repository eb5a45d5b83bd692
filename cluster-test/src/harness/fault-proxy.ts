import { type Server, type Socket, connect, createServer } from 'node:net';
import { type ConnectionOrigin, originOf } from './connection-origin.js';

export interface FaultProxyOptions {
  /** The node's own `host:port`, where accepted connections are forwarded. */
  readonly target: string;
  /** Where the proxy listens; 127.0.0.1 by default. */
  readonly host?: string;
  /** 0 (the default) lets the OS pick a free port. */
  readonly port?: number;
}

/** One accepted connection and, once its origin is known and allowed, its leg to the target. */
interface Link {
  readonly inbound: Socket;
  upstream?: Socket;
  origin?: ConnectionOrigin;
}

/**
 * A TCP proxy in front of one node that can cut links by who opened them.
 * Every node of a LocalCluster advertises its proxy's address, so each
 * peer connection to a node passes its proxy, tagged `from=<nodeId>`;
 * blocking ids on the proxies of one group partitions the cluster without
 * root or iptables. It reads only the first request line (HTTP speaks
 * first), then pipes bytes both ways untouched.
 * @example const proxy = await FaultProxy.start({ target: '127.0.0.1:7701' }); proxy.block(['n2']); ...; await proxy.stop()
 */
export class FaultProxy {
  private readonly links = new Set<Link>();
  private readonly blockedPeers = new Set<string>();
  private clientsBlocked = false;
  private stopped = false;
  private readonly targetHost: string;
  private readonly targetPort: number;

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    readonly target: string,
  ) {
    const at = target.lastIndexOf(':');
    this.targetHost = target.slice(0, at).replace(/^\[(.*)\]$/, '$1');
    this.targetPort = Number(target.slice(at + 1));
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens and resolves once it does. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve((server.address() as { port: number }).port);
      });
    });
    return new FaultProxy(server, host, port, options.target);
  }

  /** `host:port` to advertise and dial instead of the target. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** Destroys the open peer connections from these node ids and refuses new ones until unblocked. */
  block(fromNodeIds: readonly string[]): void {
    for (const id of fromNodeIds) this.blockedPeers.add(id);
    this.cutWhere((origin) => origin.kind === 'peer' && this.blockedPeers.has(origin.from));
  }

  unblock(fromNodeIds: readonly string[]): void {
    for (const id of fromNodeIds) this.blockedPeers.delete(id);
  }

  /** Destroys every open non-peer connection (SDK, HTTP) and refuses new ones until unblocked. */
  blockClients(): void {
    this.clientsBlocked = true;
    this.cutWhere((origin) => origin.kind === 'client');
  }

  unblockClients(): void {
    this.clientsBlocked = false;
  }

  /** Lets everything through again. Connections cut while blocked stay cut: their owners reconnect. */
  heal(): void {
    this.blockedPeers.clear();
    this.clientsBlocked = false;
  }

  /** What is blocked now. */
  get blocked(): { readonly peers: readonly string[]; readonly clients: boolean } {
    return { peers: [...this.blockedPeers], clients: this.clientsBlocked };
  }

  /** The origins of the connections piped to the target right now. */
  connections(): ConnectionOrigin[] {
    return [...this.links].flatMap((link) => (link.upstream && link.origin ? [link.origin] : []));
  }

  /** Closes the port and every connection; resolves when no socket of the proxy is left. */
  async stop(): Promise<void> {
    this.stopped = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const sockets = [...this.links].flatMap((link) => [link.inbound, ...(link.upstream ? [link.upstream] : [])]);
    for (const socket of sockets) socket.destroy();
    await Promise.all([closed, ...sockets.map(socketClosed)]);
  }

  private accept(inbound: Socket): void {
    // A reset from either side is exactly the kind of fault this exists for: never an uncaught error.
    inbound.on('error', () => {});
    if (this.stopped) return void inbound.destroy();
    const link: Link = { inbound };
    this.links.add(link);
    inbound.once('close', () => {
      this.links.delete(link);
      link.upstream?.destroy();
    });
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const origin = originOf(head);
      if (origin === undefined) return;
      // Stop the flow before handing the socket to pipe(), or bytes arriving in between are lost.
      inbound.pause();
      inbound.off('data', onData);
      link.origin = origin;
      if (this.isBlocked(origin)) return void inbound.destroy();
      this.forward(link, head);
    };
    inbound.on('data', onData);
  }

  private forward(link: Link, head: Buffer): void {
    const upstream = connect({ host: this.targetHost, port: this.targetPort });
    link.upstream = upstream;
    upstream.on('error', () => {});
    upstream.once('close', () => link.inbound.destroy());
    // Writes before the connect completes are queued by the socket.
    upstream.write(head);
    link.inbound.pipe(upstream);
    upstream.pipe(link.inbound);
  }

  private isBlocked(origin: ConnectionOrigin): boolean {
    return origin.kind === 'peer' ? this.blockedPeers.has(origin.from) : this.clientsBlocked;
  }

  private cutWhere(matches: (origin: ConnectionOrigin) => boolean): void {
    for (const link of this.links) {
      if (link.origin === undefined || !matches(link.origin)) continue;
      link.inbound.destroy();
      link.upstream?.destroy();
    }
  }
}

function socketClosed(socket: Socket): Promise<void> {
  return socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}
