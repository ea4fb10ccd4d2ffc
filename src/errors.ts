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
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  if (typeof value === 'string') return `'${value}'`;
  return `${typeof value} ${String(value)}`;
}
