// Bidirectional in the Keras config format: { layer: { class_name, config },
// merge_mode } as tfjs-layers and Keras write it. The wrapped layer's config is
// checked by the recurrent reader before anything is created.
import { fail } from '../errors';
import { Bidirectional, type MergeMode } from './bidirectional';
import { describe } from './describe';
import { isKerasObject, type KerasObject } from './keras_config';
import type { Layer, LayerArgs } from './layer';
import { RECURRENT_CLASSES, readRecurrent } from './recurrent_config';
import type { RNNBase } from './recurrent';

type Config = Record<string, unknown>;

export function serializeBidirectional(layer: Layer, base: Config): KerasObject | undefined {
  if (!(layer instanceof Bidirectional)) return undefined;
  return { class_name: 'Bidirectional', config: { ...base, layer: layer.layerConfig, merge_mode: layer.mergeMode } };
}

/** The weight names (forward copy's, then backward's) and a constructor. */
export function readBidirectional(fn: string, where: string, c: Config): { weightNames: string[]; create: (common: LayerArgs) => Layer } {
  const inner = c.layer;
  if (!isKerasObject(inner) || !(RECURRENT_CLASSES as readonly string[]).includes(inner.class_name)) {
    fail(fn, `${where} layer must be { class_name: ${RECURRENT_CLASSES.map((k) => `'${k}'`).join(' | ')}, config }, got ${describe(inner)}`);
  }
  const ic = (inner.config ?? {}) as Config;
  const mode = c.merge_mode ?? 'concat';
  if (!['concat', 'sum', 'mul', 'ave'].includes(mode as string)) fail(fn, `${where} merge_mode must be 'concat', 'sum', 'mul' or 'ave', got ${describe(mode)}`);
  if (ic.return_state === true) fail(fn, `${where} wraps a layer with return_state, which is not supported`);
  if (c.num_constants != null) fail(fn, `${where} sets num_constants, which is not supported`);
  const { weightNames, create } = readRecurrent(fn, `${where} layer`, inner.class_name, ic);
  const innerName = typeof ic.name === 'string' && ic.name !== '' ? ic.name : inner.class_name.toLowerCase();
  const names = ['forward', 'backward'].flatMap((d) => weightNames.map((w) => `${d}_${innerName}/${w}`));
  return {
    weightNames: names,
    create: (common) => new Bidirectional({ ...common, layer: create({ name: innerName }) as RNNBase, mergeMode: mode as MergeMode }),
  };
}
