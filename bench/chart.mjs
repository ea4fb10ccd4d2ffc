#!/usr/bin/env node
// Redraws bench/results/chart.svg and chart.html from a results JSON (default
// bench/results/latest.json) and bench/results/mnist.json, without re-running
// anything: node bench/chart.mjs [results.json]
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCharts } from './lib/chart.mjs';

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
const input = resolve(process.argv[2] ?? join(resultsDir, 'latest.json'));
const json = JSON.parse(readFileSync(input, 'utf8'));
for (const f of writeCharts(json, resultsDir, resultsDir)) console.log(`wrote ${f}`);
