// The functional API's graph: a SymbolicTensor stands for a batch of values
// not computed yet (its shape has null for the batch axis); a Node records one
// call of a layer on symbolic inputs. Calling one layer twice makes two nodes
// of the same layer, so both uses share its weights (Keras' shared layers).
// Nodes are kept beside the layer (a WeakMap), not on it, so Layer itself
// stays a plain build/call contract.
import { fail } from '../errors';
import type { Layer, Shape } from './layer';
import { installSymbolicApply } from './symbolic_apply';

let nextId = 0;

export class SymbolicTensor {
  /** Unique per symbolic tensor: the key a model's forward pass stores values under. */
  readonly id = nextId++;

  constructor(
    /** Batch shape, null where unknown ([null, 784]). */
    readonly shape: Shape,
    readonly dtype: 'float32' | 'int32',
    /** The call that produced this tensor. */
    readonly node: Node,
    /** Which of the node's outputs this is (0 for every layer here). */
    readonly tensorIndex: number,
    readonly name: string,
  ) {
    if (!(node instanceof Node)) fail('SymbolicTensor', 'symbolic tensors are made by wt.input() and layer.apply(symbolic), not constructed directly');
  }

  /** The layer that produced this tensor (an InputLayer for model inputs). */
  get sourceLayer(): Layer {
    return this.node.layer;
  }

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `SymbolicTensor(name='${this.name}', shape=[${this.shape.map((d) => (d === null ? 'null' : d)).join(',')}])`;
  }
}

/** One call of `layer` on `inputs`; `multi` when the layer was called on an array (merge layers). */
export class Node {
  outputs: SymbolicTensor[] = [];

  constructor(
    readonly layer: Layer,
    readonly inputs: SymbolicTensor[],
    readonly multi: boolean,
    /** This node's position among the layer's calls. */
    readonly index: number,
  ) {}
}

const nodes = new WeakMap<Layer, Node[]>();

/** Every call of this layer on symbolic tensors, in call order. */
export function inboundNodes(layer: Layer): Node[] {
  let list = nodes.get(layer);
  if (list === undefined) nodes.set(layer, (list = []));
  return list;
}

/** @internal Records a call of `layer` and returns its symbolic output. */
export function addNode(layer: Layer, inputs: SymbolicTensor[], multi: boolean, outputShape: Shape, dtype: 'float32' | 'int32' = 'float32'): SymbolicTensor {
  const list = inboundNodes(layer);
  const node = new Node(layer, inputs, multi, list.length);
  const name = list.length === 0 ? layer.name : `${layer.name}_${list.length}`;
  node.outputs = [new SymbolicTensor(outputShape.slice(), dtype, node, 0, name)];
  list.push(node);
  return node.outputs[0];
}

export function isSymbolic(x: unknown): x is SymbolicTensor | SymbolicTensor[] {
  return x instanceof SymbolicTensor || (Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof SymbolicTensor));
}

/** A layer taking a list of inputs (the merge layers): its build/computeOutputShape get one shape per input. */
export interface MultiInputLayer {
  readonly multiInput: true;
  build(shapes: Shape[]): void;
  computeOutputShape(shapes: Shape[]): Shape;
  checkInputShapes(shapes: Shape[]): void;
}

function takesList(layer: Layer): layer is Layer & MultiInputLayer {
  return (layer as unknown as { multiInput?: boolean }).multiInput === true;
}

/**
 * layer.apply(symbolic): builds the layer from the input shape(s) if needed,
 * predicts the output shape with computeOutputShape, and records the call.
 */
export function applySymbolic(layer: Layer, input: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  const list = Array.isArray(input) ? input : [input];
  if (takesList(layer)) {
    if (!Array.isArray(input)) fail(layer.name, `layer '${layer.name}' (${layer.className}) takes an array of inputs, got one ${input.toString()}`);
    const shapes = list.map((t) => t.shape);
    if (layer.built) layer.checkInputShapes(shapes);
    else layer.build(shapes);
    return addNode(layer, list, true, layer.computeOutputShape(shapes));
  }
  if (list.length !== 1) fail(layer.name, `layer '${layer.name}' (${layer.className}) takes one input, got ${list.length}: ${list.map((t) => `'${t.name}'`).join(', ')}; merge them first (e.g. layers.concatenate())`);
  const outputShape = layer.ensureBuilt(layer.name, list[0].shape);
  return addNode(layer, list, Array.isArray(input), outputShape);
}

// Layer.apply calls this through symbolic_apply.ts, so that layer.ts need not import the graph code.
installSymbolicApply((layer, input) => (isSymbolic(input) ? applySymbolic(layer, input) : null));
