import type { WirePartitionMap, WireRequest } from '@shoal/client/protocol';
import { checkCacheName, parseCacheDefinition } from '../storage/cache-definition.js';
import type { HandlerContext } from './handler.js';
import { arg } from './request-args.js';

export function ping(): null {
  return null;
}

export function createCache(request: WireRequest, context: HandlerContext): boolean {
  return context.caches.create(parseCacheDefinition(arg(request, 0), arg(request, 1), context.caches.partitionCount));
}

export function destroyCache(request: WireRequest, context: HandlerContext): boolean {
  const name = arg(request, 0);
  checkCacheName(name);
  return context.caches.destroy(name);
}

export function listCaches(_request: WireRequest, context: HandlerContext): object[] {
  return context.caches.list().map((cache) => ({ ...cache.definition }));
}

export function partitionMap(_request: WireRequest, context: HandlerContext): WirePartitionMap {
  return context.partitionMap();
}
