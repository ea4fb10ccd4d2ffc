// Softmax cross-entropy straight from logits, per row of a contiguous
// [rows, n] block, and its gradient in one pass. Stable for any logits: every
// exponent is x - max(row) <= 0, and the loss is formed as
// log(sum e^(x - max)) - (x - max), never from a rounded probability.
//
//   dense:  loss[r] = sum_j labels[r,j] (lse - x[r,j])
//           dlogits = (softmax(x) * sum_j labels - labels) * dy[r]
//   sparse: loss[r] = lse - x[r, label[r]]
//           dlogits = (softmax(x) - onehot(label)) * dy[r]
// Sparse labels are float32, int32 or uint8 (dtype codes of ../opcodes.ts);
// the sparse kernels return the first row whose label is not an integer in
// [0, n), or -1 when all are valid (nothing is written past a bad row).
import { DT_F32, DT_I32 } from '../opcodes';
import { F32x4 } from './simd_math';

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

@inline function hmax(v: v128): f32 {
  v = f32x4.max(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.max(v, i32x4.shuffle(v, v, 1, 0, 3, 2)), 0);
}

@inline function hsum(v: v128): f32 {
  v = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.add(v, i32x4.shuffle(v, v, 1, 0, 3, 2)), 0);
}

function rowMax(x: usize, n: i32): f32 {
  let vm = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) vm = f32x4.max(vm, v128.load(at(x, i)));
  for (; i < n; i++) vm = f32x4.max(vm, v128.load32_splat(at(x, i)));
  return hmax(vm);
}

/** sum_j e^(x_j - m). */
function rowSumExp(x: usize, n: i32, m: f32): f32 {
  const vm = f32x4.splat(m);
  let s = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) s = f32x4.add(s, F32x4.expNonPositive(f32x4.sub(v128.load(at(x, i)), vm)));
  let tail: f32 = 0;
  for (; i < n; i++) tail += f32x4.extract_lane(F32x4.expNonPositiveTail(f32x4.sub(v128.load32_splat(at(x, i)), vm)), 0);
  return hsum(s) + tail;
}

/** The label of row r as an index, or -1 when it is not an integer in [0, n). */
@inline function labelAt(labels: usize, dtype: i32, r: i32, n: i32): i32 {
  let k: i32;
  if (dtype == DT_F32) {
    const f = load<f32>(at(labels, r));
    if (!(f >= 0 && f < <f32>n) || Mathf.floor(f) != f) return -1;
    k = <i32>f;
  } else if (dtype == DT_I32) {
    k = load<i32>(at(labels, r));
  } else {
    k = <i32>load<u8>(labels + <usize>r);
  }
  return k >= 0 && k < n ? k : -1;
}

/** labels, logits: [rows, n] float32; out: [rows] per-row losses. */
export function softmax_xent_f32(logits: usize, labels: usize, out: usize, rows: i32, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const x = at(logits, r * n), y = at(labels, r * n);
    const m = rowMax(x, n);
    const lse = Mathf.log(rowSumExp(x, n, m));
    // sum_j y_j (lse - (x_j - m))
    const vm = f32x4.splat(m), vl = f32x4.splat(lse);
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const nl = f32x4.sub(vl, f32x4.sub(v128.load(at(x, i)), vm));
      acc = f32x4.add(acc, f32x4.mul(v128.load(at(y, i)), nl));
    }
    let tail: f32 = 0;
    for (; i < n; i++) tail += load<f32>(at(y, i)) * (lse - (load<f32>(at(x, i)) - m));
    store<f32>(at(out, r), hsum(acc) + tail);
  }
}

/** labels [rows] (labelDtype); logits [rows, n]; out [rows]. Returns the first bad row or -1. */
export function sparse_softmax_xent_f32(logits: usize, labels: usize, labelDtype: i32, out: usize, rows: i32, n: i32): i32 {
  for (let r = 0; r < rows; r++) {
    const k = labelAt(labels, labelDtype, r, n);
    if (k < 0) return r;
    const x = at(logits, r * n);
    const m = rowMax(x, n);
    store<f32>(at(out, r), Mathf.log(rowSumExp(x, n, m)) - (load<f32>(at(x, k)) - m));
  }
  return -1;
}

/** dlogits [rows, n] = (softmax(x) * sum(labels) - labels) * dy[r]; dy [rows] contiguous. */
export function softmax_xent_grad_f32(logits: usize, labels: usize, dy: usize, out: usize, rows: i32, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const x = at(logits, r * n), y = at(labels, r * n), o = at(out, r * n);
    const m = rowMax(x, n);
    let ls = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= n; i += 4) ls = f32x4.add(ls, v128.load(at(y, i)));
    let lt: f32 = 0;
    for (; i < n; i++) lt += load<f32>(at(y, i));
    const d = load<f32>(at(dy, r));
    // p_j = e^(x_j - m) / s; out_j = (p_j sumLabels - y_j) d = e^(x_j - m) (sumLabels d / s) - y_j d
    const scale = ((hsum(ls) + lt) * d) / rowSumExp(x, n, m);
    const vm = f32x4.splat(m), vs = f32x4.splat(scale), vd = f32x4.splat(d);
    i = 0;
    for (; i + 4 <= n; i += 4) {
      const e = F32x4.expNonPositive(f32x4.sub(v128.load(at(x, i)), vm));
      v128.store(at(o, i), f32x4.sub(f32x4.mul(e, vs), f32x4.mul(v128.load(at(y, i)), vd)));
    }
    for (; i < n; i++) {
      const e = f32x4.extract_lane(F32x4.expNonPositiveTail(f32x4.sub(v128.load32_splat(at(x, i)), vm)), 0);
      store<f32>(at(o, i), e * scale - load<f32>(at(y, i)) * d);
    }
  }
}

/** dlogits [rows, n] = (softmax(x) - onehot(label)) * dy[r]. Returns the first bad row or -1. */
export function sparse_softmax_xent_grad_f32(logits: usize, labels: usize, labelDtype: i32, dy: usize, out: usize, rows: i32, n: i32): i32 {
  for (let r = 0; r < rows; r++) {
    const k = labelAt(labels, labelDtype, r, n);
    if (k < 0) return r;
    const x = at(logits, r * n), o = at(out, r * n);
    const m = rowMax(x, n);
    const d = load<f32>(at(dy, r));
    const scale = d / rowSumExp(x, n, m);
    const vm = f32x4.splat(m), vs = f32x4.splat(scale);
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(at(o, i), f32x4.mul(F32x4.expNonPositive(f32x4.sub(v128.load(at(x, i)), vm)), vs));
    for (; i < n; i++) {
      store<f32>(at(o, i), f32x4.extract_lane(F32x4.expNonPositiveTail(f32x4.sub(v128.load32_splat(at(x, i)), vm)), 0) * scale);
    }
    store<f32>(at(o, k), load<f32>(at(o, k)) - d);
  }
  return -1;
}
