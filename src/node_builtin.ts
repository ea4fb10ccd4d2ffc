// Node's built-in modules without an import: process.getBuiltinModule (Node
// >= 20.16) hands them out synchronously, so code shared with browsers can use
// them where they exist and bundlers see no Node import.

/** The built-in module `id` ('node:fs', ...), or undefined outside Node or before 20.16. */
export function nodeBuiltin<T>(id: string): T | undefined {
  const proc = globalThis.process as undefined | { getBuiltinModule?: (id: string) => unknown };
  return proc?.getBuiltinModule?.(id) as T | undefined;
}
