// Entry point of the full kernel set (wasmtensor-<build>.wasm): the core set
// (core.ts) plus the image (conv, pool, resize) and sequence kernels. See README.md for the ABI.
export * from './core';
export * from './kernels/im2col';
export * from './kernels/pool';
export * from './kernels/resize';
export * from './kernels/batchnorm';
export * from './kernels/depthwise';
export * from './kernels/recurrent';
