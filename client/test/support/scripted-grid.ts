import {
  ATOMIC_LONGS_CACHE,
  type Frame,
  Opcode,
  PROTOCOL_VERSION,
  ResponseStatus,
  type WirePartitionMap,
  type WireResponse,
  decodeFrame,
  encodeFrame,
} from '../../src/protocol/index.js';
import type { Channel, ChannelHandlers, Transport } from '../../src/transport/transport.js';
import { FakeNode, type Reply } from './fake-node.js';

/** One client channel as a node sees it. */
interface NodeChannel {
  readonly node: FakeNode;
  readonly handlers: ChannelHandlers;
  readonly hellos: Frame[];
  closed: boolean;
  /** Responses held back while the node is held. */
  held: WireResponse[];
}

/**
 * A grid of fake nodes keyed by address, as a transport: a connect to a node
 * that is up opens and welcomes in a microtask, requests are answered in a
 * microtask (each Responses frame carrying the node's map epoch), and the
 * test moves the map, holds or kills nodes, and reads what each received.
 */
export class ScriptedGrid implements Transport {
  readonly nodes = new Map<string, FakeNode>();
  readonly channels: NodeChannel[] = [];
  /** The address of every connection attempt, in order (refused ones included). */
  readonly attempts: string[] = [];
  private readonly down = new Set<string>();
  private readonly heldNodes = new Set<string>();
  /** The map every node sees, unless a node was given its own. */
  map: WirePartitionMap;
  private readonly views = new Map<string, WirePartitionMap>();
  /** The primaries a cache created through the grid gets (the epoch stays, as on a standalone node). */
  newCachePrimaries = [1, 1, 1, 1];

  constructor(members: readonly (readonly [id: string, address: string])[], caches: Record<string, number[]>, epoch = 1) {
    this.map = ScriptedGrid.mapOf(epoch, members, caches);
    for (const [id, address] of members) {
      this.nodes.set(address, new FakeNode(id, address, () => this.views.get(address) ?? this.map, (opcode, name) => this.admin(opcode, name)));
    }
  }

  /** A map with these primaries per cache (partitioned), the atomic longs cache on member 0 unless given. */
  static mapOf(epoch: number, members: readonly (readonly [string, string])[], caches: Record<string, number[]>): WirePartitionMap {
    const routes = Object.fromEntries(Object.entries(caches).map(([name, primaries]) => [name, { mode: 'partitioned' as const, primaries }]));
    return { epoch, members, caches: { [ATOMIC_LONGS_CACHE]: { mode: 'partitioned', primaries: [0, 0, 0, 0] }, ...routes } };
  }

  private admin(opcode: number, name: string): Reply {
    const caches = { ...this.map.caches };
    const existed = Object.hasOwn(caches, name);
    if (opcode === Opcode.CreateCache) caches[name] = { mode: 'partitioned', primaries: this.newCachePrimaries };
    else delete caches[name];
    this.map = { ...this.map, caches };
    return { ok: opcode === Opcode.CreateCache ? !existed : existed };
  }

  node(address: string): FakeNode {
    const node = this.nodes.get(address);
    if (node === undefined) throw new Error(`no node at ${address}`);
    return node;
  }

  /** Makes `address` answer under its own map (a node that has not seen the grid's latest). */
  setView(address: string, map: WirePartitionMap | undefined): void {
    if (map === undefined) this.views.delete(address);
    else this.views.set(address, map);
  }

  /** The node stops answering (its channels stay open) until `release`. */
  hold(address: string): void {
    this.heldNodes.add(address);
  }

  /** Sends what the node held back. */
  release(address: string): void {
    this.heldNodes.delete(address);
    for (const channel of this.channels.filter((c) => c.node.address === address && !c.closed)) {
      const responses = channel.held.splice(0);
      if (responses.length > 0) this.respond(channel, responses);
    }
  }

  /** The node dies: its channels close and new connections to it fail. */
  kill(address: string): void {
    this.down.add(address);
    for (const channel of this.channels.filter((c) => c.node.address === address && !c.closed)) {
      channel.closed = true;
      channel.handlers.onClose(1006, 'killed');
    }
  }

  /** Open channels to `address`. */
  openChannels(address: string): number {
    return this.channels.filter((c) => c.node.address === address && !c.closed).length;
  }

  connect(endpoint: string, handlers: ChannelHandlers): Channel {
    this.attempts.push(endpoint);
    const node = this.nodes.get(endpoint);
    const channel: NodeChannel | undefined = node && { node, handlers, hellos: [], closed: false, held: [] };
    if (channel === undefined || this.down.has(endpoint)) {
      queueMicrotask(() => handlers.onClose(1006, 'connection refused'));
    } else {
      this.channels.push(channel);
      queueMicrotask(() => !channel.closed && handlers.onOpen());
    }
    return {
      send: (bytes) => channel && !channel.closed && this.onFrame(channel, decodeFrame(bytes)),
      bufferedBytes: 0,
      close: () => {
        if (channel === undefined || channel.closed) return;
        channel.closed = true;
        queueMicrotask(() => handlers.onClose(1000, 'client closed'));
      },
    };
  }

  private onFrame(channel: NodeChannel, frame: Frame): void {
    if (frame.kind === 'hello') {
      channel.hellos.push(frame);
      const welcome: Frame = { kind: 'welcome', version: PROTOCOL_VERSION, nodeId: channel.node.id, partitionCount: 4, maxFrameBytes: 1 << 20 };
      queueMicrotask(() => !channel.closed && channel.handlers.onMessage(encodeFrame(welcome)));
      return;
    }
    if (frame.kind !== 'requests') return;
    const responses = frame.requests.map((request): WireResponse => {
      const reply = channel.node.handle(request);
      const id = request[0] as number;
      return 'ok' in reply ? [id, ResponseStatus.Ok, reply.ok] : [id, ResponseStatus.Failed, reply.error, reply.message ?? reply.error];
    });
    if (this.heldNodes.has(channel.node.address)) channel.held.push(...responses);
    else queueMicrotask(() => this.respond(channel, responses));
  }

  private respond(channel: NodeChannel, responses: WireResponse[]): void {
    if (channel.closed) return;
    const mapEpoch = (this.views.get(channel.node.address) ?? this.map).epoch;
    channel.handlers.onMessage(encodeFrame({ kind: 'responses', responses, mapEpoch }));
  }
}
