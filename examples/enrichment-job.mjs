// An enrichment job the way a stream processor writes one: orders stream in, each is
// joined with its product from a cache that `shoal cdc` keeps equal to the products
// table, and a counter per category is bumped. Run a node first (`npm start`), then
//   node examples/enrichment-job.mjs [host:port]
// It feeds the products cache itself with `shoal cdc --source file:…` from Debezium
// events, as a CDC consumer process would from Kafka, NATS, Redis or Debezium Server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Shoal } from '@shoal/client';

const endpoint = process.argv[2] ?? '127.0.0.1:7700';
const cli = fileURLToPath(new URL('../node/dist/cli/main.js', import.meta.url));

/** Debezium change events for the products table (JSON converter without schemas). */
function productEvents() {
  const source = (lsn) => ({ connector: 'postgresql', name: 'shop', db: 'shop', schema: 'public', table: 'products', lsn, ts_ms: Date.now(), snapshot: 'false' });
  const row = (id, name, category, price) => ({ id, name, category, price });
  return [
    { before: null, after: row(1, 'Kettle', 'kitchen', '25.00'), source: source(100), op: 'c', ts_ms: Date.now() },
    { before: null, after: row(2, 'Lamp', 'living', '40.00'), source: source(101), op: 'c', ts_ms: Date.now() },
    { before: null, after: row(3, 'Pan', 'kitchen', '30.00'), source: source(102), op: 'c', ts_ms: Date.now() },
    { before: row(1, 'Kettle', 'kitchen', '25.00'), after: row(1, 'Kettle', 'kitchen', '22.50'), source: source(103), op: 'u', ts_ms: Date.now() },
  ];
}

function feedProducts() {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-example-'));
  try {
    const file = join(dir, 'products.ndjson');
    writeFileSync(file, productEvents().map((event) => JSON.stringify(event)).join('\n') + '\n');
    execFileSync(process.execPath, [cli, 'cdc', '--source', `file:${file}`, '--endpoints', endpoint, '--key', 'products=id', '--dead-letter', `file:${join(dir, 'dead-letters.ndjson')}`, '--metrics', 'off', '--log-level', 'warn'], { stdio: 'inherit' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function* orders() {
  const productIds = [1, 2, 3, 1, 3, 4];
  for (let i = 0; i < productIds.length; i++) yield { orderId: `o-${i + 1}`, productId: productIds[i], quantity: 1 + (i % 3) };
}

feedProducts();
const grid = await Shoal.connect({ endpoints: [endpoint] });
try {
  const products = grid.cache('products');
  for await (const order of orders()) {
    const product = await products.get(order.productId); // a lookup per event; undefined when unknown
    if (product === undefined) {
      console.log(`${order.orderId}: product ${order.productId} unknown, sent to the side output`);
      continue;
    }
    const sold = await grid.atomicLong(`sold:${product.category}`).addAndGet(order.quantity);
    console.log(`${order.orderId}: ${order.quantity} × ${product.name} at ${product.price} (${product.category}: ${sold} sold)`);
  }
} finally {
  await grid.close();
}
