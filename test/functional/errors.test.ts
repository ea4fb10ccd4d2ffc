// Bad graphs and bad data fail early, naming the layers involved:
// disconnected inputs, outputs needing an input the model lacks, merge
// inputs given to single-input layers, duplicate names, and x / y in the
// wrong form for the model's inputs and outputs.
import { beforeAll, describe, expect, test } from 'vitest';
import { randTensor, setup, wt } from './helpers';

beforeAll(setup);

describe('bad graphs', () => {
  test('an input no output depends on is disconnected', () => {
    const a = wt.input({ shape: [2], name: 'used' });
    const b = wt.input({ shape: [2], name: 'unused' });
    const out = wt.layers.dense({ units: 1, name: 'only_a' }).apply(a) as wt.SymbolicTensor;
    expect(() => wt.model({ inputs: [a, b], outputs: out, name: 'm1' })).toThrow(/^model: input 'unused' is disconnected: none of the outputs \('only_a'\) of model 'm1' depends on it/);
  });

  test('an output needing an input the model does not list', () => {
    const a = wt.input({ shape: [2], name: 'given' });
    const b = wt.input({ shape: [2], name: 'forgotten' });
    const cat = wt.layers.concatenate({ name: 'needs_both' }).apply([a, b]) as wt.SymbolicTensor;
    expect(() => wt.model({ inputs: a, outputs: cat, name: 'm2' })).toThrow(/^model: output 'needs_both' \(layer 'needs_both'\) depends on input 'forgotten', which is not in the inputs of model 'm2' \('given'\); add it to inputs/);
  });

  test('inputs must come from wt.input; outputs must be symbolic', () => {
    const a = wt.input({ shape: [2], name: 'in_ok' });
    const h = wt.layers.dense({ units: 2, name: 'hidden_x' }).apply(a) as wt.SymbolicTensor;
    expect(() => wt.model({ inputs: h, outputs: h })).toThrow(/^model: inputs\[0\] \('hidden_x'\) is the output of layer 'hidden_x' \(Dense\); model inputs must come from wt.input\(\)/);
    expect(() => wt.model({ inputs: a, outputs: wt.ones([2, 2]) as never })).toThrow(/^model: outputs must be a SymbolicTensor \(from wt.input\(\) or layer.apply\(symbolic\)\), got Tensor/);
    expect(() => wt.model({ inputs: [a, a], outputs: h })).toThrow(/^model: input 'in_ok' is listed twice in inputs/);
    expect(() => wt.model({ inputs: a } as never)).toThrow(/^model: args.outputs is required/);
    expect(() => wt.model({ inputs: a, outputs: h, output: h } as never)).toThrow(/^model: unknown option 'output'/);
  });

  test('a single-input layer given several inputs, and two layers of one name', () => {
    const a = wt.input({ shape: [2], name: 'p' });
    const b = wt.input({ shape: [2], name: 'q' });
    expect(() => wt.layers.dense({ units: 1, name: 'single' }).apply([a, b])).toThrow(/^single: layer 'single' \(Dense\) takes one input, got 2: 'p', 'q'; merge them first/);
    const x = wt.layers.dense({ units: 2, name: 'twin' }).apply(a) as wt.SymbolicTensor;
    const y = wt.layers.activation({ activation: 'relu', name: 'twin' }).apply(x) as wt.SymbolicTensor;
    expect(() => wt.model({ inputs: a, outputs: y })).toThrow(/^model: two different layers of model '.*' are named 'twin' \(Dense and Activation\)/);
  });

  test('a shape a built layer cannot take', () => {
    const a = wt.input({ shape: [3], name: 'three' });
    const b = wt.input({ shape: [4], name: 'four' });
    const d = wt.layers.dense({ units: 2, name: 'fixed' });
    d.apply(a);
    expect(() => d.apply(b)).toThrow(/^fixed: layer 'fixed' expects inputs .*\[null,3\]\)?, got \[null,4\]/);
  });

  test('cycles in a file are reported with the layers', async () => {
    const topo = {
      class_name: 'Functional',
      config: {
        name: 'loop',
        layers: [
          { class_name: 'InputLayer', name: 'cin', config: { name: 'cin', batch_input_shape: [null, 2] }, inbound_nodes: [] },
          { class_name: 'Add', name: 'c1', config: { name: 'c1' }, inbound_nodes: [[['cin', 0, 0, {}], ['c2', 0, 0, {}]]] },
          { class_name: 'Add', name: 'c2', config: { name: 'c2' }, inbound_nodes: [[['cin', 0, 0, {}], ['c1', 0, 0, {}]]] },
        ],
        input_layers: [['cin', 0, 0]],
        output_layers: [['c2', 0, 0]],
      },
    };
    await expect(wt.loadLayersModel(wt.io.fromMemory({ modelTopology: topo }))).rejects.toThrow(/^loadLayersModel: the calls of layers 'c1', 'c2' wait on each other's outputs \(a cycle in inbound_nodes\)/);
    const missing = structuredClone(topo);
    missing.config.layers[1].inbound_nodes = [[['cin', 0, 0, {}], ['nope', 0, 0, {}]]];
    await expect(wt.loadLayersModel(wt.io.fromMemory({ modelTopology: missing }))).rejects.toThrow(/^loadLayersModel: layers\[1\] \('c1'\) inbound_nodes\[0\]\[1\] refers to layer 'nope', which the model does not have/);
  });
});

