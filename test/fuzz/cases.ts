// Random cases for the differential fuzzer: a fast-check arbitrary of flat
// "raw" choices, interpreted against the running shape into an input (shape,
// data, and the strided view it is read through) and a chain of steps. Flat
// choices shrink well: fast-check drops steps and shrinks dims toward 1 and 0
// on its own, and the interpretation stays valid whatever it picks.
import fc from 'fast-check';
import { BINARY, REDUCE, UNARY, shapeAfter, type Step } from './ops';

export type View =
  | { kind: 'none' }
  /** x = transpose(big, perm), big laid out so that x has the case's shape. */
  | { kind: 'transpose'; perm: number[] }
  /** x = big[off_i : : step_i] on every axis, then reversed on the `reverse` axes. */
  | { kind: 'strided'; offsets: number[]; steps: number[]; reverse: boolean[] };

export interface Case {
  shape: number[];
  view: View;
  seed: number;
  steps: Step[];
}

interface RawStep {
  kind: number;
  pick: number;
  ints: number[];
  seed: number;
}

interface Raw {
  shape: number[];
  view: { kind: number; ints: number[] };
  seed: number;
  steps: RawStep[];
}

// Mostly small dims; 0 (empty) and 1 (broadcast) often enough to matter.
const dim = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.constant(1) }, { weight: 8, arbitrary: fc.integer({ min: 2, max: 4 }) });

const rawStep: fc.Arbitrary<RawStep> = fc.record({
  kind: fc.integer({ min: 0, max: 99 }),
  pick: fc.nat(),
  ints: fc.array(fc.nat({ max: 1000 }), { minLength: 8, maxLength: 8 }),
  seed: fc.nat(),
});

const raw: fc.Arbitrary<Raw> = fc.record({
  shape: fc.array(dim, { minLength: 0, maxLength: 5 }),
  view: fc.record({ kind: fc.integer({ min: 0, max: 2 }), ints: fc.array(fc.nat({ max: 1000 }), { minLength: 15, maxLength: 15 }) }),
  seed: fc.nat(),
  steps: fc.array(rawStep, { minLength: 1, maxLength: 4 }),
});

/** Deterministic values in [-2, 2) from a seed (mulberry32). */
export function values(n: number, seed: number): number[] {
  let a = seed >>> 0;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = Math.fround((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 4 - 2);
  }
  return out;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** A permutation of 0..n-1 chosen by the integers `ints`. */
function permutation(n: number, ints: number[]): number[] {
  const left = Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: n }, (_, i) => left.splice(ints[i % ints.length] % left.length, 1)[0]);
}

function interpretView(shape: number[], v: Raw['view']): View {
  if (shape.length === 0 || v.kind === 0) return { kind: 'none' };
  if (v.kind === 1) return { kind: 'transpose', perm: permutation(shape.length, v.ints) };
  return {
    kind: 'strided',
    offsets: shape.map((_, i) => v.ints[i] % 3),
    steps: shape.map((_, i) => 1 + (v.ints[5 + i] % 3)),
    reverse: shape.map((_, i) => v.ints[10 + i] % 3 === 0),
  };
}

/** A shape the running value broadcasts with: some leading dims dropped (or one added), some set to 1. */
function partnerShape(shape: number[], ints: number[]): number[] {
  const drop = ints[0] % (shape.length + 2);
  let s = drop === shape.length + 1 ? [1 + (ints[1] % 3), ...shape] : shape.slice(Math.min(drop, shape.length));
  s = s.map((d, i) => (ints[2 + (i % 6)] % 3 === 0 ? 1 : d));
  return s;
}

function reshapeTarget(shape: number[], ints: number[]): number[] {
  const n = size(shape);
  if (n === 0) return ints[0] % 2 === 0 ? [0] : [...shape].reverse();
  const divisors = Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
  const a = divisors[ints[0] % divisors.length];
  const rest = n / a;
  const more = divisors.filter((d) => rest % d === 0);
  const b = more[ints[1] % more.length];
  const out = ints[2] % 3 === 0 ? [n] : ints[2] % 3 === 1 ? [a, rest] : [a, b, rest / b];
  return out;
}

function interpretStep(shape: number[], r: RawStep): Step {
  const rank = shape.length;
  const k = r.kind;
  if (k < 25) return { kind: 'unary', op: UNARY[r.pick % UNARY.length] };
  if (k < 50) {
    const pshape = partnerShape(shape, r.ints);
    const op = BINARY[r.pick % BINARY.length];
    // x never divides: it can be near 0, where float32 rounding of 1/x differs
    // between any two implementations by more than a fixed tolerance.
    return { kind: 'binary', op, shape: pshape, data: values(size(pshape), r.seed), swap: op !== 'div' && r.ints[7] % 2 === 1 };
  }
  if (k < 70) {
    let op = REDUCE[r.pick % REDUCE.length];
    const axes = Array.from({ length: rank }, (_, i) => i).filter((i) => r.ints[i % 8] % 2 === 0);
    // max/min over nothing has no value (numpy raises; TF.js returns -inf): compare the defined cases.
    if ((op === 'max' || op === 'min') && axes.some((a) => shape[a] === 0)) op = 'sum';
    return { kind: 'reduce', op, axes, keepDims: r.ints[7] % 2 === 0 };
  }
  if (k < 78 && rank >= 2) return { kind: 'transpose', perm: permutation(rank, r.ints) };
  if (k < 84) return { kind: 'reshape', shape: reshapeTarget(shape, r.ints) };
  if (k < 88 && rank < 6) return { kind: 'expandDims', axis: r.ints[0] % (rank + 1) };
  if (k < 93 && rank >= 1) return { kind: 'softmax' };
  if (rank >= 2) {
    const n = 1 + (r.ints[0] % 4);
    return { kind: 'matMul', n, data: values(shape[rank - 1] * n, r.seed) };
  }
  return { kind: 'unary', op: UNARY[r.pick % UNARY.length] };
}

export function interpret(r: Raw): Case {
  const steps: Step[] = [];
  let shape = r.shape;
  for (const rs of r.steps) {
    const step = interpretStep(shape, rs);
    steps.push(step);
    shape = shapeAfter(shape, step);
  }
  return { shape: r.shape, view: interpretView(r.shape, r.view), seed: r.seed, steps };
}

export const arbitraryCase: fc.Arbitrary<Case> = raw.map(interpret);
