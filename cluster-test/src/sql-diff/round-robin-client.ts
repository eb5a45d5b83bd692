import type { SqlAnswer, SqlClient } from './sql-client.js';

/**
 * Sends each statement to the next client in turn: with one client per node
 * of a cluster, every node is the receiving (reducing) node for some queries.
 */
export function roundRobin(clients: readonly SqlClient[]): SqlClient {
  if (clients.length === 0) throw new Error('roundRobin needs at least one client');
  let next = 0;
  return {
    sql(text: string, params?: readonly unknown[]): Promise<SqlAnswer> {
      const client = clients[next]!;
      next = (next + 1) % clients.length;
      return client.sql(text, params);
    },
  };
}
