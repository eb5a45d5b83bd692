export { NodeProcess, CLI_PATH, type NodeProcessOptions } from './node-process.js';
export { freePort } from './free-port.js';
export { ensureDebianBinary } from './debian-binary.js';
export { FaultProxy, type FaultProxyOptions } from './fault-proxy.js';
export { type ConnectionOrigin, originOf } from './connection-origin.js';
export { LocalNode } from './local-node.js';
export { LocalCluster, type LocalClusterOptions, type WaitForMembersOptions } from './local-cluster.js';
export { type ClusterMember, type ClusterStatus, type ClusterView, type NodeStatus, fetchStatus } from './cluster-status.js';
