import { Opcode } from '@shoal/client/protocol';
import * as admin from './admin-handlers.js';
import * as atomic from './atomic-long-handlers.js';
import * as reads from './cache-read-handlers.js';
import * as writes from './cache-write-handlers.js';
import type { HandlerTable } from './handler.js';
import * as sql from './sql-handlers.js';
import * as versioned from './versioned-write-handlers.js';

/** Every operation a node serves to clients. */
export const handlers: HandlerTable = {
  [Opcode.Ping]: admin.ping,
  [Opcode.CreateCache]: admin.createCache,
  [Opcode.DestroyCache]: admin.destroyCache,
  [Opcode.ListCaches]: admin.listCaches,
  [Opcode.PartitionMap]: admin.partitionMap,
  [Opcode.Get]: reads.get,
  [Opcode.GetAll]: reads.getAll,
  [Opcode.ContainsKey]: reads.containsKey,
  [Opcode.Size]: reads.size,
  [Opcode.Scan]: reads.scan,
  [Opcode.Put]: writes.put,
  [Opcode.PutAll]: writes.putAll,
  [Opcode.Remove]: writes.remove,
  [Opcode.RemoveAll]: writes.removeAll,
  [Opcode.PutIfAbsent]: writes.putIfAbsent,
  [Opcode.Replace]: writes.replace,
  [Opcode.ReplaceIfEquals]: writes.replaceIfEquals,
  [Opcode.GetAndPut]: writes.getAndPut,
  [Opcode.GetAndRemove]: writes.getAndRemove,
  [Opcode.Clear]: writes.clear,
  [Opcode.ApplyChanges]: versioned.applyChanges,
  [Opcode.Sql]: sql.sql,
  [Opcode.SqlFetch]: sql.sqlFetch,
  [Opcode.SqlMap]: sql.sqlMap,
  [Opcode.AtomicGet]: atomic.atomicGet,
  [Opcode.AtomicSet]: atomic.atomicSet,
  [Opcode.AtomicAddAndGet]: atomic.atomicAddAndGet,
  [Opcode.AtomicGetAndAdd]: atomic.atomicGetAndAdd,
  [Opcode.AtomicCompareAndSet]: atomic.atomicCompareAndSet,
};
