// The op suite's core cases as one plain-JS function of the library, so the
// same code runs in Node (dist/index.mjs) and in the page
// (dist/index.browser.mjs); ops.test.ts compares the two. Each case returns
// { shape, dtype, values } of one result. Inputs are seeded, sizes are odd
// (not tile multiples) and one GEMM is big enough to take the packed path.
export async function runCases(wt) {
  await wt.ready();
  const out = {};
  const put = (name, t) => {
    out[name] = { shape: [...t.shape], dtype: t.dtype, values: Array.from(t.dataSync(), Number) };
    t.dispose();
  };
  const r = (shape, seed) => wt.randomUniform(shape, -1, 1, 'float32', seed);
  const a = r([17, 33], 1);
  const b = r([33, 29], 2);
  const v = r([33], 3);
  const big = r([130, 257], 4);
  const bigB = r([257, 131], 5);

  put('tensor 2x3', wt.tensor([[5, 78, 2], [6, 79, 3]]));
  put('add broadcast [17,33]+[33]', wt.add(a, v));
  put('sub/mul/div chain', wt.div(wt.mul(wt.sub(a, 0.5), a), wt.add(wt.abs(a), 1)));
  put('maximum/minimum', wt.minimum(wt.maximum(a, -0.25), 0.5));
  put('pow, sqrt, exp, log', wt.add(wt.pow(wt.abs(a), 1.5), wt.log(wt.add(wt.exp(a), wt.sqrt(wt.abs(a))))));
  put('relu, sigmoid, tanh, gelu', wt.add(wt.add(wt.relu(a), wt.sigmoid(a)), wt.add(wt.tanh(a), wt.gelu(a))));
  put('compare greater -> bool', wt.greater(a, v));
  put('int32 arithmetic', wt.floorDiv(wt.range(-20, 20, 3, 'int32'), wt.scalar(4, 'int32')));
  put('sum axis 0', wt.sum(a, 0));
  put('mean axis 1 keepDims', wt.mean(a, 1, true));
  put('max, min, prod', wt.stack([wt.max(a), wt.min(a), wt.prod(wt.add(v.index(':5'), 2))]));
  put('argMax axis 1', wt.argMax(a, 1));
  put('softmax', wt.softmax(a));
  put('logSoftmax axis 0', wt.logSoftmax(a, 0));
  put('matMul 17x33 . 33x29', wt.matMul(a, b));
  put('matMul transposes', wt.matMul(b, a, true, true));
  put('matMul 130x257 . 257x131', wt.matMul(big, bigB));
  put('batched matMul broadcast', wt.matMul(r([2, 1, 5, 7], 6), r([3, 7, 4], 7)));
  put('dot rank 3 . rank 1', wt.dot(r([3, 4, 33], 8), v));
  put('reshape + transpose', wt.transpose(a.reshape([33, 17])));
  put('numpy index', a.index('1:-1:3, ::-5'));
  put('slice', wt.slice(a, [2, 3], [4, 5]));
  put('concat', wt.concat([a.index(':2'), a.index('-3:')], 0));
  put('cast float -> int32', wt.cast(wt.mul(a, 10), 'int32'));
  put('oneHot', wt.oneHot(wt.tensor([0, 3, 9, 1], undefined, 'int32'), 10));
  put('grad of sum(tanh(x)^2)', wt.grad((x) => wt.sum(wt.square(wt.tanh(x))))(a));
  const f = (x) => wt.sum(wt.square(wt.softmax(wt.matMul(x, b))));
  put('grad through matMul and softmax', wt.grad(f)(a));

  // One training run of a small Dense model: weights after 5 RMSprop steps.
  wt.setRandomSeed(7);
  const model = wt.sequential();
  model.add(wt.layers.dense({ units: 16, activation: 'relu', inputShape: [33] }));
  model.add(wt.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = r([40, 33], 9);
  const y = wt.oneHot(wt.argMax(x.index(':, :3'), 1), 3);
  await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, shuffle: false });
  put('dense model predict after fit', model.predict(x.index(':6')));
  return out;
}
