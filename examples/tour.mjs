// A tour of wasmtensor's tensors, following "Deep Learning with Python"
// chapter 2 (data representations and tensor operations). Run: npm start
import * as wt from 'wasmtensor';

await wt.ready();
const show = (title, value) => console.log(`\n# ${title}\n${value}`);

// Scalars, vectors, matrices, 3-D tensors: ndim and shape.
const x0 = wt.scalar(12);
const x1 = wt.tensor([12, 3, 6, 14, 7]);
const x2 = wt.tensor([[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]]);
const x3 = wt.stack([x2, x2, x2]);
for (const [name, t] of [['scalar', x0], ['vector', x1], ['matrix', x2], ['3-D tensor', x3]]) {
  console.log(`${name.padEnd(11)} ndim=${t.ndim} shape=[${t.shape}] dtype=${t.dtype}`);
}
show('first row of the matrix, then its first column', `${x2.index(0)}\n${x2.index(':, 0')}`);

// MNIST-shaped slicing on a stand-in batch of uint8 "images".
const images = wt.randomUniform([600, 28, 28], 0, 256, 7).astype('uint8');
console.log(`\nimages: shape=[${images.shape}] dtype=${images.dtype}`);
console.log(`images.index('10:100')          -> [${images.index('10:100').shape}]`);
console.log(`images.index(':, 14:, 14:')     -> [${images.index(':, 14:, 14:').shape}]`);
console.log(`images.index(':, 7:-7, 7:-7')   -> [${images.index(':, 7:-7, 7:-7').shape}]`);
for (let n = 0; n < 3; n++) console.log(`batch ${n}: images.index('${128 * n}:${128 * (n + 1)}') -> [${images.index(`${128 * n}:${128 * (n + 1)}`).shape}]`);

// Element-wise ops and broadcasting.
const X = wt.randomNormal([32, 10], 0, 1, 1);
const y = wt.randomNormal([10], 0, 1, 2);
show('relu(X + y) for X (32,10) and y (10,): first row', wt.relu(wt.add(X, y)).index('0:1'));
const big = wt.maximum(wt.randomUniform([64, 3, 32, 10], 0, 1, 3), wt.randomUniform([32, 10], 0, 1, 4));
console.log(`maximum((64,3,32,10), (32,10)) -> [${big.shape}]`);

// The tensor dot, and its shape rules.
const dotShapes = [[[5], [5]], [[3, 5], [5]], [[3, 5], [5, 2]], [[2, 3, 4, 5], [5]], [[2, 3, 4, 5], [5, 6]]];
console.log('\n# dot shapes');
for (const [a, b] of dotShapes) console.log(`dot([${a}], [${b}]) -> [${wt.dot(wt.ones(a), wt.ones(b)).shape}]`);

// Reshaping and transposition.
const r = wt.tensor([[0, 1], [2, 3], [4, 5]]);
show('reshape (3,2) -> (6,1) -> (2,3)', `${r.reshape([6, 1]).arraySync().join(' ')}\n${r.reshape([2, 3])}`);
console.log(`\nzeros([300, 20]).T -> [${wt.zeros([300, 20]).T.shape}]`);

// A Dense layer by hand: relu(dot(input, W) + b), and softmax over 10 classes.
const input = images.index('0:128').reshape([128, 784]).astype('float32').div(255);
const W = wt.randomNormal([784, 512], 0, 0.05, 5);
const b = wt.zeros([512]);
const hidden = wt.relu(wt.add(wt.dot(input, W), b));
const probs = wt.softmax(wt.dot(hidden, wt.randomNormal([512, 10], 0, 0.05, 6)));
show('softmax output for the first sample (sums to 1)', probs.index('0'));
console.log(`row sums: ${probs.sum(1).index('0:4').arraySync().map((v) => v.toFixed(4)).join(', ')} ...`);
console.log('\nwt.memory():', wt.memory());
