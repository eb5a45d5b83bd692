import { describe, expect, it } from 'vitest';
import type { AppendEntriesRequest, RaftMessage } from '../../src/control-plane/raft/raft-messages.js';
import { entry, ManualCluster, TEST_TIMING, voters } from './support/manual-cluster.js';

const commands = (applied: readonly { kind: string; command?: string }[]) => applied.flatMap((e) => (e.kind === 'command' ? [e.command] : []));

function threeVoters(options: { preVote?: boolean } = {}): ManualCluster {
  const cluster = new ManualCluster();
  for (const id of ['a', 'b', 'c']) cluster.add(id, voters('a', 'b', 'c'), options);
  return cluster;
}

/** `a` leads a three-voter group and everyone has applied its noop. */
function threeWithLeaderA(options: { preVote?: boolean } = {}): ManualCluster {
  const cluster = threeVoters(options);
  cluster.fire('a');
  cluster.flush();
  expect(cluster.node('a').status().role).toBe('leader');
  return cluster;
}

function append(fields: Partial<AppendEntriesRequest<string>> & Pick<AppendEntriesRequest<string>, 'term' | 'prevLogIndex' | 'prevLogTerm'>): RaftMessage<string> {
  return { kind: 'append-entries-request', from: 'leader', to: 'f', entries: [], leaderCommit: 0, sentAt: 0, ...fields };
}

describe('RaftNode elections', () => {
  it('a single voter elects itself and commits at once', () => {
    const cluster = new ManualCluster();
    const a = cluster.add('a', voters('a'));
    cluster.fire('a');
    expect(a.node.status()).toMatchObject({ role: 'leader', term: 1, leaderId: 'a' });
    expect(a.node.propose('x')).toEqual({ index: 2, term: 1 });
    expect(a.applied.map((e) => e.kind)).toEqual(['noop', 'command']);
    expect(a.statuses.map((s) => s.role)).toEqual(['leader']);
  });

  it('elects a leader among three voters, replicates and commits on all', () => {
    const cluster = threeWithLeaderA();
    cluster.node('a').propose('x');
    cluster.flush();
    for (const id of ['a', 'b', 'c']) expect(commands(cluster.member(id).applied)).toEqual(['x']);
    expect(cluster.node('b').status()).toMatchObject({ role: 'follower', leaderId: 'a', term: 1, commitIndex: 2 });
  });

  it('refuses a vote to a candidate whose log is less up-to-date', () => {
    const cluster = new ManualCluster();
    cluster.add('a', voters('a', 'b', 'c'), { term: 2, log: [entry.noop(1), entry.noop(2)] });
    cluster.add('b', voters('a', 'b', 'c'), { term: 2, log: [entry.noop(1), entry.noop(1), entry.noop(1)] });
    cluster.add('c', voters('a', 'b', 'c'), { term: 2, log: [entry.noop(1), entry.noop(2), entry.noop(2)] });
    cluster.fire('a');
    const answers = cluster.take((m) => m.kind === 'vote-request');
    answers.forEach((request) => cluster.node(request.to).receive(request));
    const responses = cluster.take((m) => m.kind === 'vote-response');
    // b's last term is older: a wins b's vote. c has the same last term and a longer log: a does not.
    expect(responses.map((r) => [r.from, r.kind === 'vote-response' && r.granted])).toEqual([
      ['b', true],
      ['c', false],
    ]);
  });

  it('remembers its vote across a restart', () => {
    const cluster = threeVoters();
    cluster.fire('a');
    const [toB] = cluster.take((m) => m.kind === 'vote-request' && m.to === 'b');
    cluster.node('b').receive(toB as RaftMessage<string>);
    cluster.outbox = [];
    cluster.restart('b', { initialConfiguration: voters('a', 'b', 'c') });
    cluster.fire('c'); // c campaigns in the same term 1
    const [fromC] = cluster.take((m) => m.kind === 'vote-request' && m.to === 'b');
    expect(fromC?.term).toBe(1);
    cluster.node('b').receive(fromC as RaftMessage<string>);
    expect(cluster.take((m) => m.kind === 'vote-response')).toEqual([expect.objectContaining({ from: 'b', to: 'c', granted: false })]);
  });

  it('ignores a vote request while it hears from a leader (stickiness), without taking its term', () => {
    const cluster = threeWithLeaderA();
    const heardAt = cluster.clock.now();
    cluster.fire('c');
    const [request] = cluster.take((m) => m.kind === 'vote-request' && m.to === 'b');
    cluster.outbox = [];
    cluster.clock.time = heardAt + TEST_TIMING.electionTimeoutMinMs - 1;
    cluster.node('b').receive(request as RaftMessage<string>);
    expect(cluster.outbox).toEqual([]);
    expect(cluster.node('b').status().term).toBe(1);
    cluster.clock.time = heardAt + TEST_TIMING.electionTimeoutMinMs;
    cluster.node('b').receive(request as RaftMessage<string>);
    expect(cluster.take((m) => m.kind === 'vote-response')).toEqual([expect.objectContaining({ granted: true, term: 2 })]);
  });

  it('with PreVote, a node cut off from the others does not raise its term', () => {
    const cluster = threeWithLeaderA({ preVote: true });
    const run = (ms: number, drop: (m: RaftMessage<string>) => boolean) => {
      for (let elapsed = 0; elapsed < ms; elapsed += 5) {
        cluster.clock.advance(5);
        for (const id of ['a', 'b', 'c']) cluster.node(id).tick();
        cluster.flush(drop);
      }
    };
    run(1_000, (m) => m.from === 'c' || m.to === 'c');
    expect(cluster.node('c').status()).toMatchObject({ role: 'pre-candidate', term: 1 });
    expect(cluster.node('a').status()).toMatchObject({ role: 'leader', term: 1 });
    // Back in touch, its pre-votes are refused by a live leader and its follower, and it follows again.
    run(1_000, () => false);
    expect(['a', 'b', 'c'].map((id) => cluster.node(id).status().term)).toEqual([1, 1, 1]);
    expect(cluster.node('c').status()).toMatchObject({ role: 'follower', leaderId: 'a' });
  });

  it('restarts with its persistent state and none of its volatile state', () => {
    const cluster = threeWithLeaderA();
    cluster.node('a').propose('x');
    cluster.flush();
    const b = cluster.restart('b', { initialConfiguration: voters('a', 'b', 'c') });
    expect(b.status()).toMatchObject({ term: 1, commitIndex: 0, lastApplied: 0, lastLogIndex: 2, role: 'follower', leaderId: undefined });
    cluster.clock.advance(TEST_TIMING.heartbeatIntervalMs);
    cluster.node('a').tick();
    cluster.flush();
    expect(commands(cluster.member('b').applied)).toEqual(['x']);
  });
});

