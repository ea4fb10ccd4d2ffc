// Timing helpers: warm up, then time single calls; medians.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Calls fn until `warmupMs` has passed and at least `minWarmup` calls were made
 * (V8 runs wasm in its baseline tier first and optimises later). Returns the
 * mean time per call, used to choose the number of timed runs.
 */
export function warmup(fn, { warmupMs = 300, minWarmup = 3 } = {}) {
  const t0 = performance.now();
  let calls = 0;
  while (calls < minWarmup || performance.now() - t0 < warmupMs) {
    fn();
    calls++;
  }
  return (performance.now() - t0) / calls;
}

/** Times `runs` single calls of fn; returns the samples in ms. */
export function sample(fn, runs) {
  const samples = new Array(runs);
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    samples[i] = performance.now() - s;
  }
  return samples;
}

/** Number of runs so that they take about targetMs, clamped to [minRuns, maxRuns]. */
export function runsFor(perCallMs, { targetMs = 1500, minRuns = 5, maxRuns = 200 } = {}) {
  return Math.max(minRuns, Math.min(maxRuns, Math.round(targetMs / Math.max(perCallMs, 1e-3))));
}

/** warmup + sample in one go: { medianMs, minMs, maxMs, runs, samples }. */
export function measure(fn, opts = {}) {
  const runs = runsFor(warmup(fn, opts), opts);
  const samples = sample(fn, runs);
  return { medianMs: median(samples), minMs: Math.min(...samples), maxMs: Math.max(...samples), runs, samples };
}
