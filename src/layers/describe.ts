// describe() for values read from files, where a key is often simply absent:
// "got nothing" reads better than errors.describe's "got undefined undefined".
import { describe as describeAny } from '../errors';

export function describe(value: unknown): string {
  return value === undefined ? 'nothing' : describeAny(value);
}
