// A character-level language model ("Deep Learning with Python", chapter 8's
// text generation, in small): an LSTM reads 32 characters and predicts the
// next one; after training it writes text one sampled character at a time.
// The text is this project's own README (shipped with the package), or any
// file given with --text. Run: node examples/char_rnn.mjs (or wasmtensor char-rnn,
// which calls charRnn() below with its own checked flags).
// Options (argv or env): --epochs N / EPOCHS (default 10), --text PATH / TEXT,
// --chars N / CHARS (characters of the text to train on, default 20000),
// --seed N / SEED (default 1), --temperature T / TEMPERATURE (default 0.5).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as wt from 'wasmtensor';

export const README = new URL('../README.md', import.meta.url);

/** Trains the model on `text` (a path or URL) and prints 240 generated characters. */
export async function charRnn({ epochs = 10, text: textPath = README, chars: maxChars = 20000, seed = 1, temperature = 0.5 } = {}) {
  await wt.ready();
  wt.setRandomSeed(seed);

  // The corpus: lower case, runs of white space as one space, only printable ASCII.
  const text = readFileSync(textPath, 'utf8').toLowerCase().replace(/\s+/g, ' ').replace(/[^ -~]/g, '').slice(0, maxChars);
  const vocab = [...new Set(text)].sort();
  const codeOf = new Map(vocab.map((c, i) => [c, i]));
  const codes = Int32Array.from(text, (c) => codeOf.get(c));
  console.log(`corpus: ${text.length} characters, ${vocab.length} distinct`);

  // Windows of SEQ characters every STEP characters; the target is the character after each.
  const SEQ = 32;
  const STEP = 3;
  const n = Math.floor((codes.length - SEQ - 1) / STEP);
  const windows = new Int32Array(n * SEQ);
  const next = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    windows.set(codes.subarray(i * STEP, i * STEP + SEQ), i * SEQ);
    next[i] = codes[i * STEP + SEQ];
  }
  const x = wt.tensor(windows, [n, SEQ], 'int32');
  const y = wt.tensor(next, [n], 'int32');

  const model = wt.sequential();
  model.add(wt.layers.embedding({ inputDim: vocab.length, outputDim: 24, inputLength: SEQ }));
  model.add(wt.layers.lstm({ units: 128 }));
  model.add(wt.layers.dense({ units: vocab.length, activation: 'softmax' }));
  model.summary();
  model.compile({ optimizer: wt.train.adam(0.005), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs, batchSize: 128, verbose: 2 });

  /**
   * The next character's index, sampled from the model's distribution sharpened
   * by `temperature`: the Gumbel-max trick, argmax(log p / T + G) with G
   * Gumbel noise, draws from softmax(log p / T) in tensor ops.
   */
  function sample(window) {
    return wt.tidy(() => {
      const p = model.predict(wt.tensor(window, [1, SEQ], 'int32'));
      const u = wt.randomUniform(p.shape, 1e-7, 1);
      const gumbel = wt.neg(wt.log(wt.neg(wt.log(u))));
      return wt.argMax(wt.add(wt.div(wt.log(wt.add(p, 1e-9)), temperature), gumbel), 1).dataSync()[0];
    });
  }

  const start = Math.floor(codes.length / 2);
  const window = Int32Array.from(codes.subarray(start, start + SEQ));
  let generated = '';
  for (let i = 0; i < 240; i++) {
    const c = sample(window);
    generated += vocab[c];
    window.copyWithin(0, 1);
    window[SEQ - 1] = c;
  }
  console.log(`seed text: "${text.slice(start, start + SEQ)}"`);
  console.log(`generated (temperature ${temperature}): "${generated}"`);
  model.dispose();
  x.dispose();
  y.dispose();
  return { loss: history.history.loss, accuracy: history.history.accuracy, vocab, generated };
}

// Run directly (node examples/char_rnn.mjs), not imported by the CLI.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: flags } = parseArgs({
    options: {
      epochs: { type: 'string' }, text: { type: 'string' }, chars: { type: 'string' },
      seed: { type: 'string' }, temperature: { type: 'string' },
    },
  });
  const options = {
    epochs: Number(flags.epochs ?? process.env.EPOCHS ?? 10),
    chars: Number(flags.chars ?? process.env.CHARS ?? 20000),
    seed: Number(flags.seed ?? process.env.SEED ?? 1),
    temperature: Number(flags.temperature ?? process.env.TEMPERATURE ?? 0.5),
    text: flags.text ?? process.env.TEXT ?? README,
  };
  for (const [name, min] of [['epochs', 1], ['chars', 200], ['seed', 0]]) {
    if (!Number.isInteger(options[name]) || options[name] < min) throw new Error(`examples/char_rnn: --${name} must be an integer >= ${min}, got ${options[name]}`);
  }
  if (!(options.temperature > 0)) throw new Error(`examples/char_rnn: --temperature must be a number > 0, got ${options.temperature}`);
  await charRnn(options);
}
