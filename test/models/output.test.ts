// What fit and summary print: Keras' summary table and progress bar, with a
// fake stream and clock.
import { beforeAll, describe, expect, test } from 'vitest';
import { blobs, setup, wt } from './helpers';

beforeAll(setup);

describe('summary', () => {
  test("the seed's 784-512-10 network: Keras 3 table, parameter counts and totals", () => {
    const model = wt.sequential({ name: 'mnist_mlp' });
    model.add(wt.layers.dense({ units: 512, activation: 'relu', inputShape: [784], name: 'hidden' }));
    model.add(wt.layers.dense({ units: 10, activation: 'softmax', name: 'probs' }));
    const lines: string[] = [];
    model.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines).toEqual([
      'Model: "mnist_mlp"',
      '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)                    ┃ Output Shape          ┃        Param # ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━┩',
      '│ hidden (Dense)                  │ (None, 512)           │        401,920 │',
      '├─────────────────────────────────┼───────────────────────┼────────────────┤',
      '│ probs (Dense)                   │ (None, 10)            │          5,130 │',
      '└─────────────────────────────────┴───────────────────────┴────────────────┘',
      ' Total params: 407,050 (1.55 MB)',
      ' Trainable params: 407,050 (1.55 MB)',
      ' Non-trainable params: 0 (0.00 B)',
    ]);
    expect(lines.slice(1, 8).every((l) => [...l].length === 76)).toBe(true);
    expect(model.countParams()).toBe(407050);
    model.layers[1].trainable = false;
    const again: string[] = [];
    model.summary(60, [0.5, 0.8, 1], (l) => again.push(l));
    expect(again.slice(1, 8).every((l) => [...l].length === 60)).toBe(true);
    expect(again.slice(-2)).toEqual([' Trainable params: 401,920 (1.53 MB)', ' Non-trainable params: 5,130 (20.04 KB)']);
    model.dispose();
  });

  test('flatten and dropout rows; unnamed layers are numbered', () => {
    const model = wt.sequential({ layers: [wt.layers.flatten({ inputShape: [28, 28] }), wt.layers.dropout({ rate: 0.2 })] });
    const lines: string[] = [];
    model.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines[4]).toMatch(/^│ flatten(_\d+)? \(Flatten\) +│ \(None, 784\) +│ +0 │$/);
    expect(lines[6]).toMatch(/^│ dropout(_\d+)? \(Dropout\) +│ \(None, 784\) +│ +0 │$/);
  });
});

/** A stream that records writes, and a clock the test advances. */
function fakeIo(isTTY: boolean) {
  const writes: string[] = [];
  let t = 0;
  return {
    writes,
    stream: { isTTY, write: (s: string) => void writes.push(s) },
    now: () => t,
    advance: (ms: number) => void (t += ms),
  };
}

describe('progress bar (Keras format)', () => {
  test('not a TTY: one line per epoch with total time, time per step and 4-decimal metrics', () => {
    const io = fakeIo(false);
    const bar = new wt.ProgressBar(469, 1, io);
    for (let i = 1; i <= 469; i++) {
      io.advance(i === 1 ? 400 : 12);
      bar.update(i, [['accuracy', 0.92581], ['loss', 0.26014]]);
    }
    bar.update(469, [['accuracy', 0.92581], ['loss', 0.26014], ['val_accuracy', 0.95], ['val_loss', 0.000123]], true);
    expect(io.writes).toEqual(['469/469 ━━━━━━━━━━━━━━━━━━━━ 6s 12ms/step - accuracy: 0.9258 - loss: 0.2601 - val_accuracy: 0.9500 - val_loss: 1.2300e-04\n']);
  });

  test('TTY: rewrites in place with \\r at most every 100 ms, ETA while running, elapsed at the end', () => {
    const io = fakeIo(true);
    const bar = new wt.ProgressBar(10, 1, io);
    const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
    io.advance(500);
    bar.update(1, [['loss', 1.5]]); // first step (warm-up) excluded from the step time later
    io.advance(50);
    bar.update(2, [['loss', 1.25]]); // within 100 ms of the last write: skipped
    io.advance(100);
    bar.update(4, [['loss', 1.0]]);
    io.advance(2000);
    bar.update(10, [['loss', 0.5]], true);
    expect(io.writes.map(plain)).toEqual([
      '\r 1/10 ━━━━━━━━━━━━━━━━━━━━ 4s 500ms/step - loss: 1.5000',
      '\r 4/10 ━━━━━━━━━━━━━━━━━━━━ 0s 50ms/step - loss: 1.0000 ', // padded over the longer previous line
      '\r10/10 ━━━━━━━━━━━━━━━━━━━━ 3s 239ms/step - loss: 0.5000\n',
    ]);
    // The done part of the bar is green, the rest white, like Keras.
    expect(io.writes[1]).toContain('\x1b[32m━━━━━━━━\x1b[0m\x1b[37m━━━━━━━━━━━━\x1b[0m');
  });

  test('ETA and step-time units: m:ss, h:mm:ss, s/step, us/step; verbose 2 compact line', () => {
    const io = fakeIo(true);
    const bar = new wt.ProgressBar(10000, 1, io);
    io.advance(1500);
    bar.update(1, []);
    expect(io.writes[0]).toContain(' 4:09:58 2s/step');
    const io2 = fakeIo(false);
    const bar2 = new wt.ProgressBar(1000, 2, io2);
    for (let i = 1; i <= 1000; i++) {
      io2.advance(0.5);
      bar2.update(i, [['loss', 0.1]]);
    }
    bar2.update(1000, [['loss', 0.1]], true);
    expect(io2.writes).toEqual(['1000/1000 - 1s - 500us/step - loss: 0.1000\n']);
  });

  test('fit prints `Epoch i/n` headers and sorted metrics, val_* last (verbose 1 and 2)', async () => {
    // A metric value as Keras prints it: 4 decimals, or 4-digit scientific when |v| <= 1e-3 (e.g. an accuracy of 0).
    const V = String.raw`(?:\d\.\d{4}|\d\.\d{4}e[+-]\d\d)`;
    const { x, y } = blobs(40, 2);
    const model = wt.sequential({ layers: [wt.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['mae', 'accuracy'] });
    for (const verbose of [1, 2] as const) {
      const io = fakeIo(false);
      await model.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.25, verbose, progress: io });
      expect(io.writes).toHaveLength(4);
      expect(io.writes[0]).toBe('Epoch 1/2\n');
      expect(io.writes[2]).toBe('Epoch 2/2\n');
      const line = verbose === 1
        ? new RegExp(`^4/4 ━{20} 0s 0s/step - accuracy: ${V} - loss: ${V} - mae: ${V} - val_accuracy: ${V} - val_loss: ${V} - val_mae: ${V}\n$`)
        : new RegExp(`^4/4 - 0s - 0s/step - accuracy: ${V} - loss: ${V} - mae: ${V} - val_accuracy: ${V} - val_loss: ${V} - val_mae: ${V}\n$`);
      expect(io.writes[1]).toMatch(line);
    }
    const io = fakeIo(false);
    await model.fit(x, y, { epochs: 1, verbose: 0, progress: io });
    expect(io.writes).toEqual([]);
    model.dispose();
  });
});
