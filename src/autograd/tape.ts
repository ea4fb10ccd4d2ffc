// The gradient tape. While a gradient function (grad, valueAndGrads, ...) runs
// its `f`, every op whose inputs depend on a source tensor appends a node: the
// inputs, the output, and a closure that maps the output's gradient to the
// inputs' gradients. With no tape open, record() returns at its first line:
// taking no gradient costs nothing.
//
// A recorded closure reads its node's tensors later, during the backward pass,
// so disposing one of them (an op freeing its temporaries, an inner tidy)
// must wait: such disposals are deferred until the tape is released.
import type { Tensor } from '../tensor';

/**
 * Gradients for each input, in order; null where an input gets none (integer
 * inputs, indices). `needs[i]` is false when nothing asked for input i's
 * gradient (e.g. the data fed to a first layer): a backward may skip it.
 */
export type Backward = (dy: Tensor, needs: readonly boolean[]) => (Tensor | null)[];

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
  /** Tensors the recorded closures may read. */
  readonly held = new Set<object>();
  /** Disposals of held tensors, carried out by releaseTape(). */
  readonly deferred = new Set<{ dispose(): void }>();

  watch(t: Tensor): void {
    this.onPath.add(t.id);
  }
}

/** Tapes recording now. */
const open: Tape[] = [];
/** Tapes from beginTape() until releaseTape(): recording or running backward. */
const alive: Tape[] = [];

export function isRecording(): boolean {
  return open.length > 0;
}

/** `saved`: other tensors the backward closure reads (e.g. cast copies of the inputs). */
export function record(op: string, inputs: readonly Tensor[], output: Tensor, backward: Backward, saved: readonly Tensor[] = []): void {
  if (open.length === 0) return;
  for (const tape of open) {
    if (tape.replaying || !inputs.some((t) => tape.onPath.has(t.id))) continue;
    tape.nodes.push({ op, inputs, output, backward });
    tape.onPath.add(output.id);
    for (const t of inputs) tape.held.add(t);
    for (const t of saved) tape.held.add(t);
    tape.held.add(output);
  }
}

export function beginTape(): Tape {
  const tape = new Tape();
  alive.push(tape);
  return tape;
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

/** Ends the tape's life and carries out the disposals it deferred. */
export function releaseTape(tape: Tape): void {
  const i = alive.lastIndexOf(tape);
  if (i >= 0) alive.splice(i, 1);
  for (const t of tape.deferred) t.dispose();
  tape.deferred.clear();
  tape.held.clear();
  tape.nodes.length = 0;
}

/** Called by dispose(): true when a live tape still needs t (the disposal then happens at release). */
export function deferDisposal(t: { dispose(): void }): boolean {
  for (let i = alive.length - 1; i >= 0; i--) {
    if (alive[i].held.has(t)) {
      alive[i].deferred.add(t);
      return true;
    }
  }
  return false;
}