describe('bad data', () => {
  const build = () => {
    const a = wt.input({ shape: [2], name: 'da' });
    const b = wt.input({ shape: [3], name: 'db' });
    const cat = wt.layers.concatenate().apply([a, b]) as wt.SymbolicTensor;
    const o1 = wt.layers.dense({ units: 1, name: 'o1' }).apply(cat) as wt.SymbolicTensor;
    const o2 = wt.layers.dense({ units: 2, activation: 'softmax', name: 'o2' }).apply(cat) as wt.SymbolicTensor;
    return wt.model({ inputs: [a, b], outputs: [o1, o2] });
  };

  test('x and y in the wrong form name the inputs and outputs', async () => {
    const m = build();
    const xa = randTensor([4, 2], 1);
    const xb = randTensor([4, 3], 2);
    expect(() => m.predict(xa)).toThrow(/^predict: x is one tensor, but the model has 2 inputs \('da', 'db'\)/);
    expect(() => m.predict([xa])).toThrow(/^predict: x has 1 tensors, but the model has 2 inputs \('da', 'db'\)/);
    expect(() => m.predict({ da: xa })).toThrow(/^predict: x is missing input 'db'/);
    expect(() => m.predict({ da: xa, db: xb, dc: xb })).toThrow(/^predict: x has key 'dc', which is not an input of the model/);
    expect(() => m.predict([xb, xa])).toThrow(/^predict: x \('da'\) has shape \[4,3\], but the model expects inputs of shape \[null,2\]/);
    expect(() => m.predict([xa, randTensor([5, 3], 3)])).toThrow(/^predict: every input needs the same number of samples: 'da' has 4, 'db' has 5/);
    expect(() => m.evaluate([xa, xb], wt.zeros([4, 1]))).toThrow(/^evaluate: the model must be compiled first/);
    m.compile({ optimizer: 'sgd', loss: ['mse', 'categoricalCrossentropy'] });
    expect(() => m.evaluate([xa, xb], wt.zeros([4, 1]))).toThrow(/^evaluate: y is one tensor, but the model has 2 outputs \('o1', 'o2'\)/);
    expect(() => m.evaluate([xa, xb], [wt.zeros([4, 1]), wt.zeros([4, 3])])).toThrow(/^evaluate: y \('o2'\) has shape \[4,3\], but the model outputs \(None, 2\)/);
    await expect(m.fit([xa, xb], { o1: wt.zeros([4, 1]) }, { verbose: 0 })).rejects.toThrow(/^fit: y is missing output 'o2'/);
    m.dispose();
  });

  test('compile checks per-output settings against the output names', () => {
    const m = build();
    expect(() => m.compile({ optimizer: 'sgd', loss: ['mse'] })).toThrow(/^compile: loss has 1 entries, but the model has 2 outputs \('o1', 'o2'\)/);
    expect(() => m.compile({ optimizer: 'sgd', loss: { o1: 'mse', o3: 'mse' } })).toThrow(/^compile: loss names 'o3', which is not an output; outputs: 'o1', 'o2'/);
    expect(() => m.compile({ optimizer: 'sgd', loss: { o1: 'mse' } })).toThrow(/^compile: loss has no entry for output 'o2'/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: [1, 'x'] as never })).toThrow(/^compile: lossWeights for output 'o2' must be a finite number, got 'x'/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: 2 as never })).toThrow(/^compile: lossWeights must be given once, as an array/);
    m.dispose();
  });

  test('wt.input checks its arguments', () => {
    expect(() => wt.input({} as never)).toThrow(/^input: args.shape is required, e.g. wt.input\(\{ shape: \[784\] \}\)/);
    expect(() => wt.input({ shape: [0] })).toThrow(/^input: shape must be an array of positive integers \(or null\), got \[0\]/);
    expect(() => wt.input({ shape: [2], batchShape: [null, 2] })).toThrow(/^input: give shape or batchShape, not both/);
    expect(() => wt.input({ shape: [2], dtype: 'bool' as never })).toThrow(/^input: dtype must be 'float32' or 'int32', got 'bool'/);
    expect(() => wt.input({ shape: [2], sparse: true } as never)).toThrow(/^input: unknown option 'sparse'/);
  });
});
