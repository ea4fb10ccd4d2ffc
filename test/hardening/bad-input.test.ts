// Every exported function, class and namespace member gets at least one bad
// call here, and its error must start with the function's name: a message
// read out of context still says where to look. A last test walks the
// exports and fails when one has no row, so a new export must add one.
import { beforeAll, describe, expect, it } from 'vitest';
import * as wt from '../../src/index';

type Row = [call: () => unknown, message: RegExp];

const t = () => wt.tensor([[1, 2], [3, 4]]);
const ints = (v: number[]) => wt.tensor(v, undefined, 'int32');
const notFn = 'bad' as unknown as () => wt.Tensor;
const unary = (name: string): Row => [() => (wt as any)[name]('bad'), new RegExp(`^${name}: x must be a Tensor, a number or an array, got 'bad'`)];
const binary = (name: string): Row => [() => (wt as any)[name](t(), wt.ones([3])), new RegExp(`^${name}: shapes \\[2,2\\] and \\[3\\] cannot be broadcast together`)];

const UNARY = ['neg', 'abs', 'square', 'sign', 'relu', 'exp', 'log', 'sqrt', 'rsqrt', 'reciprocal', 'floor', 'ceil', 'round',
  'sin', 'cos', 'expm1', 'log1p', 'erf', 'sigmoid', 'tanh', 'relu6', 'elu', 'selu', 'softplus', 'gelu'];
const BINARY = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'squaredDifference', 'mod', 'floorDiv',
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'];

