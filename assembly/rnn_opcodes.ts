// Activation codes of the recurrent kernels (assembly/kernels/recurrent.ts),
// shared with src/ops/recurrent.ts like opcodes.ts. Separate from the U_*
// codes because the cells need hard_sigmoid (tfjs-layers' default recurrent
// activation) and take every derivative from the activation's output.
export const RA_LINEAR = 0;
export const RA_TANH = 1;
export const RA_SIGMOID = 2;
export const RA_HARD_SIGMOID = 3; // clip(0.2 x + 0.5, 0, 1), as tfjs-layers and Keras 2
export const RA_RELU = 4;
