/** A short, safe description of untrusted input for an error message (`String()` can throw on objects). */
export function describeInput(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 64));
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value == null) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
