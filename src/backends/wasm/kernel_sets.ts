// Every build comes as two modules: the full kernels (wasmtensor-<build>.wasm,
// assembly/index.ts) and the core set (wasmtensor-<build>-core.wasm,
// assembly/core.ts) without the convolution, pooling, batch-normalization and
// recurrent kernels, which are about a third of the module. A page that
// trains the seed's MLP downloads only the core set.
//
// Which set to load is decided by what the app's bundle contains: every op
// module that runs a full-only kernel calls wantFullKernels() when it is
// evaluated, and a bundler keeps that module, and so that call, exactly when
// the app uses the op. Imports are evaluated before the app's own code, so by
// the time it calls ready() the answer is known. Node always loads the full
// set (size does not matter there).
import { fail } from '../../errors';
import type { BuildName } from './builds';
import type { KernelExports } from './load';

export type KernelSet = 'full' | 'core';

/** The kernels only the full set has (a test checks this against the two modules' exports). */
export const FULL_ONLY_KERNELS = [
  'im2col_f32', 'col2im_f32', 'maxpool_f32', 'maxpool_grad_f32', 'avgpool_f32', 'avgpool_grad_f32', 'batchnorm_f32',
  'resize_bilinear_f32', 'resize_bilinear_grad_f32',
  'depthwise_f32', 'depthwise_rows_f32', 'depthwise_grad_input_f32', 'depthwise_grad_filter_f32',
  'lstm_cell_f32', 'lstm_cell_grad_f32', 'rnn_cell_f32', 'rnn_cell_grad_f32',
  'gru_gates_f32', 'gru_out_f32', 'gru_grad_out_f32', 'gru_grad_reset_f32', 'gru_ra_cell_f32', 'gru_ra_cell_grad_f32',
] as const;

let fullWanted = false;

/** Marks that the running bundle includes an op that needs the full kernel set. */
export function wantFullKernels(): void {
  fullWanted = true;
}

/** The packaged file name: wasmtensor-<build>.wasm, or wasmtensor-<build>-core.wasm for the core set. */
export function packagedWasmFile(build: BuildName, set: KernelSet): string {
  return `wasmtensor-${build}${set === 'core' ? '-core' : ''}.wasm`;
}

/** The set ready() loads: LoadOptions.kernels, else 'full' in Node or when the bundle needs it, else 'core'. */
export function selectKernelSet(requested: unknown, node: boolean): KernelSet {
  if (requested !== undefined && requested !== 'auto' && requested !== 'full' && requested !== 'core') {
    fail('ready', `kernels must be 'full', 'core' or 'auto', got ${JSON.stringify(requested)}`);
  }
  if (requested === 'full' || requested === 'core') return requested;
  return node || fullWanted ? 'full' : 'core';
}

/** The set a compiled module holds, from its exports (for a module the user passed in). */
export function kernelSetOf(module: WebAssembly.Module): KernelSet {
  return WebAssembly.Module.exports(module).some((e) => e.name === FULL_ONLY_KERNELS[0]) ? 'full' : 'core';
}

/**
 * The core set's exports, with each full-only kernel standing in as a function
 * that says why it is missing, instead of "is not a function".
 */
export function withMissingKernels(exports: KernelExports): KernelExports {
  const out: KernelExports = { ...exports };
  for (const name of FULL_ONLY_KERNELS) {
    out[name] = () => {
      throw new Error(
        `wasmtensor: the '${name}' kernel is not in the core kernel set this page loaded. ready() picks the core set ` +
        'when the bundle holds no convolution, pooling, batch-normalization or recurrent op; one was loaded later ' +
        "(a dynamic import?). Call wt.ready({ kernels: 'full' }) before creating tensors, or import the op statically.",
      );
    };
  }
  return out;
}
