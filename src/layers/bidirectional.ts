// Bidirectional (Keras / tfjs-layers): two copies of a recurrent layer, one
// reading the sequence forwards and one backwards (goBackwards flipped), their
// outputs merged ('concat' by default, 'sum', 'mul', 'ave'). As in
// tfjs-layers, the wrapped layer is cloned from its config and never built
// itself; the copies are named forward_<name> and backward_<name>, so the
// weights are '<bidirectional>/forward_lstm/kernel', ... as tfjs-layers writes them.
import { describe, fail } from '../errors';
import { add, mul } from '../ops/elementwise';
import { index } from '../ops/indexing';
import { concat } from '../ops/shape';
import type { Tensor } from '../tensor';
import type { KerasObject } from './keras_config';
import type { CallOptions, Layer, LayerArgs, Shape } from './layer';
import { Wrapper } from './wrapper';
import { RNNBase } from './recurrent';
import { readRecurrent, serializeRecurrent } from './recurrent_config';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';
const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave'];

export interface BidirectionalArgs extends LayerArgs {
  /** A SimpleRNN, LSTM or GRU (not built): the template of both directions. */
  layer: RNNBase;
  mergeMode?: MergeMode;
}

export class Bidirectional extends Wrapper {
  readonly className = 'Bidirectional';
  readonly mergeMode: MergeMode;
  readonly forwardLayer: RNNBase;
  readonly backwardLayer: RNNBase;
  /** The wrapped layer's Keras config (what model.json stores under `layer`). */
  readonly layerConfig: KerasObject;

  constructor(args: BidirectionalArgs) {
    super(args, 'Bidirectional', ['layer', 'mergeMode']);
    const fn = 'bidirectional';
    if (!(args.layer instanceof RNNBase)) fail(fn, `layer must be a SimpleRNN, LSTM or GRU layer, got ${describe(args.layer)}`);
    if (args.layer.returnState) fail(fn, 'a wrapped layer with returnState is not supported');
    const mode = args.mergeMode ?? 'concat';
    if (!MERGE_MODES.includes(mode)) fail(fn, `mergeMode must be one of ${MERGE_MODES.map((m) => `'${m}'`).join(', ')}, got ${describe(args.mergeMode)}`);
    this.mergeMode = mode;
    const inner = args.layer;
    this.layerConfig = serializeRecurrent(inner, { name: inner.name, trainable: inner.trainable, dtype: 'float32' }) as KerasObject;
    const { class_name: cls, config } = this.layerConfig;
    const copy = (prefix: string, goBackwards: boolean) => readRecurrent(fn, 'layer', cls, { ...(config as object), go_backwards: goBackwards })
      .create({ name: `${this.name}/${prefix}_${inner.name}`, trainable: inner.trainable }) as RNNBase;
    this.forwardLayer = copy('forward', inner.goBackwards);
    this.backwardLayer = copy('backward', !inner.goBackwards);
  }

  private get both(): [RNNBase, RNNBase] {
    return [this.forwardLayer, this.backwardLayer];
  }

  /** Forward's weights, then backward's (tfjs-layers' order). */
  protected get inner(): Layer[] {
    return this.both;
  }

  override build(inputShape: Shape): void {
    for (const l of this.both) l.build(inputShape);
    super.build(inputShape);
  }

  override checkInputShape(fn: string, inputShape: Shape): void {
    this.forwardLayer.checkInputShape(fn, inputShape);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const s = this.forwardLayer.computeOutputShape(inputShape);
    if (this.mergeMode === 'concat') s[s.length - 1] = 2 * (s[s.length - 1] as number);
    return s;
  }

  override computeMask(input: Tensor, mask?: Tensor | null): Tensor | null {
    return this.forwardLayer.computeMask(input, mask);
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    const opts = { training: options.training, mask: options.mask };
    const y = this.forwardLayer.call(x, opts);
    const back = this.backwardLayer.call(x, opts);
    // The backward copy's sequence comes out in reversed time: put it back in step with y.
    const yRev = this.forwardLayer.returnSequences ? index(back, ':, ::-1') : back;
    let out: Tensor;
    if (this.mergeMode === 'concat') out = concat([y, yRev], -1);
    else if (this.mergeMode === 'sum') out = add(y, yRev);
    else if (this.mergeMode === 'mul') out = mul(y, yRev);
    else {
      const s = add(y, yRev);
      out = mul(s, 0.5);
      s.dispose();
    }
    for (const t of new Set([y, back, yRev])) t.dispose();
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: this.layerConfig, mergeMode: this.mergeMode };
  }

}
