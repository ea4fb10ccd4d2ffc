// A URL string -> the handler for its scheme. Anything that is not a URL
// string must already be an IOHandler (ours or TF.js').
import { fail } from '../errors';
import { describe } from '../layers/describe';
import { fileSystem } from './handlers/file';
import { http, isHttpUrl } from './handlers/http';
import { browserIndexedDB, INDEXEDDB_SCHEME } from './handlers/indexeddb';
import type { IOHandler } from './types';

const SCHEMES = "'file://' (Node), 'http://' / 'https://', 'indexeddb://'";

export function handlerFor(fn: string, arg: string, target: unknown, method: 'save' | 'load'): IOHandler {
  if (typeof target === 'string') {
    if (target.startsWith('file://')) return fileSystem(target);
    if (isHttpUrl(target)) return http(target);
    if (target.toLowerCase().startsWith(INDEXEDDB_SCHEME)) return browserIndexedDB(target.slice(INDEXEDDB_SCHEME.length));
    return fail(fn, `${arg} '${target}' has no supported scheme; use ${SCHEMES}, or pass an IOHandler such as wt.io.fromMemory(...)`);
  }
  if (target === null || typeof target !== 'object' || typeof (target as IOHandler)[method] !== 'function') {
    return fail(fn, `${arg} must be a URL string (${SCHEMES}) or an IOHandler with a ${method}() method, got ${describe(target)}`);
  }
  return target as IOHandler;
}
