// SummaryWriter.add_graph: the model traced (torch.jit.trace, in eval mode), its graph inlined, and
// each value turned into a TensorBoard NodeDef named <scope>/<debug name>, as PyTorch's
// torch/utils/tensorboard/_pytorch_graph.py builds them (module scopes as Class[attribute]).
import { native } from '../../native';
import type { JitGraph, JitGraphAttribute, JitGraphValue } from '../../native';
import { Module } from '../../nn/module';
import { pyFloat, pyList, pyStrRepr } from '../../py-format';
import { Tensor } from '../../tensor/tensor';
import { wrapHandle } from '../../tensor/aten';
import { trace } from '../../jit/trace';

/** A value of the graph as _pytorch_graph's NodeBase: name, inputs, sizes, op and its attributes. */
interface GraphNode {
  debugName: string;
  inputs: string[];
  tensorSize: number[] | null;
  kind: string;
  attributes: string;
  scope: string | null;
  inputOrOutput?: 'input' | 'output';
}

interface OpNode {
  inputs: string[];
  outputs: JitGraphValue[];
  scopeName: string;
  kind: string;
  attributes: string;
}

/** Python's repr of an attribute value, as str() of the attributes dict prints it. */
function attributeRepr(a: JitGraphAttribute): string {
  switch (a.kind) {
    case 'i':
      return a.value as string;
    case 'f':
      return pyFloat(a.value as number);
    case 's':
      return pyStrRepr(a.value as string);
    case 't':
      return String(wrapHandle(a.value as never));
    case 'is':
      return `[${(a.value as string[]).join(', ')}]`;
    case 'fs':
      return pyList(a.value as number[], pyFloat);
    case 'ss':
      return pyList(a.value as string[]);
    default:
      return String(a.value);
  }
}

