// Shard paths in a weights manifest are relative to model.json. A manifest
// is untrusted input: a path that climbs out of the model's directory
// ('../../etc/passwd'), is absolute, or names another scheme or host would
// make a loader read (or a server serve) files it was never given.
import { fail } from '../errors';
import { describe } from '../layers/describe';

/** Returns the path, normalized to '/' separators, or fails naming it. */
export function checkShardPath(fn: string, path: unknown, where: string): string {
  if (typeof path !== 'string' || path === '') fail(fn, `${where} must be a non-empty relative path, got ${describe(path)}`);
  let decoded = path;
  try {
    decoded = decodeURIComponent(path); // '%2e%2e/' is '../' to a web server
  } catch {
    fail(fn, `${where} '${path}' is not a valid URI path`);
  }
  const p = decoded.replace(/\\/g, '/');
  const escapes = p.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(p) || p.includes('\0') || p.split('/').includes('..');
  if (escapes) {
    fail(fn, `${where} '${path}' leaves the model's directory; shard paths must be relative to model.json, without '..', a leading '/' or a scheme`);
  }
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/** The directory part of a path or URL ('a/b/model.json' -> 'a/b/'), '' when there is none. */
export function dirOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? '' : path.slice(0, cut + 1);
}
