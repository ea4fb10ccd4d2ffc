// Bad calls to the recurrent layers fail with errors that name the layer and
// the shapes, and leave no tensors behind; bad configs fail before any weight.
import { beforeAll, describe, expect, test } from 'vitest';
import { setup, wt } from './helpers';

beforeAll(setup);

describe('recurrent layers: bad input', () => {
  test('input shape, mask, initial state, empty sequences', () => {
    const l = wt.layers.lstm({ units: 3, name: 'enc' });
    l.apply(wt.zeros([2, 4, 5]));
    expect(() => l.apply(wt.zeros([2, 5]))).toThrow(/^enc: layer 'enc' expects inputs \[batch, timesteps, 5\], got \[null,5\]/);
    expect(() => l.apply(wt.zeros([2, 4, 6]))).toThrow(/^enc: layer 'enc' expects inputs \[batch, timesteps, 5\], got \[null,4,6\]/);
    expect(() => l.call(wt.zeros([2, 4, 5]), { mask: wt.ones([2, 3]) })).toThrow(/^enc: mask must be \[batch, timesteps\] = \[2,4\], got \[2,3\]/);
    expect(() => l.call(wt.zeros([2, 4, 5]), { initialState: [wt.zeros([2, 3])] })).toThrow(/^enc: initialState must be an array of 2 tensors/);
    expect(() => l.call(wt.zeros([2, 4, 5]), { initialState: [wt.zeros([2, 3]), wt.zeros([3, 3])] })).toThrow(/^enc: an initial state must be \[2,3\], got \[3,3\]/);
    expect(() => l.call(wt.zeros([2, 0, 5]))).toThrow(/^enc: input \[2,0,5\] has no time steps/);
    const before = wt.memory().numTensors;
    expect(() => l.call(wt.zeros([2, 4, 5]), { mask: wt.ones([4, 2]) })).toThrow(/mask must be/);
    expect(wt.memory().numTensors).toBe(before + 2); // only the input and the mask
    l.dispose();
  });

  test('arguments', () => {
    expect(() => wt.layers.lstm({ units: 2.5 })).toThrow(/^lstm: units must be a positive integer, got number 2.5/);
    expect(() => wt.layers.simpleRNN({ units: 2, activation: 'softmax' })).toThrow(/^simpleRNN: activation must be one of 'tanh', 'sigmoid', 'hardSigmoid', 'relu', 'linear', got 'softmax'/);
    expect(() => wt.layers.lstm({ units: 2, returnSequence: true } as never)).toThrow(/^LSTM: unknown option 'returnSequence'/);
    expect(() => wt.layers.lstm({ units: 2, implementation: 3 })).toThrow(/^lstm: implementation must be 1 or 2, got number 3/);
    expect(() => wt.layers.lstm({ units: 2, goBackwards: 1 as never })).toThrow(/^lstm: goBackwards must be true or false, got number 1/);
    const l = wt.layers.gru({ units: 2, recurrentDropout: 0.2, name: 'rd' });
    expect(() => l.apply(wt.zeros([1, 2, 3]), { training: true })).toThrow(/^rd: recurrentDropout 0.2 in training is not supported for GRU yet/);
    expect(l.apply(wt.ones([1, 2, 3])).shape).toEqual([1, 2]); // inference ignores it, as Keras
    l.dispose();
  });

  test('configs', () => {
    const cfg = (c: Record<string, unknown>, cls = 'LSTM') => ({ class_name: cls, config: { name: 'r', units: 2, ...c } });
    expect(() => wt.layers.deserialize(cfg({ stateful: true }))).toThrow(/^layers.deserialize: layer 'r' \(config, LSTM\) is stateful, which is not supported/);
    expect(() => wt.layers.deserialize(cfg({ recurrent_constraint: { class_name: 'MaxNorm', config: {} } }))).toThrow(/sets recurrent_constraint = .* which is not supported/);
    expect(() => wt.layers.deserialize(cfg({ units: 0 }, 'SimpleRNN'))).toThrow(/^layers.deserialize: layer 'r' \(config, SimpleRNN\) units must be a positive integer, got number 0/);
    expect(() => wt.layers.deserialize(cfg({ recurrent_activation: 'swish' }))).toThrow(/recurrent_activation must be one of/);
    expect(() => wt.layers.deserialize(cfg({ reset_after: 'yes' }, 'GRU'))).toThrow(/^layers.deserialize: layer 'r' \(config, GRU\) reset_after must be a boolean, got 'yes'/);
  });
});
