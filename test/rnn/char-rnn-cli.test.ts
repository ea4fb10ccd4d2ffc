// The character-level example from the command line (the built package in
// dist/, as users run it): `wasmtensor char-rnn` trains on a slice of the
// README and writes text. A few epochs on 3,000 characters must learn at
// least the character frequencies: the loss falls well below log(vocabulary),
// where a model that knows nothing starts. Bad flags exit with 2.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/wasmtensor.mjs', import.meta.url));

describe('char-rnn example', () => {
  test('wasmtensor char-rnn learns from the README and generates text from its vocabulary', () => {
    const r = spawnSync(process.execPath, [bin, 'char-rnn', '--epochs', '4', '--chars', '3000', '--seed', '2'], { encoding: 'utf8', timeout: 90_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const distinct = Number(/corpus: 3000 characters, (\d+) distinct/.exec(r.stdout)?.[1]);
    expect(distinct).toBeGreaterThan(20);
    const losses = [...r.stdout.matchAll(/ - loss: ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(4);
    expect(losses[3]).toBeLessThan(losses[0]);
    expect(losses[3]).toBeLessThan(Math.log(distinct) - 0.5);
    const generated = /generated \(temperature 0\.5\): "(.*)"$/m.exec(r.stdout)?.[1] ?? '';
    expect(generated).toHaveLength(240);
    expect(generated).toMatch(/^[ -~]+$/);
  }, 120_000);

  test('bad flags are usage errors', () => {
    const bad = spawnSync(process.execPath, [bin, 'char-rnn', '--temperature', '0'], { encoding: 'utf8', timeout: 20_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^wasmtensor: --temperature must be a number > 0, got '0'/);
    const missing = spawnSync(process.execPath, [bin, 'char-rnn', '--text', '/no/such/file.txt'], { encoding: 'utf8', timeout: 20_000 });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^wasmtensor: --text: no such file '\/no\/such\/file.txt'/);
  });
});
