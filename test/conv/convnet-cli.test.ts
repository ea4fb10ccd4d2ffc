// The book's convnet from the command line (the built package in dist/, as
// users run it): `wasmtensor convnet` on 1,280 images for one epoch already
// beats chance (0.1) by far on the 10,000 test images; bad flags exit with 2.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/wasmtensor.mjs', import.meta.url));

describe('convnet command', () => {
  test('wasmtensor convnet trains the book convnet and prints its test accuracy', () => {
    const r = spawnSync(process.execPath, [bin, 'convnet', '--epochs', '1', '--limit', '1280', '--seed', '3'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/MNIST convnet: 1280 training and 10000 test images, rmsprop, 1 epoch\(s\), batch 64, seed 3/);
    expect(r.stdout).toMatch(/conv2d_2 \(Conv2D\) +│ \(None, 3, 3, 64\)/);
    expect(r.stdout).toMatch(/Total params: 93,322/);
    expect(Number(/test_acc: ([\d.]+)/.exec(r.stdout)?.[1])).toBeGreaterThan(0.5);
  }, 150_000);

  test('bad flags are usage errors', () => {
    const r = spawnSync(process.execPath, [bin, 'convnet', '--batch-size', '0'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^wasmtensor: --batch-size must be an integer >= 1, got '0'/);
  });
});