const TABLE: Record<string, Row> = {
  ...Object.fromEntries(UNARY.map((n) => [n, unary(n)])),
  ...Object.fromEntries(BINARY.map((n) => [n, binary(n)])),
  // setup, memory, flags
  tidy: [() => wt.tidy(async () => 1 as never), /^tidy: fn returned a Promise/],
  keep: [() => wt.keep('bad' as never), /^keep: x must be a Tensor, got 'bad'/],
  setFlags: [() => wt.setFlags({ bogus: 1 } as never), /^setFlags: unknown flag 'bogus'; flags are gcAfterBytes, /],
  setThreads: [() => wt.setThreads(0), /^setThreads: n must be an integer >= 1, got number 0/],
  // creation
  tensor: [() => wt.tensor([[1], [2, 3]]), /^tensor: ragged nested array/],
  scalar: [() => wt.scalar('bad' as never), /^scalar: value must be a number or boolean, got 'bad'/],
  zeros: [() => wt.zeros([-1]), /^fill: shape must be an array of non-negative integers, got \[-1\]/],
  ones: [() => wt.ones([2.5]), /^fill: shape must be an array of non-negative integers/],
  fill: [() => wt.fill([2], 'a' as never), /^fill: value must be a number, got 'a'/],
  zerosLike: [() => wt.zerosLike([1, 2] as never), /^zerosLike: x must be a Tensor, got an array/],
  onesLike: [() => wt.onesLike('bad' as never), /^onesLike: x must be a Tensor, got 'bad'/],
  range: [() => wt.range(0, 1, 0), /^range: step must not be 0/],
  eye: [() => wt.eye(-1), /^eye: n must be a non-negative integer, got number -1/],
  oneHot: [() => wt.oneHot(wt.tensor([1.5]), 3), /^oneHot: indices must have dtype 'int32' or 'uint8', got 'float32'/],
  randomNormal: [() => wt.randomNormal([2], 0, -1), /^randomNormal: stdDev must be >= 0, got -1/],
  randomUniform: [() => wt.randomUniform([2], 1, 0), /^randomUniform: maxval \(0\) must be >= minval \(1\)/],
  truncatedNormal: [() => wt.truncatedNormal('bad' as never), /^truncatedNormal: shape must be an array of non-negative integers/],
  setRandomSeed: [() => wt.setRandomSeed(-1), /^setRandomSeed: seed must be a non-negative integer, got number -1/],
  'utils.toCategorical': [() => wt.utils.toCategorical(ints([0, 3]), 3), /^toCategorical: labels must be class indices in \[0, 3\), got 3/],
  // conversion and shape
  cast: [() => wt.cast(t(), 'float64' as never), /^cast: dtype must be one of 'float32', 'int32', 'uint8', 'bool', got 'float64'/],
  clone: [() => wt.clone({} as never), /^clone: x must be a Tensor, got Object/],
  reshape: [() => wt.reshape(t(), [3]), /^reshape: cannot reshape tensor of size 4 into shape \[3\]/],
  transpose: [() => wt.transpose(t(), [0, 0]), /^transpose: perm must be a permutation of 0..1/],
  expandDims: [() => wt.expandDims(t(), 4), /^expandDims: axis 4 is out of bounds for tensor of rank 3/],
  squeeze: [() => wt.squeeze(t(), [0]), /^squeeze: cannot squeeze axis 0 of size 2/],
  broadcastTo: [() => wt.broadcastTo(t(), [3]), /^broadcastTo: shapes \[2,2\] and \[3\] cannot be broadcast together/],
  concat: [() => wt.concat([t(), wt.ones([3])]), /^concat: tensors\[1\] has shape \[3\], incompatible with \[2,2\]/],
  stack: [() => wt.stack([t(), wt.ones([3])]), /^stack: tensors\[1\] has shape \[3\], expected \[2,2\]/],
  index: [() => wt.index(t(), '5'), /^index: index 5 is out of bounds for axis 0 with size 2/],
  slice: [() => wt.slice(t(), [0, 0], [3, 1]), /^slice: begin \[0,0\] with size \[3,1\] does not fit shape \[2,2\]/],
  gather: [() => wt.gather(t(), ints([5])), /^gather: indices\[0\] \(flat index\) is 5, out of range \[0, 2\)/],
  // elementwise with parameters, reductions, products
  leakyRelu: [() => wt.leakyRelu(t(), 'a' as never), /^leakyRelu: alpha must be a number, got 'a'/],
  clipByValue: [() => wt.clipByValue(t(), 2, 1), /^clipByValue: clipValueMin \(2\) must be <= clipValueMax \(1\)/],
  sum: [() => wt.sum(t(), 5), /^sum: axis 5 is out of bounds for tensor of rank 2/],
  mean: [() => wt.mean(t(), [0, 0]), /^mean: repeated axis in \[0,0\]/],
  max: [() => wt.max(wt.zeros([0, 2]), 0), /^max: zero-size axis in shape \[0,2\]/],
  min: [() => wt.min(t(), 'a' as never), /^min: axis must be an integer, got a/],
  prod: [() => wt.prod(t(), 2), /^prod: axis 2 is out of bounds/],
  argMax: [() => wt.argMax(t(), 2), /^argMax: axis 2 is out of bounds/],
  argMin: [() => wt.argMin(t(), 1.5), /^argMin: axis must be an integer, got 1.5/],
  softmax: [() => wt.softmax(t(), 2), /^softmax: axis 2 is out of bounds/],
  logSoftmax: [() => wt.logSoftmax(wt.scalar(1)), /^logSoftmax: x must have at least one axis, got a 0-d tensor/],
  matMul: [() => wt.matMul(t(), wt.ones([3, 2])), /^matMul: inner dimensions must match: a \[2,2\] has 2, b \[3,2\] has 3/],
  dot: [() => wt.dot(t(), wt.ones([3])), /^dot: shapes \[2,2\] and \[3\] not aligned/],
  softmaxCrossEntropyWithLogits: [() => wt.softmaxCrossEntropyWithLogits(wt.ones([2, 3]), wt.ones([2, 4])), /^softmaxCrossEntropyWithLogits: labels shape \[2,3\] must equal logits shape \[2,4\]/],
  sparseSoftmaxCrossEntropyWithLogits: [() => wt.sparseSoftmaxCrossEntropyWithLogits(ints([5]), wt.ones([1, 3])), /^sparseSoftmaxCrossEntropyWithLogits: labels\[0\] \(flat index\) is 5/],
  conv1d: [() => wt.conv1d(wt.ones([1, 5, 3]), wt.ones([2, 4, 1])), /^conv1d: x has 3 input channels \(shape \[1,5,3\], NWC\) but filter expects 4/],
  conv2d: [() => wt.conv2d(wt.ones([1, 3, 3, 2]), wt.ones([5, 5, 2, 4]), 1, 'valid'), /^conv2d: filter height 5 \(dilation 1\) spans 5 along an axis of size 3: larger than the input with pad 'valid'/],
  depthwiseConv2d: [() => wt.depthwiseConv2d(wt.ones([1, 4, 4, 3]), wt.ones([3, 3, 2, 1]), 1, 'same'), /^depthwiseConv2d: x has 3 input channels \(shape \[1,4,4,3\], NHWC\) but filter expects 2/],
  separableConv2d: [() => wt.separableConv2d(wt.ones([1, 4, 4, 3]), wt.ones([3, 3, 3, 2]), wt.ones([1, 1, 3, 4]), 1, 'same'), /^separableConv2d: pointwiseFilter must have shape \[1, 1, 6, outChannels\]/],
  'image.resizeBilinear': [() => wt.image.resizeBilinear(wt.ones([1, 2, 2, 1]), [2.5, 2]), /^image.resizeBilinear: size must be \[newHeight, newWidth\], two positive integers, got \[2.5,2\]/],
  maxPool: [() => wt.maxPool(wt.ones([4, 4]), 2, 2, 'valid'), /^maxPool: x must have rank 4 \(a batch of images\) or 3 \(one image\), got shape \[4,4\]/],
  batchNorm: [() => wt.batchNorm(wt.ones([2, 3]), wt.zeros([4]), wt.ones([3])), /^batchNorm: mean has shape \[4\], which does not broadcast to x's shape \[2,3\]/],
  avgPool: [() => wt.avgPool(wt.ones([1, 4, 4, 1]), 2, 0, 'same'), /^avgPool: strides must be a positive integer or a pair \[h, w\] of them, got number 0/],
  pad: [() => wt.pad(t(), [[1, 1]]), /^pad: paddings must hold one \[before, after\] pair of non-negative integers per axis of x \(rank 2\), got \[\[1,1\]\]/],
  // autograd
  grad: [() => wt.grad(notFn), /^grad: f must be a function, got 'bad'/],
  grads: [() => wt.grads((a: wt.Tensor) => a)('bad' as never), /^grads: xs must be a non-empty array of tensors/],
  valueAndGrad: [() => wt.valueAndGrad((x: wt.Tensor) => x)(5 as never), /^valueAndGrad: x must be a Tensor, got number 5/],
  valueAndGrads: [() => wt.valueAndGrads(notFn), /^valueAndGrads: f must be a function/],
  variableGrads: [() => wt.variableGrads(() => wt.scalar(1), 'bad' as never), /^variableGrads: varList must be an array of variables/],
  variable: [() => wt.variable(t(), 'yes' as never), /^variable: trainable must be true or false, got 'yes'/],
  Variable: [() => new wt.Variable('bad' as never, true, 'v'), /^Variable: initial must be a Tensor/],
  Tensor: [() => new (wt.Tensor as any)('bad'), /^Tensor: the constructor is internal/],
  // training
  'train.sgd': [() => wt.train.sgd('fast' as never), /^SGD: learningRate must be a finite number, got 'fast'/],
  'train.momentum': [() => wt.train.momentum(0.1, 'a' as never), /^SGD: momentum must be a finite number, got 'a'/],
  'train.rmsprop': [() => wt.train.rmsprop(NaN), /^RMSprop: learningRate must be a finite number/],
  'train.adam': [() => wt.train.adam('a' as never), /^Adam: learningRate must be a finite number/],
  'train.adamax': [() => wt.train.adamax('a' as never), /^Adamax: learningRate must be a finite number/],
  'train.adagrad': [() => wt.train.adagrad('a' as never), /^Adagrad: learningRate must be a finite number/],
  'train.adadelta': [() => wt.train.adadelta('a' as never), /^Adadelta: learningRate must be a finite number/],
  'optimizers.SGD': [() => new wt.optimizers.SGD({ lr: 0.1 } as never), /^SGD: unknown option 'lr'; valid options: learningRate, momentum, nesterov/],
  'optimizers.RMSprop': [() => new wt.optimizers.RMSprop({ rho: 'a' } as never), /^RMSprop: rho must be a finite number/],
  'optimizers.Adam': [() => new wt.optimizers.Adam('bad' as never), /^Adam: config must be an object/],
  'optimizers.Adamax': [() => new wt.optimizers.Adamax({ beta: 1 } as never), /^Adamax: unknown option 'beta'/],
  'optimizers.Adagrad': [() => new wt.optimizers.Adagrad({ eps: 1 } as never), /^Adagrad: unknown option 'eps'/],
  'optimizers.Adadelta': [() => new wt.optimizers.Adadelta({ rho: true } as never), /^Adadelta: rho must be a finite number/],
  ...Object.fromEntries(['SGD', 'RMSprop', 'Adam', 'Adamax', 'Adagrad', 'Adadelta'].map((n) => [
    n, [() => new (wt as any)[n]({ learningRate: -1, decay: 0 }), new RegExp(`^${n}: unknown option 'decay'`)] as Row])),
  'optimizers.get': [() => wt.optimizers.get('nadam'), /^getOptimizer: unknown optimizer 'nadam'; valid names: 'sgd', 'rmsprop'/],
  'losses.get': [() => wt.losses.get('hinge'), /^getLoss: unknown loss 'hinge'; valid: 'meanSquaredError'/],
  'metrics.get': [() => wt.metrics.get('auc'), /^getMetric: unknown metric 'auc'; valid: 'accuracy'/],
  ...Object.fromEntries(['meanSquaredError', 'meanAbsoluteError', 'huber', 'binaryCrossentropy', 'categoricalCrossentropy'].map((n) => [
    `losses.${n}`, [() => (wt.losses as any)[n](wt.ones([2, 3]), wt.ones([2, 4])), new RegExp(`^${n}: yTrue shape \\[2,3\\] and yPred shape \\[2,4\\] must match`)] as Row])),
  'losses.sparseCategoricalCrossentropy': [() => wt.losses.sparseCategoricalCrossentropy(ints([0, 1, 2]), wt.ones([2, 3])), /^sparseCategoricalCrossentropy: /],
  ...Object.fromEntries(['binaryAccuracy', 'categoricalAccuracy', 'topKCategoricalAccuracy', 'meanSquaredError', 'meanAbsoluteError', 'mse', 'mae'].map((n) => [
    `metrics.${n}`, [() => (wt.metrics as any)[n](wt.ones([2, 3]), wt.ones([3, 3])), /^[a-zA-Z]+: yTrue shape \[2,3\] and yPred shape \[3,3\] must match/] as Row])),
  'metrics.sparseCategoricalAccuracy': [() => wt.metrics.sparseCategoricalAccuracy('bad' as never, wt.ones([2, 3])), /^sparseCategoricalAccuracy: /],
  'metrics.sparseTopKCategoricalAccuracy': [() => wt.metrics.sparseTopKCategoricalAccuracy(ints([0]), 'bad' as never), /^sparseTopKCategoricalAccuracy: yPred must be a Tensor/],
  // layers, initializers, regularizers, activations
  'layers.dense': [() => wt.layers.dense({ units: 0 }), /^dense: units must be a positive integer, got number 0/],
  'layers.activation': [() => wt.layers.activation({ activation: 'nope' }), /^activation: unknown activation 'nope'/],
  'layers.flatten': [() => wt.layers.flatten({ dataFormat: 'NCHW' } as never), /^flatten: dataFormat must be 'channelsLast' or 'channelsFirst', got 'NCHW'/],
  'layers.dropout': [() => wt.layers.dropout({ rate: 1 }), /^dropout: rate must be a number in \[0, 1\), got number 1/],
  'layers.conv2d': [() => wt.layers.conv2d({ filters: 2, kernelSize: 0 }), /^conv2d: kernelSize must be a positive integer or a pair \[h, w\] of them, got number 0/],
  'layers.maxPooling2d': [() => wt.layers.maxPooling2d({ padding: 'full' as never }), /^maxPooling2d: padding must be 'valid' or 'same', got 'full'/],
  'layers.averagePooling2d': [() => wt.layers.averagePooling2d({ strides: [1] as never }), /^averagePooling2d: strides must be a positive integer or a pair/],
  'layers.Conv2D': [() => new wt.layers.Conv2D({ filters: 2, kernelSize: 3, kernel_size: 3 } as never), /^Conv2D: unknown option 'kernel_size'/],
  'layers.depthwiseConv2d': [() => wt.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 1.5 }), /^depthwiseConv2d: depthMultiplier must be a positive integer, got number 1.5/],
  'layers.separableConv2d': [() => wt.layers.separableConv2d({ kernelSize: 3 } as never), /^separableConv2d: filters must be a positive integer, got undefined/],
  'layers.DepthwiseConv2D': [() => new wt.layers.DepthwiseConv2D({ kernelSize: 3, kernelInitializer: 'zeros' } as never), /^DepthwiseConv2D: unknown option 'kernelInitializer'/],
  'layers.SeparableConv2D': [() => new wt.layers.SeparableConv2D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }), /^separableConv2d: strides \[2,2\] and dilationRate \[2,2\] cannot both be greater than 1/],
  'layers.MaxPooling2D': [() => new wt.layers.MaxPooling2D({ poolSize: 2.5 }), /^maxPooling2d: poolSize must be a positive integer/],
  'layers.AveragePooling2D': [() => new wt.layers.AveragePooling2D({ dataFormat: 'NCHW' as never }), /^averagePooling2d: dataFormat must be 'channelsLast' or 'channelsFirst', got 'NCHW'/],
  'layers.batchNormalization': [() => wt.layers.batchNormalization({ momentum: 1.5 }), /^batchNormalization: momentum must be a number in \[0, 1\], got number 1.5/],
  'layers.BatchNormalization': [() => new wt.layers.BatchNormalization({ axis: 'last' as never }), /^batchNormalization: axis must be an integer, got 'last'/],
  'layers.globalAveragePooling2d': [() => wt.layers.globalAveragePooling2d({ dataFormat: 'NHWC' as never }), /^globalAveragePooling2d: dataFormat must be 'channelsLast' or 'channelsFirst'/],
  'layers.globalMaxPooling2d': [() => wt.layers.globalMaxPooling2d({ keepDims: 1 as never }), /^globalMaxPooling2d: keepDims must be true or false, got number 1/],
  'layers.zeroPadding2d': [() => wt.layers.zeroPadding2d({ padding: -1 }), /^zeroPadding2d: padding must be a non-negative integer, a pair \[rows, cols\] or \[\[top, bottom\], \[left, right\]\], got number -1/],
  'layers.upSampling2d': [() => wt.layers.upSampling2d({ interpolation: 'bicubic' as never }), /^upSampling2d: interpolation must be 'nearest' or 'bilinear', got 'bicubic'/],
  'layers.reshape': [() => wt.layers.reshape({ targetShape: [-1, -1] }), /^reshape: targetShape must be an array of positive integers with at most one -1, got \[-1,-1\]/],
  'layers.permute': [() => wt.layers.permute({ dims: [0, 1] }), /^permute: dims must be a permutation of 1..n \(1-based; the batch axis is not included\), got \[0,1\]/],
  'layers.GlobalAveragePooling2D': [() => new wt.layers.GlobalAveragePooling2D({ data_format: 'channels_last' } as never), /^GlobalAveragePooling2D: unknown option 'data_format'/],
  'layers.GlobalMaxPooling2D': [() => new wt.layers.GlobalMaxPooling2D({ dataFormat: 'channels_first' as never }), /^globalMaxPooling2d: dataFormat must be 'channelsLast' or 'channelsFirst', got 'channels_first'/],
  'layers.ZeroPadding2D': [() => new wt.layers.ZeroPadding2D({ padding: [[1, 2], [3]] as never }), /^zeroPadding2d: padding must be a non-negative integer, a pair/],
  'layers.UpSampling2D': [() => new wt.layers.UpSampling2D({ size: 0 }), /^upSampling2d: size must be a positive integer or a pair \[h, w\] of them, got number 0/],
  'layers.Reshape': [() => new wt.layers.Reshape({} as never), /^reshape: targetShape must be an array of positive integers with at most one -1, got undefined/],
  'layers.Permute': [() => new wt.layers.Permute({ dims: [1, 1] }), /^permute: dims must be a permutation of 1..n/],
  'layers.simpleRNN': [() => wt.layers.simpleRNN({ units: 0 }), /^simpleRNN: units must be a positive integer, got number 0/],
  'layers.lstm': [() => wt.layers.lstm({ units: 4, recurrentActivation: 'softmax' }), /^lstm: recurrentActivation must be one of 'tanh', 'sigmoid', 'hardSigmoid', 'relu', 'linear', got 'softmax'/],
  'layers.SimpleRNN': [() => new wt.layers.SimpleRNN({ units: 2, stateful: true }), /^simpleRNN: stateful: true is not supported/],
  'layers.LSTM': [() => new wt.layers.LSTM({ units: 2, dropout: 1 }), /^lstm: dropout must be a number in \[0, 1\), got number 1/],
  'layers.gru': [() => wt.layers.gru({ units: 2, resetAfter: 'yes' as never }), /^gru: resetAfter must be true or false, got 'yes'/],
  'layers.GRU': [() => new wt.layers.GRU({ units: 2, implementation: 0 }), /^gru: implementation must be 1 or 2, got number 0/],
  'layers.bidirectional': [() => wt.layers.bidirectional({ layer: wt.layers.dense({ units: 2 }) as never }), /^bidirectional: layer must be a SimpleRNN, LSTM or GRU layer, got/],
  'layers.Bidirectional': [() => new wt.layers.Bidirectional({ layer: wt.layers.lstm({ units: 2 }), mergeMode: 'max' as never }), /^bidirectional: mergeMode must be one of 'concat', 'sum', 'mul', 'ave', got 'max'/],
  'layers.timeDistributed': [() => wt.layers.timeDistributed({ layer: 'dense' as never }), /^timeDistributed: layer must be a Layer, got 'dense'/],
  'layers.TimeDistributed': [() => new wt.layers.TimeDistributed({ layer: wt.layers.dense({ units: 2 }), units: 3 } as never), /^TimeDistributed: unknown option 'units'/],
  'layers.serialize': [() => wt.layers.serialize('bad' as never), /^layers.serialize: /],
  'layers.deserialize': [() => wt.layers.deserialize('bad' as never), /^layers.deserialize: the layer must be \{ class_name, config \}/],
  'layers.Layer': [() => new wt.layers.Layer('bad' as never), /^Layer: args must be an object, got 'bad'/],
  'layers.Dense': [() => new wt.layers.Dense({ units: 2, unit: 3 } as never), /^Dense: unknown option 'unit'/],
  'layers.Activation': [() => new wt.layers.Activation({} as never), /^activation: args.activation is required/],
  'layers.Flatten': [() => new wt.layers.Flatten({ trainable: 'no' } as never), /^Flatten: trainable must be true or false/],
  'layers.Dropout': [() => new wt.layers.Dropout({ rate: 0.5, seed: -1 }), /^dropout: seed must be a non-negative integer/],
  // sequence layers (test/seq)
  'layers.embedding': [() => wt.layers.embedding({ inputDim: 0, outputDim: 2 }), /^embedding: inputDim must be a positive integer, got number 0/],
  'layers.Embedding': [() => new wt.layers.Embedding({ inputDim: 3, outputDim: 2, maskZero: 'yes' } as never), /^embedding: maskZero must be true or false, got 'yes'/],
  'layers.conv1d': [() => wt.layers.conv1d({ filters: 2, kernelSize: [3, 3] as never }), /^conv1d: kernelSize must be a positive integer \(or a list of one\), got \[3,3\]/],
  'layers.Conv1D': [() => new wt.layers.Conv1D({ filters: 2, kernelSize: 3, padding: 'full' as never }), /^conv1d: padding must be 'valid', 'same' or 'causal', got 'full'/],
  'layers.globalAveragePooling1d': [() => wt.layers.globalAveragePooling1d({ dataFormat: 'NWC' as never }), /^globalAveragePooling1d: dataFormat must be 'channelsLast' or 'channelsFirst', got 'NWC'/],
  'layers.GlobalAveragePooling1D': [() => new wt.layers.GlobalAveragePooling1D({ data_format: 'channels_last' } as never), /^GlobalAveragePooling1D: unknown option 'data_format'/],
  'layers.globalMaxPooling1d': [() => wt.layers.globalMaxPooling1d({ keepDims: 1 as never }), /^globalMaxPooling1d: keepDims must be true or false, got number 1/],
  'layers.GlobalMaxPooling1D': [() => new wt.layers.GlobalMaxPooling1D({ dataFormat: 'channels_first' as never }), /^globalMaxPooling1d: dataFormat must be 'channelsLast' or 'channelsFirst'/],
  'layers.maxPooling1d': [() => wt.layers.maxPooling1d({ poolSize: 0 }), /^maxPooling1d: poolSize must be a positive integer \(or a list of one\), got number 0/],
  'layers.MaxPooling1D': [() => new wt.layers.MaxPooling1D({ padding: 'causal' as never }), /^maxPooling1d: padding must be 'valid' or 'same', got 'causal'/],
  'layers.averagePooling1d': [() => wt.layers.averagePooling1d({ strides: [1, 2] as never }), /^averagePooling1d: strides must be a positive integer \(or a list of one\)/],
  'layers.AveragePooling1D': [() => new wt.layers.AveragePooling1D({ poolSize: 2.5 }), /^averagePooling1d: poolSize must be a positive integer/],
  'layers.layerNormalization': [() => wt.layers.layerNormalization({ epsilon: -1 }), /^layerNormalization: epsilon must be a finite number >= 0, got number -1/],
  'layers.LayerNormalization': [() => new wt.layers.LayerNormalization({ axis: 'last' as never }), /^layerNormalization: axis must be an integer or a non-empty list of integers, got 'last'/],
  Layer: [() => new wt.Layer({ inputShape: [0] }), /^Layer: inputShape must be an array of positive integers/],
  Dense: [() => new wt.Dense({ units: 2, inputShape: 'a' } as never), /^Dense: inputShape must be an array of positive integers/],
  Activation: [() => new wt.Activation({ activation: 3 } as never), /^activation: activation must be a name/],
  Flatten: [() => new wt.Flatten({ name: '' }), /^Flatten: name must be a non-empty string/],
  Dropout: [() => new wt.Dropout({ rate: -0.1 }), /^dropout: rate must be a number in \[0, 1\)/],
  ...Object.fromEntries(['glorotUniform', 'glorotNormal', 'heUniform', 'heNormal', 'lecunUniform', 'lecunNormal'].map((n) => [
    `initializers.${n}`, [() => (wt.initializers as any)[n]({ seed: 1.5 }), new RegExp(`^${n}: seed must be an integer, got number 1.5`)] as Row])),
  'initializers.zeros': [() => wt.initializers.zeros({ value: 1 } as never), /^zeros: unknown option 'value'; valid options: none/],
  'initializers.ones': [() => wt.initializers.ones('bad' as never), /^ones: options must be an object/],
  'initializers.constant': [() => wt.initializers.constant({ value: 'a' } as never), /^constant: value must be a number, got 'a'/],
  'initializers.randomNormal': [() => wt.initializers.randomNormal({ stdDev: 1 } as never), /^randomNormal: unknown option 'stdDev'; valid options: mean, stddev, seed/],
  'initializers.randomUniform': [() => wt.initializers.randomUniform({ minval: 'a' } as never), /^randomUniform: minval must be a finite number, got 'a'/],
  'initializers.truncatedNormal': [() => wt.initializers.truncatedNormal({ mean: NaN }), /^truncatedNormal: mean must be a finite number/],
  'initializers.varianceScaling': [() => wt.initializers.varianceScaling({ mode: 'fan_in' } as never), /^varianceScaling: mode must be one of 'fanIn', 'fanOut', 'fanAvg', got 'fan_in'/],
  'regularizers.l1': [() => wt.regularizers.l1({ l1: -1 }), /^L1: l1 must be a non-negative number, got number -1/],
  'regularizers.l2': [() => wt.regularizers.l2({ l1: 0.1 } as never), /^l2: unknown option 'l1'; valid options: l2/],
  'regularizers.l1l2': [() => wt.regularizers.l1l2('bad' as never), /^l1l2: options must be an object/],
  Regularizer: [() => new wt.Regularizer('bad' as never), /^L1L2: l1 must be a non-negative number, got 'bad'/],
  ...Object.fromEntries(['relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'gelu', 'relu6', 'leakyRelu', 'linear'].map((n) => [
    `activations.${n}`, [() => (wt.activations as any)[n]('bad'), new RegExp(`^${n}: x must be a Tensor`)] as Row])),
  'activations.get': [() => wt.activations.get('swish'), /^getActivation: unknown activation 'swish'/],
  // models and callbacks
  sequential: [() => wt.sequential({ layer: [] } as never), /^sequential: unknown option 'layer'; valid options: layers, name/],
  Sequential: [() => new wt.Sequential('bad' as never), /^sequential: args must be an object/],
  History: [() => new wt.History().setParams('bad' as never), /^History: params must be an object/],
  EarlyStopping: [() => new wt.EarlyStopping({ patience: -1 }), /^earlyStopping: patience must be a non-negative integer/],
  TerminateOnNaN: [() => new wt.TerminateOnNaN('bad' as never), /^terminateOnNaN: log must be a function/],
  'callbacks.earlyStopping': [() => wt.callbacks.earlyStopping({ monitr: 'loss' } as never), /^earlyStopping: unknown option 'monitr'/],
  'callbacks.terminateOnNaN': [() => wt.callbacks.terminateOnNaN(3 as never), /^terminateOnNaN: log must be a function/],
  ProgressBar: [() => new wt.ProgressBar(-1, 1), /^ProgressBar: target must be a non-negative integer/],
  // the functional API and merge layers (test/functional)
  input: [() => wt.input({ shape: [-1] }), /^input: shape must be an array of positive integers \(or null\), got \[-1\]/],
  InputLayer: [() => new wt.InputLayer('bad' as never), /^InputLayer: args must be \{ batchInputShape, name\?, dtype\? \}, got 'bad'/],
  'layers.InputLayer': [() => new wt.layers.InputLayer({} as never), /^InputLayer: args must be \{ batchInputShape, name\?, dtype\? \}/],
  SymbolicTensor: [() => new wt.SymbolicTensor([null, 2], 'float32', 'bad' as never, 0, 'x'), /^SymbolicTensor: symbolic tensors are made by wt.input\(\) and layer.apply\(symbolic\)/],
  model: [() => wt.model({ inputs: 'bad', outputs: [] } as never), /^model: inputs must be a SymbolicTensor \(from wt.input\(\) or layer.apply\(symbolic\)\), got 'bad'/],
  LayersModel: [() => new wt.LayersModel({ inputs: wt.input({ shape: [2] }) } as never), /^model: args.outputs is required/],
  'layers.concatenate': [() => wt.layers.concatenate({ axis: 1.5 }), /^concatenate: axis must be an integer, got number 1.5/],
  'layers.Concatenate': [() => new wt.layers.Concatenate({ axes: 1 } as never), /^Concatenate: unknown option 'axes'/],
  'layers.add': [() => wt.layers.add([t(), wt.ones([2, 3])]), /^add(_\d+)?: layer 'add(_\d+)?' \(Add\) cannot merge inputs of shapes \[null,2\], \[null,3\]/],
  'layers.Add': [() => new wt.layers.Add().apply(t()), /^add(_\d+)?: layer 'add(_\d+)?' \(Add\) must be applied to an array of tensors or SymbolicTensors, got Tensor/],
  'layers.subtract': [() => wt.layers.subtract([t(), t(), t()]), /^subtract(_\d+)?: layer 'subtract(_\d+)?' \(Subtract\) takes exactly 2 inputs, got 3/],
  'layers.Subtract': [() => new wt.layers.Subtract({ unit: 1 } as never), /^Subtract: unknown option 'unit'/],
  'layers.multiply': [() => wt.layers.multiply([t()]), /^multiply(_\d+)?: layer 'multiply(_\d+)?' \(Multiply\) takes at least 2 inputs, got 1/],
  'layers.Multiply': [() => new wt.layers.Multiply({ name: '' }), /^Multiply: name must be a non-empty string/],
  'layers.average': [() => wt.layers.average([t(), 'bad'] as never), /^average(_\d+)?: layer 'average(_\d+)?' \(Average\) must be applied to an array of tensors or SymbolicTensors/],
  'layers.Average': [() => new wt.layers.Average('bad' as never), /^Average: args must be an object, got 'bad'/],
  'layers.maximum': [() => wt.layers.maximum([wt.input({ shape: [2] }), wt.input({ shape: [2, 2] })]), /^maximum(_\d+)?: .*\(Maximum\) cannot merge inputs of shapes \[null,2\], \[null,2,2\]: the inputs must all have the same rank/],
  'layers.Maximum': [() => new wt.layers.Maximum({ trainable: 1 } as never), /^Maximum: trainable must be true or false/],
  // data
  parseIdx: [() => wt.parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 9])), /^parseIdx: /],
};

