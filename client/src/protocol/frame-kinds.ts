/**
 * The first element of every frame. A frame is one WebSocket binary message
 * holding one msgpack array: `[kind, ...fields]`.
 */
export const FrameKind = {
  /** client → node: `[Hello, protocolVersion, authToken | null, clientName]` */
  Hello: 0,
  /** node → client: `[Welcome, protocolVersion, nodeId, partitionCount, maxFrameBytes]` */
  Welcome: 1,
  /** client → node: `[Requests, [[id, opcode, ...args], ...]]` */
  Requests: 2,
  /** node → client: `[Responses, [[id, Ok, result] | [id, Failed, code, message], ...]]` */
  Responses: 3,
  /** node → client, just before the node closes the connection: `[Fatal, code, message]` */
  Fatal: 4,
  /** node → node on `/peer`: `[PeerHello, protocolVersion, nodeId, address, clusterSecret | null]` */
  PeerHello: 5,
  /** node → node: `[Peer, message]`, a control-plane or replication message tagged by `kind` */
  Peer: 6,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** The second element of a response. */
export const ResponseStatus = { Ok: 0, Failed: 1 } as const;
export type ResponseStatus = (typeof ResponseStatus)[keyof typeof ResponseStatus];

/** WebSocket close codes the node uses (4000-4999 is the application range). */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  TooLarge: 1009,
  Unauthorized: 4001,
  BadHandshake: 4002,
} as const;