describe('RaftNode log replication', () => {
  it('truncates only on a real conflict, so a stale shorter AppendEntries does not drop acknowledged entries', () => {
    const cluster = new ManualCluster();
    const f = cluster.add('f', voters('leader', 'f', 'g'), { term: 2, log: [entry.command(1, 'x1'), entry.command(1, 'x2'), entry.command(2, 'y3')] });
    f.node.receive(append({ term: 3, prevLogIndex: 1, prevLogTerm: 1, entries: [entry.command(1, 'x2'), entry.command(3, 'z3'), entry.command(3, 'z4')] }));
    expect([1, 2, 3, 4].map((i) => f.node.entryAt(i)?.term)).toEqual([1, 1, 3, 3]);
    f.node.receive(append({ term: 3, prevLogIndex: 1, prevLogTerm: 1, entries: [entry.command(1, 'x2')] }));
    expect(f.node.status().lastLogIndex).toBe(4);
    expect(cluster.take(() => true).map((m) => m.kind === 'append-entries-response' && m.matchIndex)).toEqual([4, 2]);
  });

  it('commits no further than the request vouched for: later entries may be a deposed leader’s', () => {
    const cluster = new ManualCluster();
    const f = cluster.add('f', voters('leader', 'f', 'g'), { term: 1, log: [entry.command(1, 'a'), entry.command(1, 'stale')] });
    f.node.receive(append({ term: 2, prevLogIndex: 1, prevLogTerm: 1, leaderCommit: 3 }));
    expect(f.node.status().commitIndex).toBe(1);
    expect(commands(f.applied)).toEqual(['a']);
  });

  it('rejects a mismatched prevLog with a hint that skips the conflicting term', () => {
    const cluster = new ManualCluster();
    const f = cluster.add('f', voters('leader', 'f', 'g'), { term: 2, log: [entry.noop(1), entry.noop(2), entry.noop(2), entry.noop(2)] });
    f.node.receive(append({ term: 3, prevLogIndex: 4, prevLogTerm: 3 }));
    f.node.receive(append({ term: 3, prevLogIndex: 9, prevLogTerm: 3 }));
    expect(cluster.take(() => true)).toEqual([
      expect.objectContaining({ success: false, prevLogIndex: 4, retryIndex: 2 }),
      expect.objectContaining({ success: false, prevLogIndex: 9, retryIndex: 5 }),
    ]);
  });

  it('does not commit an entry of an earlier term by counting replicas (Figure 8)', () => {
    // Figure 8 (c): S1 leads term 4 and has brought the term-2 entry at index 2 to a majority (S1, S2, S3),
    // but S5 holds a term-3 entry there and can still be elected by S3, S4 and itself.
    const cluster = new ManualCluster();
    const all = voters('s1', 's2', 's3', 's4', 's5');
    const options = { maxEntriesPerAppend: 1 };
    cluster.add('s1', all, { ...options, term: 3, log: [entry.noop(1), entry.command(2, 'from-term-2')] });
    cluster.add('s2', all, { ...options, term: 3, log: [entry.noop(1), entry.command(2, 'from-term-2')] });
    cluster.add('s3', all, { ...options, term: 3, log: [entry.noop(1)] });
    cluster.add('s4', all, { ...options, term: 3, log: [entry.noop(1)] });
    cluster.add('s5', all, { ...options, term: 3, log: [entry.noop(1), entry.command(3, 'from-term-3')] });

    cluster.fire('s1');
    cluster.flush((m) => m.to === 's5' || m.from === 's5' || m.kind === 'append-entries-request');
    expect(cluster.node('s1').status()).toMatchObject({ role: 'leader', term: 4, lastLogIndex: 3 });
    // S2 gets the noop; S3 gets only index 2 (one entry per message), and what would follow is lost.
    cluster.clock.advance(TEST_TIMING.heartbeatIntervalMs);
    cluster.node('s1').tick();
    const s3 = cluster.node('s3');
    cluster.flush((m) => (m.kind === 'append-entries-request' && m.to === 's3' && s3.entryAt(2) !== undefined) || m.to === 's4' || m.to === 's5');
    expect(cluster.node('s3').entryAt(2)?.term).toBe(2);
    expect(cluster.node('s1').peerProgress().find((p) => p.node === 's3')?.matchIndex).toBe(2);
    expect(cluster.node('s1').status().commitIndex).toBe(0);

    // S1 crashes; S5 is elected and overwrites index 2, which was rightly never committed.
    cluster.member('s1').up = false;
    cluster.outbox = [];
    cluster.clock.advance(TEST_TIMING.electionTimeoutMaxMs);
    cluster.fire('s5'); // term 4, where everyone has voted already
    cluster.flush();
    cluster.fire('s5');
    cluster.flush();
    expect(cluster.node('s5').status()).toMatchObject({ role: 'leader', term: 5 });
    for (const id of ['s2', 's3', 's4', 's5']) expect(cluster.node(id).entryAt(2)).toEqual(entry.command(3, 'from-term-3'));
    expect(commands(cluster.member('s1').applied)).toEqual([]);
  });

  it('commits an earlier-term entry indirectly, once an entry of its own term is on a majority', () => {
    const cluster = new ManualCluster();
    const all = voters('a', 'b', 'c');
    cluster.add('a', all, { term: 2, log: [entry.command(2, 'old')] });
    cluster.add('b', all, { term: 2 });
    cluster.add('c', all, { term: 2 });
    cluster.fire('a');
    cluster.flush();
    expect(cluster.node('a').status()).toMatchObject({ role: 'leader', term: 3, commitIndex: 2 });
    expect(commands(cluster.member('b').applied)).toEqual(['old']);
  });
});