// wt.io: the handlers check their arguments when made; loading bad files is test/io's subject.
Object.assign(TABLE, {
  'io.fromMemory': [() => wt.io.fromMemory('bad' as never), /^io.fromMemory: artifacts must be an object/],
  'io.withSaveHandler': [() => wt.io.withSaveHandler('bad' as never), /^io.withSaveHandler: saveFn must be a function/],
  'io.fileSystem': [() => wt.io.fileSystem({} as never), /^io.fileSystem: url must be a non-empty path or file:\/\/ URL/],
  'io.http': [() => wt.io.http({} as never), /^io.http: url must be a non-empty string/],
  'io.browserHTTPRequest': [() => wt.io.browserHTTPRequest('' as never), /^io.http: url must be a non-empty string/],
  'io.browserIndexedDB': [() => wt.io.browserIndexedDB('indexeddb://'), /^io.browserIndexedDB: the model needs a name/],
  'io.encodeWeights': [() => wt.io.encodeWeights([{ name: 'w', tensor: [1] }] as never), /^io.encodeWeights: named\[0\] must be \{ name: string, tensor: Tensor \}/],
  'io.decodeWeights': [() => wt.io.decodeWeights(new ArrayBuffer(4), 'bad' as never), /^io.decodeWeights: weightSpecs must be an array/],
} satisfies Record<string, Row>);

