// numpy basic indexing (`x.index('10:100, ::-1, ..., 0')`) and TF.js slice.
// Both produce views: an integer drops its axis, a slice a:b:c scales the
// stride (negative steps give negative strides), '...' fills the remaining
// axes and 'newaxis' inserts a size-1 axis.
import { record } from '../autograd/tape';
import { backend } from '../engine';
import { describe, fail, fmtShape } from '../errors';
import { Tensor } from '../tensor';
import { contiguous, ptrOf } from './alloc';
import { zeros } from './create';
import { viewOf } from './shape';

export type IndexSpec = number | string | null;

type Item =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; start?: number; stop?: number; step?: number }
  | { kind: 'ellipsis' }
  | { kind: 'newaxis' };

const INTEGER = /^[+-]?\d+$/;

function parsePart(part: string, whole: string): Item {
  const malformed = (): never =>
    fail('index', `cannot parse '${part}' in '${whole}': expected an integer, a start:stop:step slice, '...' or 'newaxis'`);
  if (part === '...') return { kind: 'ellipsis' };
  if (part === 'newaxis' || part === 'None') return { kind: 'newaxis' };
  if (INTEGER.test(part)) return { kind: 'int', value: Number(part) };
  const fields = part.split(':').map((f) => f.trim());
  if (fields.length < 2 || fields.length > 3) return malformed();
  const nums = fields.map((f) => (f === '' ? undefined : INTEGER.test(f) ? Number(f) : malformed()));
  return { kind: 'slice', start: nums[0], stop: nums[1], step: nums[2] };
}

function parse(specs: IndexSpec[]): Item[] {
  const items: Item[] = [];
  for (const spec of specs) {
    if (typeof spec === 'number') {
      if (!Number.isInteger(spec)) fail('index', `an integer index is required, got ${spec}`);
      items.push({ kind: 'int', value: spec });
    } else if (spec === null) {
      items.push({ kind: 'newaxis' });
    } else if (typeof spec === 'string') {
      if (spec.trim() === '') continue;
      for (const part of spec.split(',')) {
        const p = part.trim();
        if (p === '') fail('index', `empty index between commas in '${spec}'`);
        items.push(parsePart(p, spec));
      }
    } else {
      fail('index', `expected a string like '1:3, ::2', an integer or null, got ${describe(spec)}`);
    }
  }
  return items;
}

/** Python's slice.indices(): clamps start/stop for `size` and returns the element count. */
function resolveSlice(item: { start?: number; stop?: number; step?: number }, size: number): { start: number; step: number; count: number } {
  const step = item.step ?? 1;
  if (step === 0) fail('index', 'slice step cannot be zero');
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const adjust = (v: number | undefined, dflt: number, lo: number, hi: number) =>
    v === undefined ? dflt : clamp(v < 0 ? v + size : v, lo, hi);
  const start = step > 0 ? adjust(item.start, 0, 0, size) : adjust(item.start, size - 1, -1, size - 1);
  const stop = step > 0 ? adjust(item.stop, size, 0, size) : adjust(item.stop, -1, -1, size - 1);
  const count = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  return { start, step, count };
}

export function index(x: Tensor, ...specs: IndexSpec[]): Tensor {
  if (!(x instanceof Tensor)) fail('index', `x must be a Tensor, got ${describe(x)}`);
  x.assertAlive('index');
  const items = parse(specs);
  const ellipses = items.filter((i) => i.kind === 'ellipsis').length;
  if (ellipses > 1) fail('index', "an index can only have a single ellipsis ('...')");
  const consuming = items.filter((i) => i.kind === 'int' || i.kind === 'slice').length;
  if (consuming > x.rank) fail('index', `too many indices for tensor of rank ${x.rank}: ${consuming} were given`);
  // Expand '...' (or an implicit trailing one) into full slices.
  const fillers: Item[] = Array.from({ length: x.rank - consuming }, () => ({ kind: 'slice' }));
  const at = items.findIndex((i) => i.kind === 'ellipsis');
  const full = at >= 0 ? [...items.slice(0, at), ...fillers, ...items.slice(at + 1)] : [...items, ...fillers];

  const shape: number[] = [];
  const strides: number[] = [];
  let offset = x.offset;
  let axis = 0;
  for (const item of full) {
    if (item.kind === 'newaxis') {
      shape.push(1);
      strides.push(0);
      continue;
    }
    const size = x.shape[axis];
    const stride = x.strides[axis];
    if (item.kind === 'int') {
      if (item.value < -size || item.value >= size) {
        fail('index', `index ${item.value} is out of bounds for axis ${axis} with size ${size}`);
      }
      offset += (item.value < 0 ? item.value + size : item.value) * stride;
    } else if (item.kind === 'slice') {
      const { start, step, count } = resolveSlice(item, size);
      if (count > 0) offset += start * stride;
      shape.push(count);
      strides.push(stride * step);
    }
    axis++;
  }
  const out = viewOf(x, shape, strides, offset);
  if (x.dtype === 'float32') record('index', [x], out, (dy) => [scatterInto(x.shape, dy, (z) => index(z, ...specs))]);
  return out;
}

/** Gradient of a selection: zeros of the source's shape with dy written where select() picks. */
function scatterInto(shape: readonly number[], dy: Tensor, select: (z: Tensor) => Tensor): Tensor {
  const z = zeros(shape.slice());
  const target = select(z);
  const src = contiguous(dy);
  if (target.size > 0) backend().scatter(ptrOf(src), target.view());
  target.dispose();
  if (src !== dy) src.dispose();
  return z;
}

/** TF.js slice(begin, size): missing trailing axes start at 0; size -1 runs to the end of the axis. */
export function slice(x: Tensor, begin: number | number[], size?: number | number[]): Tensor {
  const fn = 'slice';
  if (!(x instanceof Tensor)) fail(fn, `x must be a Tensor, got ${describe(x)}`);
  x.assertAlive(fn);
  const b = typeof begin === 'number' ? [begin] : begin;
  const s = size === undefined ? [] : typeof size === 'number' ? [size] : size;
  if (!Array.isArray(b) || b.length > x.rank) fail(fn, `begin must be an array of at most ${x.rank} integers, got ${describe(begin)}`);
  if (!Array.isArray(s) || s.length > x.rank) fail(fn, `size must be an array of at most ${x.rank} integers, got ${describe(size)}`);
  const shape: number[] = [];
  let offset = x.offset;
  for (let axis = 0; axis < x.rank; axis++) {
    const dim = x.shape[axis];
    const start = b[axis] ?? 0;
    const count = s[axis] === undefined || s[axis] === -1 ? dim - start : s[axis];
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > dim) {
      fail(fn, `begin ${fmtShape(b)} with size ${fmtShape(s)} does not fit shape ${fmtShape(x.shape)} on axis ${axis}`);
    }
    if (count > 0) offset += start * x.strides[axis];
    shape.push(count);
  }
  const out = viewOf(x, shape, x.strides.slice(), offset);
  if (x.dtype === 'float32') record('slice', [x], out, (dy) => [scatterInto(x.shape, dy, (z) => slice(z, begin, size))]);
  return out;
}
