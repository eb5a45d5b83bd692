import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROTOCOL_VERSION, type WirePartitionMap } from '@shoal/client/protocol';
import { type Logger, pino } from 'pino';
import { WebSocketServer } from 'ws';
import type { NodeConfig } from './config/node-config.js';
import { ClusterNode } from './cluster/cluster-node.js';
import { clusterReadings, clusterStatus, partitionMapOf } from './cluster/cluster-status.js';
import { RequestDispatch } from './cluster/request-dispatch.js';
import type { HandlerContext } from './handlers/handler.js';
import { handlers } from './handlers/handler-table.js';
import { NodeMetrics, registerClusterMetrics } from './metrics/node-metrics.js';
import { ClientSession } from './server/client-session.js';
import { createHttpHandler } from './server/http-endpoints.js';
import { SqlService } from './sql/sql-service.js';
import { CacheRegistry } from './storage/cache-registry.js';

const HANDSHAKE_TIMEOUT_MS = 10_000;
const HIGH_WATER_BYTES = 8 * 1024 * 1024;

/**
 * One Shoal node: HTTP endpoints and client WebSockets on one port.
 * @example const node = new ShoalNode(nodeConfig({ port: 0 })); await node.start(); ...; await node.stop()
 */
export class ShoalNode {
  readonly caches: CacheRegistry;
  readonly metrics: NodeMetrics;
  readonly log: Logger;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<ClientSession>();
  private startedAt = 0;
  private clusterNode: ClusterNode | undefined;
  private dispatcher: RequestDispatch | undefined;
  private readonly context: HandlerContext;
  private readonly sql: SqlService;

  constructor(
    readonly config: NodeConfig,
    logger?: Logger,
  ) {
    this.log = logger ?? pino({ level: config.logLevel, base: { node: config.id } });
    this.caches = new CacheRegistry(config.partitions);
    this.sql = new SqlService({
      caches: this.caches,
      cluster: () => this.cluster,
      dispatch: () => this.dispatcher!,
      address: () => this.address,
      authToken: config.authToken,
      nodeId: config.id,
      log: this.log,
    });
    this.context = {
      sql: this.sql,
      caches: this.caches,
      partitionMap: () => this.partitionMap(),
      leads: (cache, partition) => this.cluster.state.assignment(cache, partition)?.owners[0] === this.config.id,
    };
    this.metrics = new NodeMetrics(this.caches);
    registerClusterMetrics(this.metrics.registry, () => this.clusterNode && clusterReadings(this.clusterNode));
    this.http = createServer(createHttpHandler({ status: () => this.status(), metrics: () => this.scrape() }, this.log));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: config.maxFrameBytes, perMessageDeflate: false });
    this.http.on('upgrade', (request, socket, head) => {
      socket.on('error', (err) => this.log.debug({ err }, 'upgrade socket error'));
      const peer = request.url?.startsWith('/peer') ?? false;
      this.wss.handleUpgrade(request, socket, head, (ws) => (peer ? this.acceptPeer(ws) : this.accept(ws)));
    });
    this.http.on('clientError', (err, socket) => socket.destroy(err));
  }

  /** Listens on the configured host and port; resolves once it does. */
  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.config.port, this.config.host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    this.startedAt = Date.now();
    this.clusterNode = new ClusterNode(
      {
        id: this.config.id,
        address: this.config.advertise ?? this.address,
        seeds: this.config.seeds,
        clusterSecret: this.config.clusterSecret,
        timing: this.config.timing,
        partitions: this.config.partitions,
        maxFrameBytes: this.config.maxFrameBytes,
      },
      this.caches,
      this.log,
    );
    this.dispatcher = new RequestDispatch(handlers, this.context, this.clusterNode);
    this.clusterNode.start();
    this.log.info({ address: this.address, id: this.config.id, seeds: this.config.seeds }, 'shoal node listening');
    // A founder serves once it leads its one-member cluster, a matter of milliseconds; a joiner serves once admitted.
    if (this.config.seeds.length === 0) await this.clusterNode.ready();
  }

  /** The node's control-plane membership; throws before `start()`. */
  get cluster(): ClusterNode {
    if (!this.clusterNode) throw new Error('node not started');
    return this.clusterNode;
  }

  /** The `host:port` it listens on (the real port when started with port 0). */
  get address(): string {
    const address = this.http.address() as AddressInfo | null;
    return address ? `${this.config.host}:${address.port}` : `${this.config.host}:${this.config.port}`;
  }

  /** Closes every connection and the port; nothing stays running. */
  async stop(): Promise<void> {
    await this.sql.stop();
    this.clusterNode?.stop();
    for (const session of this.sessions) session.close();
    this.wss.close();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    for (const client of this.wss.clients) client.terminate();
    await closed;
    this.log.info('shoal node stopped');
  }

  /** What `GET /status` answers. */
  status(): object {
    return {
      id: this.config.id,
      address: this.address,
      protocolVersion: PROTOCOL_VERSION,
      cluster: this.clusterNode ? clusterStatus(this.clusterNode) : null,
      startedAt: new Date(this.startedAt).toISOString(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      connections: this.sessions.size,
      caches: this.caches.list().map((cache) => ({
        ...cache.definition,
        entries: cache.size,
        bytes: cache.bytes,
        tombstones: cache.tombstones,
        staleChanges: cache.stats.stale,
      })),
      memory: process.memoryUsage(),
    };
  }

  partitionMap(): WirePartitionMap {
    return partitionMapOf(this.cluster.state);
  }

  private acceptPeer(ws: import('ws').WebSocket): void {
    if (!this.clusterNode) return void ws.terminate();
    this.clusterNode.acceptPeer(ws);
  }

  private async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.metrics.registry.contentType, body: await this.metrics.registry.metrics() };
  }

  private accept(ws: import('ws').WebSocket): void {
    this.metrics.connections.inc();
    const session = new ClientSession(
      ws,
      {
        nodeId: this.config.id,
        authToken: this.config.authToken,
        partitionCount: this.config.partitions,
        maxFrameBytes: this.config.maxFrameBytes,
        handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
        highWaterBytes: HIGH_WATER_BYTES,
      },
      (opcode, request, clientId) => this.dispatcher!.run(opcode, request, clientId),
      () => this.clusterNode?.state.epoch ?? 0,
      this.metrics,
      this.log,
    );
    this.sessions.add(session);
    ws.on('close', () => this.sessions.delete(session));
  }
}
