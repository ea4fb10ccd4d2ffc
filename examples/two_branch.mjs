// A two-branch, two-input network built with the functional API: each input
// has its own Dense branch, concatenate joins them, and a small head
// classifies. The synthetic task needs both inputs: the label is 1 when
// exactly one of sum(a) and sum(b) is positive (an XOR of the two signs), so
// neither branch alone does better than chance. Run: node examples/two_branch.mjs
// (or wasmtensor two-branch, which calls twoBranch() below with its own
// checked flags). Options (argv or env): --epochs N / EPOCHS (default 20),
// --samples N / SAMPLES (default 4000), --seed N / SEED (default 1).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as wt from 'wasmtensor';

/** n samples: a [n, 8] and b [n, 4] from N(0, 1); y [n, 1] = sign(sum a) XOR sign(sum b), all computed by tensor ops. */
function makeData(n) {
  return wt.tidy(() => {
    const a = wt.randomNormal([n, 8]);
    const b = wt.randomNormal([n, 4]);
    const y = wt.notEqual(wt.greater(wt.sum(a, 1, true), 0), wt.greater(wt.sum(b, 1, true), 0)).astype('float32');
    return { a, b, y };
  });
}

/** Builds, trains and evaluates the model; prints Keras-style progress and the test figures. */
export async function twoBranch({ epochs = 20, samples = 4000, seed = 1 } = {}) {
  await wt.ready();
  wt.setRandomSeed(seed);

  // Two inputs, one branch each, joined by concatenate.
  const a = wt.input({ shape: [8], name: 'a' });
  const b = wt.input({ shape: [4], name: 'b' });
  const branchA = wt.layers.dense({ units: 16, activation: 'relu', name: 'branch_a' }).apply(a);
  const branchB = wt.layers.dense({ units: 16, activation: 'relu', name: 'branch_b' }).apply(b);
  const joined = wt.layers.concatenate({ name: 'joined' }).apply([branchA, branchB]);
  const hidden = wt.layers.dense({ units: 16, activation: 'relu', name: 'head' }).apply(joined);
  const output = wt.layers.dense({ units: 1, activation: 'sigmoid', name: 'xor' }).apply(hidden);
  const model = wt.model({ inputs: [a, b], outputs: output, name: 'two_branch' });
  model.summary();

  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const train = makeData(samples);
  const test = makeData(Math.max(10, Math.floor(samples / 4)));
  console.log(`two-branch: ${samples} training and ${test.y.shape[0]} test samples, adam, ${epochs} epoch(s), seed ${seed}`);
  const started = performance.now();
  // Inputs by name (an array [train.a, train.b] works too).
  await model.fit({ a: train.a, b: train.b }, train.y, { epochs, batchSize: 64, verbose: 2 });
  const seconds = (performance.now() - started) / 1000;
  const [loss, acc] = model.evaluate([test.a, test.b], test.y);
  const result = { seconds, testLoss: loss.dataSync()[0], testAccuracy: acc.dataSync()[0] };
  console.log(`training time: ${seconds.toFixed(1)} s`);
  console.log(`test_loss: ${result.testLoss.toFixed(4)}`);
  console.log(`test_acc: ${result.testAccuracy.toFixed(4)}`);
  model.dispose();
  for (const t of [train.a, train.b, train.y, test.a, test.b, test.y, loss, acc]) t.dispose();
  return result;
}

// Run directly (node examples/two_branch.mjs), not imported by the CLI.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: flags } = parseArgs({ options: { epochs: { type: 'string' }, samples: { type: 'string' }, seed: { type: 'string' } } });
  const options = {
    epochs: Number(flags.epochs ?? process.env.EPOCHS ?? 20),
    samples: Number(flags.samples ?? process.env.SAMPLES ?? 4000),
    seed: Number(flags.seed ?? process.env.SEED ?? 1),
  };
  for (const [name, min] of [['epochs', 1], ['samples', 10], ['seed', 0]]) {
    if (!Number.isInteger(options[name]) || options[name] < min) throw new Error(`examples/two_branch: --${name} must be an integer >= ${min}, got ${options[name]}`);
  }
  await twoBranch(options);
}
