// Batch-1 predict latency of the seed's model (784-512(relu)-10(softmax)):
// median over 15 blocks of 1,000 calls after 2,000 warm-up calls, with and
// without reading the result back. Issue 4's target: <= 0.1 ms per call.
//   node bench/predict.mjs        (needs `npm run build`)
const wt = await import('wasmtensor');
await wt.ready();
const m = wt.sequential();
m.add(wt.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
m.add(wt.layers.dense({ units: 10, activation: 'softmax' }));
const x = wt.randomUniform([1, 784], 0, 1, 1);

function median(call) {
  for (let i = 0; i < 2000; i++) call();
  const blocks = [];
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) call();
    blocks.push((performance.now() - t0) / 1000);
  }
  return blocks.sort((a, b) => a - b)[7];
}

const predictOnly = median(() => m.predict(x).dispose());
const withRead = median(() => { const y = m.predict(x); y.dataSync(); y.dispose(); });
console.log(`predict batch 1: ${predictOnly.toFixed(4)} ms per call, with dataSync ${withRead.toFixed(4)} ms (${wt.getBuild()}, ${wt.getThreads()} threads, node ${process.version})`);
