#!/usr/bin/env node
// The wasmtensor command line:
//   wasmtensor mnist [--epochs 5] [--batch-size 128] [--optimizer rmsprop] [--sparse] [--seed N] [--limit N]
//   wasmtensor convnet [--epochs 5] [--batch-size 64] [--seed N] [--limit N]
//   wasmtensor two-branch [--epochs 20] [--samples 4000] [--seed 1]
//   wasmtensor char-rnn [--epochs 10] [--chars 20000] [--text PATH] [--seed 1] [--temperature 0.5]
//   wasmtensor tour
// Bad usage prints the problem and the usage to stderr and exits with code 2
// (the shell convention for usage errors); failures while running exit with 1.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = `Usage: wasmtensor <command> [options]

Commands:
  mnist   train the MNIST network of "Deep Learning with Python" chapter 2
          (784 -> Dense(512, relu) -> Dense(10, softmax)) and print the test accuracy
  convnet train the MNIST convnet of "Deep Learning with Python" chapter 5
          (Conv2D 32/64/64 3x3 relu with 2x2 max pooling, Dense(64, relu),
          Dense(10, softmax); rmsprop) and print the test accuracy
  two-branch
          a two-input functional model (wt.input, wt.model): one Dense branch
          per input, concatenate, a small head; trained on synthetic data
          whose label needs both inputs (XOR of the signs of their sums)
  char-rnn
          a character-level LSTM (Embedding, LSTM(128), Dense softmax) trained
          on this package's README (or --text), then writing text with it
  tour    a tour of tensors, broadcasting, dot and reshape (chapter 2)

Options for mnist:
  --epochs N         training epochs (default 5)
  --batch-size N     samples per gradient update (default 128)
  --optimizer NAME   sgd, rmsprop, adam, adamax, adagrad or adadelta (default rmsprop)
  --sparse           integer labels with sparse categorical crossentropy
                     instead of one-hot labels with categorical crossentropy
  --seed N           seed weight initialisation and shuffling (reproducible runs)
  --limit N          train on the first N of the 60,000 training images

Options for convnet: --epochs N (default 5), --batch-size N (default 64),
  --seed N and --limit N as for mnist

Options for two-branch: --epochs N (default 20), --samples N training
  samples (default 4000; a quarter as many test samples), --seed N (default 1)

Options for char-rnn: --epochs N (default 10), --chars N characters of the
  text to train on (default 20000), --text PATH (default the README),
  --seed N (default 1), --temperature T sampling temperature (default 0.5)

  -h, --help         show this help
