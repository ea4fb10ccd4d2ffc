// Operation codes shared by the kernels (AssemblyScript) and the TypeScript
// backend that calls them. Plain untyped constants on purpose: this one file
// compiles as AssemblyScript (where they are i32) and as TypeScript.

// dtypes
export const DT_F32 = 0;
export const DT_I32 = 1;
export const DT_U8 = 2;
export const DT_BOOL = 3;

// unary_f32 (all), unary_i32 (NEG, ABS, SQUARE, RELU, SIGN, CLIP only).
// p0/p1 are the op's parameters where it has any.
export const U_NEG = 0;
export const U_ABS = 1;
export const U_EXP = 2;
export const U_LOG = 3;
export const U_SQRT = 4;
export const U_SQUARE = 5;
export const U_RELU = 6;
export const U_SIGMOID = 7;
export const U_TANH = 8;
export const U_RECIPROCAL = 9;
export const U_SIGN = 10;
export const U_FLOOR = 11;
export const U_CEIL = 12;
export const U_ROUND = 13; // half to even, like numpy and TF
export const U_RSQRT = 14;
export const U_SIN = 15;
export const U_COS = 16;
export const U_ELU = 17; // p0 = alpha
export const U_SELU = 18;
export const U_SOFTPLUS = 19;
export const U_GELU = 20; // exact: 0.5 x (1 + erf(x / sqrt 2)), Keras' default
export const U_LEAKY_RELU = 21; // p0 = alpha
export const U_EXPM1 = 22;
export const U_LOG1P = 23;
export const U_CLIP = 24; // p0 = lo, p1 = hi
export const U_ERF = 25;
export const U_GELU_TANH = 26; // tanh approximation
export const U_RELU6 = 27;

// binary_f32 (all), binary_i32 (ADD, SUB, MUL, MAX, MIN, MOD, FLOORDIV, SQDIFF)
export const B_ADD = 0;
export const B_SUB = 1;
export const B_MUL = 2;
export const B_DIV = 3;
export const B_MAX = 4;
export const B_MIN = 5;
export const B_POW = 6;
export const B_SQDIFF = 7; // (a - b)^2
export const B_MOD = 8; // floor modulo, sign of the divisor (numpy, TF floorMod)
export const B_FLOORDIV = 9;

// compare_f32 / compare_i32: output is bool (one byte, 0 or 1)
export const C_EQ = 0;
export const C_NE = 1;
export const C_LT = 2;
export const C_LE = 3;
export const C_GT = 4;
export const C_GE = 5;

// reduce_f32 (all), reduce_i32 (SUM, MAX, MIN, PROD)
export const R_SUM = 0;
export const R_MEAN = 1;
export const R_MAX = 2;
export const R_MIN = 3;
export const R_PROD = 4;

// argreduce_f32 / argreduce_i32: output int32 indices
export const A_ARGMAX = 0;
export const A_ARGMIN = 1;

// matmul_f32 epilogue: ACT_NONE or a unary_f32 code (U_RELU, U_SIGMOID, ...)
export const ACT_NONE = -1;