describe('RaftNode check-quorum and lease', () => {
  it('holds a lease from the send time of what a quorum answered, and steps down when no quorum answers', () => {
    const cluster = threeWithLeaderA();
    const a = cluster.node('a');
    const sentAt = cluster.clock.now();
    expect(a.hasLease()).toBe(true);
    expect(a.status().leaseExpiresAt).toBe(sentAt + TEST_TIMING.leaseMs);
    while (cluster.clock.now() < sentAt + TEST_TIMING.electionTimeoutMinMs - 1) {
      cluster.clock.advance(1);
      a.tick();
    }
    expect(a.status().role).toBe('leader');
    expect(a.hasLease()).toBe(false);
    cluster.clock.advance(1);
    a.tick();
    expect(a.status()).toMatchObject({ role: 'follower', leaderId: undefined, term: 1 });
    expect(cluster.member('a').statuses.at(-1)?.role).toBe('follower');
  });

  it('keeps leading while a quorum answers, even with one voter gone', () => {
    const cluster = threeWithLeaderA();
    cluster.member('c').up = false;
    for (let i = 0; i < 50; i++) {
      cluster.clock.advance(TEST_TIMING.heartbeatIntervalMs);
      cluster.node('a').tick();
      cluster.flush();
    }
    expect(cluster.node('a').status().role).toBe('leader');
    expect(cluster.node('a').hasLease()).toBe(true);
  });
});

