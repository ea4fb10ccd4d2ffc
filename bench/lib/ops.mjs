// One case, prepared the same way for every library whose API has the TF.js
// names (wasmtensor and tfjs-core both do): inputs become tensors once, then
// run() = op + dataSync() of the result + dispose(), runOpOnly() = op + dispose().

/** The op of case c as a closure over prepared tensors. */
function opFor(lib, c, t) {
  switch (c.kind) {
    case 'gemm': return () => lib.matMul(t[0], t[1], c.transposeA, c.transposeB);
    case 'add': return () => lib.add(t[0], t[1]);
    case 'mul': return () => lib.mul(t[0], t[1]);
    case 'relu': return () => lib.relu(t[0]);
    case 'sum': return c.axis === null ? () => lib.sum(t[0]) : () => lib.sum(t[0], c.axis);
    case 'softmax': return () => lib.softmax(t[0]);
    default: throw new Error(`bench: unknown case kind ${c.kind}`);
  }
}

/** Shapes of the stored inputs (transposed operands are stored transposed). */
function inputShapes(c) {
  if (c.kind === 'gemm') {
    return [c.transposeA ? [c.k, c.m] : [c.m, c.k], c.transposeB ? [c.n, c.k] : [c.k, c.n]];
  }
  if (c.kind === 'sum' || c.kind === 'softmax') return [[c.rows, c.cols]];
  return [[c.size], [c.size]];
}

/** lib: { tensor(data, shape, dtype), matMul, add, mul, relu, sum, softmax }. */
export function prepareOp(lib, c, inputs) {
  const shapes = inputShapes(c);
  const t = inputs.map((data, i) => lib.tensor(data, shapes[i], 'float32'));
  const op = opFor(lib, c, t);
  return {
    run: () => { const y = op(); const d = y.dataSync(); y.dispose(); return d; },
    runOpOnly: () => { op().dispose(); },
    dispose: () => { for (const x of t) x.dispose(); },
  };
}