`;

const MNIST_OPTIONS = {
  epochs: { type: 'string', default: '5' },
  'batch-size': { type: 'string', default: '128' },
  optimizer: { type: 'string', default: 'rmsprop' },
  sparse: { type: 'boolean', default: false },
  seed: { type: 'string' },
  limit: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
};
const CONVNET_OPTIONS = {
  epochs: { type: 'string', default: '5' },
  'batch-size': { type: 'string', default: '64' },
  seed: { type: 'string' },
  limit: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
};
const TWO_BRANCH_OPTIONS = {
  epochs: { type: 'string', default: '20' },
  samples: { type: 'string', default: '4000' },
  seed: { type: 'string', default: '1' },
  help: { type: 'boolean', short: 'h', default: false },
};
const CHAR_RNN_OPTIONS = {
  epochs: { type: 'string', default: '10' },
  chars: { type: 'string', default: '20000' },
  text: { type: 'string' },
  seed: { type: 'string', default: '1' },
  temperature: { type: 'string', default: '0.5' },
  help: { type: 'boolean', short: 'h', default: false },
};
const OPTIMIZERS = ['sgd', 'rmsprop', 'adam', 'adamax', 'adagrad', 'adadelta'];

class UsageError extends Error {}

function usageError(message) {
  throw new UsageError(message);
}

/** A flag's value as an integer >= min, or a usage error naming the flag. */
function integerFlag(name, text, min) {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    usageError(`--${name} must be an integer >= ${min}, got '${text}'`);
  }
  return value;
}

function parseMnistArgs(args) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: MNIST_OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    usageError(error.message);
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  const optimizer = v.optimizer.toLowerCase();
  if (!OPTIMIZERS.includes(optimizer)) usageError(`--optimizer must be one of ${OPTIMIZERS.join(', ')}, got '${v.optimizer}'`);
  return {
    epochs: integerFlag('epochs', v.epochs, 1),
    batchSize: integerFlag('batch-size', v['batch-size'], 1),
    optimizer,
    sparse: v.sparse,
    seed: v.seed === undefined ? undefined : integerFlag('seed', v.seed, 0),
    limit: v.limit === undefined ? undefined : integerFlag('limit', v.limit, 1),
  };
}

async function runMnist({ epochs, batchSize, optimizer, sparse, seed, limit }) {
  // The package imports itself by name (its exports map points at dist/).
  const wt = await import('wasmtensor');
  await wt.ready();
  if (seed !== undefined) wt.setRandomSeed(seed);

  const [[trainImages, trainLabels], [testImages, testLabels]] = await wt.datasets.mnist.loadData();
  const n = Math.min(limit ?? trainImages.shape[0], trainImages.shape[0]);
  const images = n === trainImages.shape[0] ? trainImages : trainImages.index(`0:${n}`);
  const labels = n === trainLabels.shape[0] ? trainLabels : trainLabels.index(`0:${n}`);
  console.log(`MNIST: ${n} training and ${testImages.shape[0]} test images; 784-512-10, ${optimizer}, ` +
    `${sparse ? 'sparse ' : ''}categorical crossentropy, ${epochs} epoch(s), batch ${batchSize}${seed === undefined ? '' : `, seed ${seed}`}`);

  const model = wt.sequential();
  model.add(wt.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
  model.add(wt.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({
    optimizer,
    loss: sparse ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });

  const prepare = (x) => wt.div(x.reshape([x.shape[0], 784]).astype('float32'), 255);
  // Sparse labels stay integers (Keras passes the uint8 array as is).
  const target = (y) => (sparse ? y.astype('int32') : wt.utils.toCategorical(y, 10));
  const started = performance.now();
  await model.fit(prepare(images), target(labels), { epochs, batchSize });
  const seconds = (performance.now() - started) / 1000;
  const [loss, acc] = model.evaluate(prepare(testImages), target(testLabels));
  console.log(`training time: ${seconds.toFixed(1)} s`);
  console.log(`test_loss: ${loss.dataSync()[0].toFixed(4)}`);
  console.log(`test_acc: ${acc.dataSync()[0].toFixed(4)}`);
}

function parseConvnetArgs(args) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: CONVNET_OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    usageError(error.message);
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  return {
    epochs: integerFlag('epochs', v.epochs, 1),
    batchSize: integerFlag('batch-size', v['batch-size'], 1),
    seed: v.seed === undefined ? undefined : integerFlag('seed', v.seed, 0),
    limit: v.limit === undefined ? undefined : integerFlag('limit', v.limit, 1),
  };
}

/** The book's convnet (examples/convnet.mjs, shipped with the package) with the CLI's flags. */
function runConvnet(options) {
  return runExample('convnet.mjs', 'convnet', options);
}

function parseTwoBranchArgs(args) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: TWO_BRANCH_OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    usageError(error.message);
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  return { epochs: integerFlag('epochs', v.epochs, 1), samples: integerFlag('samples', v.samples, 10), seed: integerFlag('seed', v.seed, 0) };
}

/** The functional-API example (examples/two_branch.mjs, shipped with the package) with the CLI's flags. */
function runTwoBranch(options) {
  return runExample('two_branch.mjs', 'twoBranch', options);
}

function parseCharRnnArgs(args) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: CHAR_RNN_OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    usageError(error.message);
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  const temperature = Number(v.temperature);
  if (!(temperature > 0) || !Number.isFinite(temperature)) usageError(`--temperature must be a number > 0, got '${v.temperature}'`);
  if (v.text !== undefined && !existsSync(v.text)) usageError(`--text: no such file '${v.text}'`);
  return {
    epochs: integerFlag('epochs', v.epochs, 1),
    chars: integerFlag('chars', v.chars, 200),
    seed: integerFlag('seed', v.seed, 0),
    temperature,
    text: v.text,
  };
}

/** examples/char_rnn.mjs (shipped with the package) with the CLI's flags; the text defaults to the README. */
function runCharRnn(options) {
  return runExample('char_rnn.mjs', 'charRnn', options);
}

/** Calls `exported(options)` of examples/<file>: the examples ship with the package and hold each program once. */
async function runExample(file, exported, options) {
  const example = new URL(`../examples/${file}`, import.meta.url);
  if (!existsSync(example)) throw new Error(`wasmtensor: ${example.pathname} is missing (it ships with the package, examples/${file})`);
  const module = await import(example.href);
  await module[exported](Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)));
}

async function runTour(args) {
  if (args.includes('-h') || args.includes('--help')) return void process.stdout.write(USAGE);
  if (args.length > 0) usageError(`tour takes no options, got '${args[0]}'`);
  const tour = new URL('../examples/tour.mjs', import.meta.url);
  if (!existsSync(tour)) {
    throw new Error(`wasmtensor tour: ${tour.pathname} is missing (the tour ships with the source repository, examples/tour.mjs)`);
  }
  await import(tour.href);
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined) usageError('missing command');
  if (command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command === 'mnist') {
    const options = parseMnistArgs(rest);
    if (options.help) process.stdout.write(USAGE);
    else await runMnist(options);
    return;
  }
  if (command === 'convnet') {
    const options = parseConvnetArgs(rest);
    if (options.help) process.stdout.write(USAGE);
    else await runConvnet(options);
    return;
  }
  if (command === 'two-branch') {
    const options = parseTwoBranchArgs(rest);
    if (options.help) process.stdout.write(USAGE);
    else await runTwoBranch(options);
    return;
  }
  if (command === 'char-rnn') {
    const options = parseCharRnnArgs(rest);
    if (options.help) process.stdout.write(USAGE);
    else await runCharRnn(options);
    return;
  }
  if (command === 'tour') return runTour(rest);
  usageError(command.startsWith('-') ? `unknown option '${command}' before the command` : `unknown command '${command}'`);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`wasmtensor: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`wasmtensor: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  }
}
