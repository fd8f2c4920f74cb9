// Where torch-node's module attributes differ from Python's: names kept in snake_case (those that
// may hold tensors keep PyTorch's names), Python-only attributes not carried over, and the classes
// whose instances hold something Python's do not (pooling's kernel function, padding's mode), which
// loading copies from one instance built by the constructor with these arguments.

/** Python attributes whose JS name is the same (attributes that may hold a Parameter or tensor; QAT ConvBn's freeze_bn). */
const SNAKE = new Set(['freeze_bn', '_packed_params', 'bias_k', 'bias_v', 'in_proj_weight', 'in_proj_bias', 'q_proj_weight', 'k_proj_weight', 'v_proj_weight']);

/** Python-only attributes: derived state torch-node keeps elsewhere (RNN's flat weights list, lazy modules' hook handles, ParameterList's length, ParameterDict's keys). */
export const PYTHON_ONLY = new Set(['_flat_weights', '_load_hook', '_initialize_hook', '_size', '_keys']);

/** Python's attribute name -> ours: camelCase after any leading underscores (`_qkv_same_embed_dim` -> `_qkvSameEmbedDim`). */
export function jsAttributeName(name: string): string {
  if (SNAKE.has(name)) return name;
  const lead = /^_*/.exec(name)![0];
  return lead + name.slice(lead.length).replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Ours -> Python's (`inFeatures` -> `in_features`), for the attributes of user classes. */
export function pythonAttributeName(name: string): string {
  if (SNAKE.has(name)) return name;
  const lead = /^_*/.exec(name)![0];
  return lead + name.slice(lead.length).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const nn = 'torch.nn.modules';
const family = (file: string, names: string[], args: unknown[]): [string, unknown[]][] => names.map((n) => [`${nn}.${file}.${n}`, args]);
const dims = (stem: string, ds: number[] = [1, 2, 3]): string[] => ds.map((d) => `${stem}${d}d`);

/** Constructor arguments of one instance per class whose JS instances carry attributes Python's lack. */
export const TEMPLATE_ARGS: Readonly<Record<string, unknown[]>> = Object.fromEntries([
  ...family('pooling', [...dims('MaxPool'), ...dims('MaxUnpool'), ...dims('AvgPool'), ...dims('AdaptiveAvgPool'), ...dims('AdaptiveMaxPool')], [2]),
  ...family('pooling', dims('FractionalMaxPool', [2, 3]), [2, { outputSize: 1 }]),
  ...family('padding', [...dims('ConstantPad')], [1, 0]),
  ...family('padding', [...dims('ReflectionPad'), ...dims('ReplicationPad'), 'ZeroPad2d'], [1]),
]);
