// The graph of a functional model: from its output SymbolicTensors back to
// its inputs, the calls (nodes) it runs, in an order where every node comes
// after the nodes producing its inputs (a depth-first post-order). Checked
// once, at wt.model(): every output must be computable from the given
// inputs, every input must feed some output, and layer names must be unique
// (weights are saved and loaded by layer name).
import { describe, fail } from '../errors';
import { InputLayer } from '../layers/input_layer';
import type { Layer } from '../layers/layer';
import { SymbolicTensor, type Node } from '../layers/symbolic';

export interface Graph {
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  /** Every call, producers before consumers; the inputs' nodes first. */
  nodes: Node[];
  /** Each layer once (a shared layer has several nodes), InputLayers first. */
  layers: Layer[];
}

function toList(fn: string, arg: string, v: unknown): SymbolicTensor[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) fail(fn, `${arg} must not be empty`);
  list.forEach((t, i) => {
    if (!(t instanceof SymbolicTensor)) {
      fail(fn, `${arg}${Array.isArray(v) ? `[${i}]` : ''} must be a SymbolicTensor (from wt.input() or layer.apply(symbolic)), got ${describe(t)}`);
    }
  });
  return list as SymbolicTensor[];
}

export function buildGraph(fn: string, modelName: string, inputsArg: unknown, outputsArg: unknown): Graph {
  const inputs = toList(fn, 'inputs', inputsArg);
  const outputs = toList(fn, 'outputs', outputsArg);
  const inputNodes = new Set<Node>();
  inputs.forEach((t, i) => {
    if (!(t.node.layer instanceof InputLayer)) {
      fail(fn, `inputs[${i}] ('${t.name}') is the output of layer '${t.node.layer.name}' (${t.node.layer.className}); model inputs must come from wt.input()`);
    }
    if (inputNodes.has(t.node)) fail(fn, `input '${t.node.layer.name}' is listed twice in inputs`);
    inputNodes.add(t.node);
  });

  const done = new Set<Node>();
  const visiting = new Set<Node>();
  const order: Node[] = [];
  // Iterative post-order DFS: a deep chain of layers must not overflow the JS stack.
  const visit = (root: Node, output: SymbolicTensor) => {
    const stack: Array<{ node: Node; next: number; path: string[] }> = [{ node: root, next: 0, path: [root.layer.name] }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const { node } = top;
      if (top.next === 0) {
        if (done.has(node)) { stack.pop(); continue; }
        // Nodes take inputs that exist before them, so the API cannot build a cycle; hand-made graphs are still checked.
        if (visiting.has(node)) fail(fn, `the graph has a cycle through layers ${top.path.reverse().join(' -> ')}`);
        visiting.add(node);
        if (node.layer instanceof InputLayer && !inputNodes.has(node)) {
          fail(fn, `output '${output.name}' (layer '${output.node.layer.name}') depends on input '${node.layer.name}', which is not in the inputs of model '${modelName}' (${inputs.map((t) => `'${t.node.layer.name}'`).join(', ')}); add it to inputs`);
        }
      }
      if (top.next < node.inputs.length) {
        const child = node.inputs[top.next++].node;
        if (!done.has(child)) {
          if (visiting.has(child)) fail(fn, `the graph has a cycle through layers ${[...top.path, child.layer.name].join(' -> ')}`);
          stack.push({ node: child, next: 0, path: [...top.path, child.layer.name] });
        }
        continue;
      }
      visiting.delete(node);
      done.add(node);
      order.push(node);
      stack.pop();
    }
  };
  outputs.forEach((o) => visit(o.node, o));

  inputs.forEach((t) => {
    if (!done.has(t.node)) {
      fail(fn, `input '${t.node.layer.name}' is disconnected: none of the outputs (${outputs.map((o) => `'${o.node.layer.name}'`).join(', ')}) of model '${modelName}' depends on it`);
    }
  });
  const nodes = [...inputs.map((t) => t.node), ...order.filter((n) => !inputNodes.has(n))];
  const layers: Layer[] = [];
  const byName = new Map<string, Layer>();
  for (const n of nodes) {
    const other = byName.get(n.layer.name);
    if (other === n.layer) continue;
    if (other !== undefined) fail(fn, `two different layers of model '${modelName}' are named '${n.layer.name}' (${other.className} and ${n.layer.className}); layer names in a model must be unique`);
    byName.set(n.layer.name, n.layer);
    layers.push(n.layer);
  }
  return { inputs, outputs, nodes, layers };
}
