import type { WireRequest } from '@shoal/client/protocol';
import type { HandlerContext } from './handler.js';
import { arg } from './request-args.js';

export function sql(request: WireRequest, context: HandlerContext): Promise<unknown> {
  return context.sql.statement(arg(request, 0), arg(request, 1));
}

export function sqlFetch(request: WireRequest, context: HandlerContext): unknown {
  return context.sql.fetch(arg(request, 0));
}

export function sqlMap(request: WireRequest, context: HandlerContext): unknown {
  return context.sql.map(arg(request, 0), arg(request, 1), arg(request, 2));
}
