// Entry point of the wasm module: re-exports every kernel. See README.md for the ABI.
export * from './memory';
export * from './kernels/unary';
export * from './kernels/binary';
export * from './kernels/reduce';
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
