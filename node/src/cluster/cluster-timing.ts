import type { RaftTiming } from '../control-plane/index.js';

/**
 * How fast the cluster notices trouble. The data lease is shorter than the
 * failure timeout by more than a heartbeat: a node cut off from the leader
 * stops taking writes before the leader declares it dead and promotes its
 * backups, so two primaries never accept writes for one partition.
 */
export interface ClusterTiming {
  readonly heartbeatMs: number;
  /** Silence after which the leader declares a member dead. */
  readonly failureTimeoutMs: number;
  /** How long a node keeps taking writes without hearing from the control-plane leader. */
  readonly dataLeaseMs: number;
}

export const DEFAULT_CLUSTER_TIMING: ClusterTiming = { heartbeatMs: 100, failureTimeoutMs: 1_200, dataLeaseMs: 800 };

export function checkClusterTiming(timing: ClusterTiming): ClusterTiming {
  const { heartbeatMs, failureTimeoutMs, dataLeaseMs } = timing;
  if (!(heartbeatMs >= 10)) throw new Error('heartbeat must be at least 10 ms');
  if (!(dataLeaseMs >= 2 * heartbeatMs)) throw new Error('the data lease must span at least two heartbeats');
  if (!(failureTimeoutMs >= dataLeaseMs + 2 * heartbeatMs)) throw new Error('the failure timeout must exceed the data lease by two heartbeats');
  return timing;
}

/** Raft timing derived from the cluster's: elections start after the failure timeout's order of silence. */
export function raftTimingFor(timing: ClusterTiming): RaftTiming {
  const electionMin = Math.max(timing.failureTimeoutMs * 0.7, timing.heartbeatMs * 5);
  return {
    heartbeatIntervalMs: timing.heartbeatMs,
    electionTimeoutMinMs: electionMin,
    electionTimeoutMaxMs: electionMin * 2,
    leaseMs: electionMin * 0.9,
  };
}