/** NodePyOP.attributes: str() of {name: value} with every quote a space. */
function attributesText(attributes: [string, JitGraphAttribute][]): string {
  return `{${attributes.map(([k, a]) => `${pyStrRepr(k)}: ${attributeRepr(a)}`).join(', ')}}`.replace(/'/g, ' ');
}

/** NodePyIO's tensor_size: the sizes, None for a tensor of unknown sizes, [1] for a non-tensor. */
function ioSize(v: JitGraphValue): number[] | null {
  return v.isTensor ? v.sizes : [1];
}

/** _pytorch_graph.parse: the NodeDefs of a traced module's inlined graph. */
export function parseGraph(graph: JitGraph, model: Module): Record<string, unknown>[] {
  const nodesIo = new Map<string, GraphNode>();
  for (const v of graph.inputs) {
    if (v.uses === 0 || v.classType) continue; // omit_useless_nodes; the module itself
    nodesIo.set(v.name, { debugName: v.name, inputs: [], tensorSize: ioSize(v), kind: 'IO Node', attributes: '', scope: null, inputOrOutput: 'input' });
  }
  const producer = new Map<string, (typeof graph.nodes)[number]>();
  for (const n of graph.nodes) for (const o of n.outputs) producer.set(o.name, n);
  // each attribute read's scope: __module.<name>, nested for attributes of submodules
  const attrToScope = new Map<string, string>();
  const ops: OpNode[] = [];
  const nameAttr = (n: (typeof graph.nodes)[number]): string => n.attributes.find(([k]) => k === 'name')![1].value as string;
  for (const n of graph.nodes) {
    const op: OpNode = { inputs: n.inputs.map((v) => v.name), outputs: n.outputs, scopeName: n.scope, kind: n.kind, attributes: attributesText(n.attributes) };
    if (n.kind !== 'prim::GetAttr') {
      ops.push(op);
      continue;
    }
    const key = n.outputs[0].name;
    const parent = producer.get(n.inputs[0].name);
    if (parent && parent.kind === 'prim::GetAttr') {
      const parentScope = attrToScope.get(parent.outputs[0].name)!;
      attrToScope.set(key, `${parentScope}/${parentScope.split('/').at(-1)}.${nameAttr(n)}`);
    } else attrToScope.set(key, `__module.${nameAttr(n)}`);
    if (!n.outputs[0].classType) ops.push({ ...op, scopeName: attrToScope.get(key)! });
  }
  graph.outputs.forEach((v, i) => {
    const name = `output.${i + 1}`;
    nodesIo.set(name, { debugName: name, inputs: [v.name], tensorSize: ioSize(v), kind: 'IO Node', attributes: '', scope: null, inputOrOutput: 'output' });
  });
  // scopes as Class[attribute] from the module tree: Net/Sequential[seq]/Linear[1]
  const aliasToName = new Map<string, string>();
  for (const [name, m] of model.namedModules()) {
    const alias = name === '' ? '__module' : `__module.${name}`;
    aliasToName.set(alias, `${m._getName()}[${alias.split('.').at(-1)}]`);
  }
  const baseName = model._getName();
  for (const op of ops) {
    const replacements = op.scopeName.split('/').map((a) => aliasToName.get(a) ?? a.split('.').at(-1)!);
    op.scopeName = baseName + (replacements.some((r) => r) ? `/${replacements.join('/')}` : '');
  }
  return populateNamespace(nodesIo, ops).map(nodeDef);
}

/** GraphPy.populate_namespace_from_OP_to_IO: every value named by its scope. */
function populateNamespace(nodesIo: Map<string, GraphNode>, ops: OpNode[]): GraphNode[] {
  const appeared: string[] = [];
  for (const op of ops) {
    for (const out of op.outputs) {
      appeared.push(op.scopeName);
      nodesIo.set(out.name, { debugName: out.name, inputs: op.inputs, tensorSize: out.complete ? out.sizes : null, kind: op.kind, attributes: op.attributes, scope: op.scopeName });
    }
  }
  let shallowest = 'default';
  for (const s of appeared) if (s) shallowest = s.split('/')[0];
  const scoped = new Map<string, string>();
  for (const op of ops) for (const input of op.inputs) scoped.set(input, `${op.scopeName}/${input}`);
  for (const [key, node] of nodesIo) {
    if (node.inputOrOutput) scoped.set(key, `${node.inputOrOutput}/${node.debugName}`);
    if (node.scope !== null) {
      scoped.set(key, `${node.scope}/${node.debugName}`);
      if (node.scope === '' && shallowest) scoped.set(node.debugName, `${shallowest}/${node.debugName}`);
    }
  }
  for (const node of nodesIo.values()) {
    node.inputs = node.inputs.map((i) => scoped.get(i)!);
    if (scoped.has(node.debugName)) node.debugName = scoped.get(node.debugName)!;
  }
  return [...nodesIo.values()];
}

/** _proto_graph.node_proto */
function nodeDef(n: GraphNode): Record<string, unknown> {
  const attr: Record<string, unknown> = { attr: { s: Buffer.from(n.attributes, 'utf8') } };
  if (n.tensorSize !== null) attr._output_shapes = { list: { shape: [{ dim: n.tensorSize.map((size) => ({ size })) }] } };
  return { name: n.debugName, op: n.kind, input: n.inputs, attr };
}

/**
 * _pytorch_graph.graph(model, args): [GraphDef, RunMetadata] as plain objects. The model is traced
 * in eval mode (its mode is restored) with torch.jit.trace's checks.
 */
export function modelGraph(model: Module, args: Tensor | Tensor[], useStrictTrace = true, verbose = false): [Record<string, unknown>, Record<string, unknown>] {
  const training = model.training;
  model.train(false);
  let graph: JitGraph;
  try {
    const traced = trace(model, args, { strict: useStrictTrace });
    graph = native.jitGraphNodes(traced._scriptHandle(), 'forward');
    if (verbose) console.log(traced.graph);
  } finally {
    model.train(training);
  }
  const nodes = parseGraph(graph, model);
  return [{ node: nodes, versions: { producer: 22 } }, { step_stats: { dev_stats: [{ device: '/device:CPU:0' }] } }];
}
