// summary() of a functional model: Keras 3's four-column table with the
// "Connected to" column ('<layer>[<node>][<tensor>]', one per line).
import { beforeAll, describe, expect, test } from 'vitest';
import { setup, wt } from './helpers';

beforeAll(setup);

function lines(m: wt.LayersModel, ...args: [number?, number[]?]): string[] {
  const out: string[] = [];
  m.summary(args[0], args[1], (l) => out.push(l));
  return out;
}

describe('functional summary', () => {
  test('a two-branch model: every layer, its output shape, params and inputs', () => {
    const a = wt.input({ shape: [4], name: 'left' });
    const b = wt.input({ shape: [6], name: 'right' });
    const da = wt.layers.dense({ units: 8, activation: 'relu', name: 'left_dense' }).apply(a) as wt.SymbolicTensor;
    const db = wt.layers.dense({ units: 8, activation: 'relu', name: 'right_dense' }).apply(b) as wt.SymbolicTensor;
    const cat = wt.layers.concatenate({ name: 'merged' }).apply([da, db]) as wt.SymbolicTensor;
    const out = wt.layers.dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(cat) as wt.SymbolicTensor;
    const m = wt.model({ inputs: [a, b], outputs: out, name: 'two_branch' });
    const text = lines(m);
    expect(text[0]).toBe('Model: "two_branch"');
    expect(text[2]).toMatch(/^┃ Layer \(type\) +┃ Output Shape +┃ +Param # ┃ Connected to +┃$/);
    expect(text.find((l) => l.includes('left_dense (Dense)'))).toMatch(/│ \(None, 8\) +│ +40 │ left\[0\]\[0\] +│$/);
    const merged = text.findIndex((l) => l.includes('merged (Concatenate)'));
    expect(text[merged]).toMatch(/│ \(None, 16\) +│ +0 │ left_dense\[0\]\[0\], +│$/);
    expect(text[merged + 1]).toMatch(/^│ +│ +│ +│ right_dense\[0\]\[0\] +│$/);
    expect(text.slice(-3)).toEqual([' Total params: 113 (452.00 B)', ' Trainable params: 113 (452.00 B)', ' Non-trainable params: 0 (0.00 B)']);
    expect(new Set(text.slice(1, -3).map((l) => l.length)).size).toBe(1);
    m.dispose();
  });

  test('a shared layer lists both calls; a layer outputting different shapes shows "multiple"', () => {
    const x = wt.input({ shape: [3], name: 'sx' });
    const y = wt.input({ shape: [5, 3], name: 'sy' });
    const shared = wt.layers.dense({ units: 2, name: 'sd' });
    const a = shared.apply(x) as wt.SymbolicTensor;
    const b = wt.layers.flatten({ name: 'sf' }).apply(shared.apply(y)) as wt.SymbolicTensor;
    const m = wt.model({ inputs: [x, y], outputs: wt.layers.concatenate({ name: 'sc' }).apply([a, b]) as wt.SymbolicTensor });
    const text = lines(m);
    const row = text.findIndex((l) => l.includes('sd (Dense)'));
    expect(text[row]).toMatch(/│ multiple +│ +8 │ sx\[0\]\[0\], +│$/);
    expect(text[row + 1]).toMatch(/│ sy\[0\]\[0\] +│$/);
    expect(text.find((l) => l.includes('sf (Flatten)'))).toMatch(/│ sd\[1\]\[0\] +│$/);
    m.dispose();
  });

  test('bad lineLength / positions fail with the fix', () => {
    const x = wt.input({ shape: [2] });
    const m = wt.model({ inputs: x, outputs: wt.layers.dense({ units: 1 }).apply(x) as wt.SymbolicTensor });
    expect(() => m.summary(10)).toThrow(/^summary: lineLength must be an integer >= 40, got number 10/);
    expect(() => m.summary(100, [0.5, 0.2, 0.7, 1])).toThrow(/^summary: positions must be 4 increasing positive numbers/);
    m.dispose();
  });
});
