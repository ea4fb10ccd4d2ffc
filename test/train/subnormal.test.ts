// Optimizer slots that decay toward zero are flushed to 0 instead of passing
// through subnormal floats (about 15x slower on x86; wasm has no FTZ mode).
// Every slot of every optimizer, after many zero-gradient steps from small
// values, is either 0 or a normal float; the weights still follow the Keras
// formulas (the other optimizer tests), since a subnormal slot changes no update.
import { beforeAll, describe, expect, it } from 'vitest';
import * as wt from '../../src/index';

beforeAll(() => wt.ready());

const MIN_NORMAL = 1.1754943508222875e-38;

const cases: [string, () => wt.Optimizer][] = [
  ['SGD momentum', () => new wt.SGD({ learningRate: 0.1, momentum: 0.9 })],
  ['SGD nesterov', () => new wt.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['RMSprop', () => new wt.RMSprop()],
  ['RMSprop centered + momentum', () => new wt.RMSprop({ centered: true, momentum: 0.5 })],
  ['Adam', () => new wt.Adam()],
  ['Adamax', () => new wt.Adamax()],
  ['Adadelta', () => new wt.Adadelta({ learningRate: 1 })],
];

describe('optimizer slots never hold subnormal floats', () => {
  for (const [label, make] of cases) {
    it(label, async () => {
      const name = `sub_${label.replace(/\W/g, '')}`;
      // 37 elements: the SIMD blocks and the scalar tail.
      const v = wt.variable(wt.fill([37], 0.5), true, name);
      const opt = make();
      // Tiny gradients fill the slots with small values, then zero gradients let them decay through the subnormal range.
      for (let i = 0; i < 3; i++) opt.applyGradients({ [name]: wt.fill([37], 1e-18) });
      for (let i = 0; i < 2000; i++) opt.applyGradients({ [name]: wt.zeros([37]) });
      const slots = (await opt.getWeights()).filter((w) => w.name !== 'iter');
      expect(slots.length).toBeGreaterThan(0);
      for (const { name: slot, tensor } of slots) {
        for (const x of tensor.dataSync()) {
          expect(x === 0 || Math.abs(x) >= MIN_NORMAL, `${slot} holds ${x}`).toBe(true);
        }
      }
      expect(Array.from(v.dataSync()).every(Number.isFinite)).toBe(true);
      v.dispose();
      opt.dispose();
    });
  }
});
