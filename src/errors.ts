// Every user-facing error names the function that rejected the call first, the
// way numpy does ("add: shapes [3,4] and [5] cannot be broadcast together"), so
// a message read out of context still says where to look.

/** Throws `Error("<fn>: <message>")`. */
export function fail(fn: string, message: string): never {
  throw new Error(`${fn}: ${message}`);
}

/** Formats a shape the way our messages print it: [3,4], [] for a scalar. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** A short description of any value for "expected X, got Y" messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  if (typeof value === 'string') return `'${value}'`;
  return `${typeof value} ${String(value)}`;
}

/**
 * An options argument: undefined or null reads as {}; anything but a plain
 * object, or a key not in `known` (a typo such as `lr` would otherwise be
 * ignored silently), is rejected with the valid keys listed.
 */
export function readOptions<T extends object>(fn: string, args: T | undefined | null, known: readonly string[]): Partial<T> {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args)) {
    fail(fn, `options must be an object${known.length > 0 ? ` with ${known.join(', ')}` : ''}, got ${describe(args)}`);
  }
  for (const key of Object.keys(args)) {
    if (!known.includes(key)) fail(fn, `unknown option '${key}'; valid options: ${known.length > 0 ? known.join(', ') : 'none'}`);
  }
  return args;
}

/** A finite number, or `fallback` when the value is undefined. */
export function readNumber(fn: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(fn, `${name} must be a finite number, got ${describe(value)}`);
  return value;
}

/** An integer seed, or undefined for none (null too: Keras writes seed: null). */
export function readSeed(fn: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(fn, `seed must be an integer, got ${describe(value)}`);
  return value;
}
