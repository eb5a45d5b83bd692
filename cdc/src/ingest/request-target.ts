/**
 * The path and query of an HTTP request's target, read without `new URL`
 * (which throws on targets like `//`): origin-form `/path?query` is split by
 * hand; an absolute-form `http://host/path` is parsed, and null when it is
 * not a URL (answer 400).
 */
export function requestTarget(target: string | undefined): { path: string; query: URLSearchParams } | null {
  const text = target ?? '/';
  if (text.startsWith('/')) {
    const at = text.indexOf('?');
    return at < 0 ? { path: text, query: new URLSearchParams() } : { path: text.slice(0, at), query: new URLSearchParams(text.slice(at + 1)) };
  }
  try {
    const url = new URL(text);
    return { path: url.pathname, query: url.searchParams };
  } catch {
    return null;
  }
}
