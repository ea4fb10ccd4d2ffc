// TimeDistributed (Keras / tfjs-layers): applies one layer to every time step
// of [batch, T, ...] by folding time into the batch, [batch * T, ...], one call
// of the wrapped layer, and unfolding: one big matMul for a Dense, not T small
// ones. The wrapped layer is cloned from its config under the wrapper's name,
// so its weights are '<time_distributed>/kernel', as tfjs-layers names them.
import { describe, fail } from '../errors';
import { reshape } from '../ops/shape';
import type { Tensor } from '../tensor';
import type { KerasObject } from './keras_config';
import { fmtBatchShape, Layer, type CallOptions, type LayerArgs, type Shape } from './layer';
import { deserializeLayer, serializeLayer } from './serialization';
import { Wrapper } from './wrapper';

export interface TimeDistributedArgs extends LayerArgs {
  /** Any layer the TF.js Layers format can store (not built). */
  layer: Layer;
}

export class TimeDistributed extends Wrapper {
  readonly className = 'TimeDistributed';
  readonly layer: Layer;
  /** The wrapped layer's Keras config, as model.json stores it under `layer`. */
  readonly layerConfig: KerasObject;

  constructor(args: TimeDistributedArgs) {
    super(args, 'TimeDistributed', ['layer']);
    const fn = 'timeDistributed';
    if (!(args.layer instanceof Layer)) fail(fn, `layer must be a Layer, got ${describe(args.layer)}`);
    this.layerConfig = serializeLayer(fn, args.layer);
    const config: Record<string, unknown> = { ...(this.layerConfig.config as Record<string, unknown>), name: this.name };
    delete config.batch_input_shape;
    this.layer = deserializeLayer(fn, { class_name: this.layerConfig.class_name, config }, -1).create(this.name);
  }

  protected get inner(): Layer[] {
    return [this.layer];
  }

  private stepShape(inputShape: Shape): Shape {
    if (inputShape.length < 3) fail(this.name, `TimeDistributed needs inputs [batch, timesteps, ...] of rank >= 3, got ${fmtBatchShape(inputShape)}`);
    return [null, ...inputShape.slice(2)];
  }

  override build(inputShape: Shape): void {
    this.layer.build(this.stepShape(inputShape));
    super.build(inputShape);
  }

  override checkInputShape(fn: string, inputShape: Shape): void {
    this.layer.checkInputShape(fn, this.stepShape(inputShape));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const out = this.layer.computeOutputShape(this.stepShape(inputShape));
    return [inputShape[0], inputShape[1], ...out.slice(1)];
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    if (x.rank < 3) fail(this.name, `expected input [batch, timesteps, ...] of rank >= 3, got shape [${x.shape.join(',')}]`);
    const [B, T] = x.shape;
    const folded = reshape(x, [B * T, ...x.shape.slice(2)]);
    const y = this.layer.call(folded, { training: options.training });
    const out = reshape(y, [B, T, ...y.shape.slice(1)]);
    if (folded !== x) folded.dispose();
    y.dispose();
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: this.layerConfig };
  }
}
