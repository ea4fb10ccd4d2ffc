// Readers for the fields of a Keras layer config (snake_case JSON, as
// model.json stores it) shared by the per-family *_config.ts files: each
// failure names the function, the layer being read and the key.
import { fail } from '../errors';
import { getActivation, type ActivationFn } from './activations';
import { describe } from './describe';

type Config = Record<string, unknown>;

export function readActivation(fn: string, where: string, v: unknown): ActivationFn {
  if (v === undefined || v === null) return getActivation('linear');
  if (typeof v !== 'string') fail(fn, `${where} activation must be a name such as 'relu', got ${describe(v)}`);
  return getActivation(v, `${fn}: ${where}`);
}

/** Keras writes ints as pairs ([3, 3]); a bare int is accepted too. */
export function readPair(fn: string, where: string, c: Config, k: string, dflt?: [number, number]): [number, number] {
  const v = c[k] ?? dflt;
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= 1)) {
    fail(fn, `${where} ${k} must be a pair of positive integers, got ${Array.isArray(v) ? JSON.stringify(v) : describe(v)}`);
  }
  return [p[0], p[1]];
}

export function readEnum<T extends string>(fn: string, where: string, c: Config, k: string, map: Record<string, T>, dflt: string): T {
  const v = c[k] ?? dflt;
  const got = typeof v === 'string' ? map[v] : undefined;
  if (got === undefined) fail(fn, `${where} ${k} must be one of ${Object.keys(map).map((m) => `'${m}'`).join(', ')}, got ${describe(v)}`);
  return got;
}
