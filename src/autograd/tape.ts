// The gradient tape. While a gradient function (grad, valueAndGrads, ...) runs
// its `f`, every op whose inputs depend on a source tensor appends a node: the
// inputs, the output, and a closure that maps the output's gradient to the
// inputs' gradients. With no tape open, record() returns at its first line:
// taking no gradient costs nothing.
import type { Tensor } from '../tensor';

/** Gradients for each input, in order; null where an input gets none (integer inputs, indices). */
export type Backward = (dy: Tensor) => (Tensor | null)[];

export interface TapeNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly backward: Backward;
}

export class Tape {
  readonly nodes: TapeNode[] = [];
  /** Ids of tensors that depend on a source: only ops touching them are recorded. */
  readonly onPath = new Set<number>();
  /** True while this tape's own backward pass runs (its ops are not recorded on itself). */
  replaying = false;

  watch(t: Tensor): void {
    this.onPath.add(t.id);
  }
}

const open: Tape[] = [];

export function isRecording(): boolean {
  return open.length > 0;
}

export function record(op: string, inputs: readonly Tensor[], output: Tensor, backward: Backward): void {
  if (open.length === 0) return;
  for (const tape of open) {
    if (tape.replaying || !inputs.some((t) => tape.onPath.has(t.id))) continue;
    tape.nodes.push({ op, inputs, output, backward });
    tape.onPath.add(output.id);
  }
}

/** Runs fn with `tape` recording (tapes nest, so gradients of gradients work). */
export function withTape<T>(tape: Tape, fn: () => T): T {
  open.push(tape);
  try {
    return fn();
  } finally {
    open.splice(open.lastIndexOf(tape), 1);
  }
}
