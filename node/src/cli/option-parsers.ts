import { InvalidArgumentError } from 'commander';

/** A TCP port, 0 to 65535 (0 picks a free one). */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new InvalidArgumentError(`'${text}' is not a port (0-65535)`);
  return port;
}

/** A positive integer within `max`. */
export function positiveInteger(max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < 1 || value > max) throw new InvalidArgumentError(`'${text}' is not an integer from 1 to ${max}`);
    return value;
  };
}

/** A `host:port` endpoint. */
export function parseEndpoint(text: string): string {
  const match = /^([^:\s]+|\[[0-9a-fA-F:]+\]):(\d+)$/.exec(text);
  if (!match) throw new InvalidArgumentError(`'${text}' is not host:port`);
  parsePort(match[2]!);
  return text;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseLogLevel(text: string): string {
  if (!LOG_LEVELS.includes(text)) throw new InvalidArgumentError(`'${text}' is not one of ${LOG_LEVELS.join(', ')}`);
  return text;
}

/** A non-empty string without surrounding whitespace. */
export function nonEmpty(text: string): string {
  if (text.trim() === '' || text.trim() !== text) throw new InvalidArgumentError('must be a non-empty value without surrounding spaces');
  return text;
}

/** A comma-separated list of `host:port` endpoints. */
export function parseEndpointList(text: string): string[] {
  const endpoints = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (endpoints.length === 0) throw new InvalidArgumentError('expected host:port[,host:port...]');
  return endpoints.map(parseEndpoint);
}