const ASYNC_TABLE: Record<string, Row> = {
  'io.modelArtifacts': [() => wt.io.modelArtifacts('bad' as never), /^io.modelArtifacts: model must be a Sequential model/],
  loadLayersModel: [() => wt.loadLayersModel('ftp://x/model.json'), /^loadLayersModel: urlOrHandler 'ftp:\/\/x\/model.json' has no supported scheme/],
  ready: [() => wt.ready({ threads: 2 } as never), /^ready: unknown option 'threads'; valid options: wasm, wasmBase, build/],
  'datasets.mnist.loadData': [() => wt.datasets.mnist.loadData('bad' as never), /^mnist.loadData: /],
};

// Functions that take no arguments (nothing to get wrong), and abstract base
// classes, which are extended, not called (their subclasses have rows).
// dispose takes any value, as tf.dispose: it frees the tensors inside and ignores the rest (test/memory.test.ts).
const ACCEPTS_ANY = new Set(['dispose']);
const NO_ARGUMENTS = new Set(['memory', 'getFlags', 'getThreads', 'getBackend', 'getBuild', 'getKernelSet', 'Initializer', 'Optimizer', 'optimizers.Optimizer']);

beforeAll(() => wt.ready());

describe('bad input across the API: the error names the function and what was expected', () => {
  for (const [name, [call, message]] of Object.entries(TABLE)) {
    it(name, () => {
      const before = wt.memory().numTensors;
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error, `${name} accepted a bad call`).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      // A rejected call may leave the test's own inputs (made in the row) behind, never a half-built result.
      expect(wt.memory().numTensors - before).toBeLessThanOrEqual(3);
    });
  }
  for (const [name, [call, message]] of Object.entries(ASYNC_TABLE)) {
    it(`${name} (async)`, async () => {
      await expect(Promise.resolve().then(call)).rejects.toThrow(message);
    });
  }

  it('covers every export: each function, class and namespace member has a row', () => {
    const missing: string[] = [];
    const covered = (n: string) => n in TABLE || n in ASYNC_TABLE || NO_ARGUMENTS.has(n) || ACCEPTS_ANY.has(n) || EXTERNAL.some((p) => n === p || n.startsWith(`${p}.`));
    for (const [name, value] of Object.entries(wt)) {
      if (typeof value === 'function') {
        if (!covered(name)) missing.push(name);
      } else if (value && typeof value === 'object') {
        for (const [member, v] of Object.entries(value)) {
          if (typeof v === 'function' && !covered(`${name}.${member}`)) missing.push(`${name}.${member}`);
          if (v && typeof v === 'object') for (const [m2, v2] of Object.entries(v)) if (typeof v2 === 'function' && !covered(`${name}.${member}.${m2}`)) missing.push(`${name}.${member}.${m2}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

// Exports whose bad-input rows live with their own suite (test/webgpu).
const EXTERNAL = ['webgpu', 'setBackend'];