describe('RaftNode membership', () => {
  it('replicates to a learner without counting it, and promotes it once caught up', () => {
    const cluster = new ManualCluster();
    const a = cluster.add('a', voters('a'));
    const l = cluster.add('l');
    cluster.fire('a');
    a.node.changeMembership({ kind: 'add-learner', node: 'l' });
    expect(a.node.status().configuration).toEqual({ voters: ['a'], learners: ['l'] });
    cluster.flush();
    expect(l.node.status()).toMatchObject({ role: 'follower', leaderId: 'a', configuration: { voters: ['a'], learners: ['l'] } });

    // A learner is never counted: with it down, the lone voter still commits.
    l.up = false;
    a.node.propose('while-l-is-down');
    expect(commands(a.applied)).toEqual(['while-l-is-down']);
    expect(() => a.node.changeMembership({ kind: 'promote', node: 'l' })).toThrow(expect.objectContaining({ code: 'LEARNER_NOT_CAUGHT_UP' }));

    // A learner never campaigns.
    cluster.fire('l');
    expect(cluster.outbox.filter((m) => m.from === 'l')).toEqual([]);

    l.up = true;
    cluster.clock.advance(TEST_TIMING.heartbeatIntervalMs);
    a.node.tick();
    cluster.flush();
    a.node.changeMembership({ kind: 'promote', node: 'l' });
    expect(a.node.status().configuration).toEqual({ voters: ['a', 'l'], learners: [] });
    // In force once appended: this entry now needs l too.
    l.up = false;
    a.node.propose('needs-l');
    expect(commands(a.applied)).toEqual(['while-l-is-down']);
    l.up = true;
    cluster.flush();
    expect(commands(a.applied)).toEqual(['while-l-is-down', 'needs-l']);
  });

  it('takes one change at a time, and none before the leader has committed in its term', () => {
    const cluster = threeVoters();
    cluster.add('d');
    cluster.add('e');
    cluster.fire('a');
    cluster.flush((m) => m.kind === 'append-entries-request');
    const a = cluster.node('a');
    expect(a.status().role).toBe('leader');
    expect(() => a.changeMembership({ kind: 'add-learner', node: 'd' })).toThrow(expect.objectContaining({ code: 'LEADER_NOT_READY' }));
    cluster.clock.advance(TEST_TIMING.heartbeatIntervalMs);
    a.tick();
    cluster.flush();
    a.changeMembership({ kind: 'add-learner', node: 'd' });
    expect(() => a.changeMembership({ kind: 'add-learner', node: 'e' })).toThrow(expect.objectContaining({ code: 'MEMBERSHIP_CHANGE_PENDING' }));
    cluster.flush();
    expect(a.changeMembership({ kind: 'add-learner', node: 'e' }).index).toBe(3);
  });

  it('refuses changes that do not apply', () => {
    const cluster = threeWithLeaderA();
    const a = cluster.node('a');
    const refusals = [
      { kind: 'promote', node: 'b' },
      { kind: 'demote', node: 'x' },
      { kind: 'remove', node: 'x' },
      { kind: 'add-learner', node: 'c' },
    ] as const;
    for (const change of refusals) expect(() => a.changeMembership(change)).toThrow(expect.objectContaining({ code: 'INVALID_MEMBERSHIP_CHANGE' }));
    expect(() => cluster.node('b').propose('x')).toThrow(expect.objectContaining({ code: 'NOT_LEADER', leaderHint: 'a' }));
  });

  it('caps the voters', () => {
    const cluster = new ManualCluster();
    const a = cluster.add('a', voters('a'), { maxVoters: 1 });
    cluster.add('l');
    cluster.fire('a');
    a.node.changeMembership({ kind: 'add-learner', node: 'l' });
    cluster.flush();
    expect(() => a.node.changeMembership({ kind: 'promote', node: 'l' })).toThrow(/most allowed is 1/);
  });

  it('a leader that removes itself keeps leading until the change commits, then steps down', () => {
    const cluster = threeWithLeaderA();
    const a = cluster.node('a');
    a.changeMembership({ kind: 'remove', node: 'a' });
    expect(a.status().role).toBe('leader');
    cluster.flush();
    expect(a.status()).toMatchObject({ role: 'follower', configuration: { voters: ['b', 'c'], learners: [] } });
    expect(cluster.node('b').status().commitIndex).toBe(2);
    cluster.fire('b');
    cluster.flush();
    expect(cluster.node('b').status()).toMatchObject({ role: 'leader', term: 2 });
    expect(cluster.node('c').status().leaderId).toBe('b');
  });

  it('a leader that appended its own removal and restarted still campaigns, or the group could never elect anyone', () => {
    // Found by the simulation (regression seed 224). a joined as a learner, so its initial configuration names no one.
    const cluster = new ManualCluster();
    const b = cluster.add('b', voters('b')).node;
    cluster.add('a');
    const settle = () => {
      cluster.clock.advance(TEST_TIMING.heartbeatIntervalMs);
      for (const id of ['a', 'b']) if (cluster.node(id).status().role === 'leader') cluster.node(id).tick();
      cluster.flush();
    };
    cluster.fire('b');
    b.changeMembership({ kind: 'add-learner', node: 'a' });
    settle();
    b.changeMembership({ kind: 'promote', node: 'a' });
    settle();
    b.changeMembership({ kind: 'demote', node: 'b' }); // b hands over to a
    settle();
    cluster.fire('a');
    settle();
    const a = cluster.node('a');
    a.changeMembership({ kind: 'promote', node: 'b' });
    settle();
    expect(a.status()).toMatchObject({ role: 'leader', configuration: { voters: ['a', 'b'], learners: [] } });

    a.changeMembership({ kind: 'remove', node: 'a' });
    cluster.outbox = [];
    cluster.restart('a');
    cluster.clock.advance(TEST_TIMING.electionTimeoutMaxMs);
    cluster.fire('b');
    cluster.flush();
    expect(cluster.node('b').status().role).toBe('candidate'); // a's longer log refuses b
    cluster.fire('a');
    cluster.flush();
    // a led just long enough to commit its removal under the new configuration, then stepped down.
    expect(cluster.node('a').status()).toMatchObject({ role: 'follower', configuration: { voters: ['b'], learners: [] } });
    cluster.clock.advance(TEST_TIMING.electionTimeoutMaxMs);
    cluster.fire('b');
    expect(cluster.node('b').status().role).toBe('leader');
  });

  it('a demoted voter becomes a learner that still receives the log', () => {
    const cluster = threeWithLeaderA();
    cluster.node('a').changeMembership({ kind: 'demote', node: 'c' });
    cluster.flush();
    cluster.node('a').propose('x');
    cluster.flush();
    expect(cluster.node('c').status().configuration).toEqual({ voters: ['a', 'b'], learners: ['c'] });
    expect(commands(cluster.member('c').applied)).toEqual(['x']);
    cluster.clock.advance(1_000);
    cluster.node('c').tick();
    expect(cluster.outbox.filter((m) => m.from === 'c')).toEqual([]);
  });
});

