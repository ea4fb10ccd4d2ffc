// Entry point of the core kernel set (wasmtensor-<build>-core.wasm): every
// kernel but convolution, pooling, batch normalization and recurrent cells,
// which index.ts adds for the full set. Browsers load this set when the app's
// bundle needs none of those (src/backends/wasm/kernel_sets.ts).
export * from './memory';
export * from './kernels/unary';
export * from './kernels/binary';
// Named: reduce.ts also exports Runs (statics for other kernels), which asc
// would warn about under export *.
export { reduce_f32, reduce_i32, argreduce_f32, argreduce_i32 } from './kernels/reduce';
export * from './kernels/softmax';
export * from './kernels/cast';
export * from './kernels/copy';
export * from './kernels/fill';
export * from './kernels/random';
export * from './kernels/gemm';
export * from './kernels/scatter';
export * from './kernels/optim';
export * from './kernels/crossentropy';
export * from './kernels/gather';
export * from './kernels/act_grad';
export * from './kernels/numerics';