describe('RaftNode lease safety', () => {
  // Election timeouts in [100, 101): the follower that missed the last heartbeat campaigns just before the lease ends.
  const tight = { timing: { heartbeatIntervalMs: 10, electionTimeoutMinMs: 100, electionTimeoutMaxMs: 101, leaseMs: 100 } };

  it('a restarted voter does not help elect anyone within a lease it may have granted', () => {
    const cluster = new ManualCluster();
    for (const id of ['a', 'b', 'c']) cluster.add(id, voters('a', 'b', 'c'), tight);
    cluster.fire('a');
    cluster.flush();
    // c misses the last heartbeat; b's acknowledgement alone gives a its lease from this send.
    cluster.clock.advance(10);
    cluster.node('a').tick();
    const leaseStart = cluster.clock.now();
    cluster.flush((m) => m.to === 'c');
    expect(cluster.node('a').status().leaseExpiresAt).toBe(leaseStart + 100);

    // a is cut off; b restarts at once, forgetting when it last heard from a.
    const cutOffA = (m: RaftMessage<string>) => m.from === 'a' || m.to === 'a';
    cluster.clock.advance(1);
    cluster.restart('b', { ...tight, initialConfiguration: voters('a', 'b', 'c') });
    cluster.fire('c');
    expect(cluster.clock.now()).toBeLessThan(leaseStart + 100);
    cluster.flush(cutOffA);
    expect(cluster.node('a').hasLease()).toBe(true);
    expect(cluster.node('c').status().role).not.toBe('leader');

    // Once the lease is over, c gets elected.
    cluster.clock.time = leaseStart + 101;
    cluster.fire('c');
    cluster.flush(cutOffA);
    expect(cluster.node('a').hasLease()).toBe(false);
    expect(cluster.node('c').status().role).toBe('leader');
  });
});
