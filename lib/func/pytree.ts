// Python's torch.utils._pytree for torch.func: arrays (Python's tuples and lists) and plain objects
// (dicts, keys in insertion order) are nodes; everything else, tensors included, is a leaf.
// Messages print arrays as tuples: a ported function returns `(a, b)` as [a, b].

export type TreeSpec =
  | { readonly kind: 'leaf'; readonly numLeaves: 1 }
  | { readonly kind: 'tuple'; readonly children: TreeSpec[]; readonly numLeaves: number }
  | { readonly kind: 'dict'; readonly keys: string[]; readonly children: TreeSpec[]; readonly numLeaves: number };

const LEAF: TreeSpec = { kind: 'leaf', numLeaves: 1 };

/** A plain object ({...} or Object.create(null)): a dict node. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function node(kind: 'tuple' | 'dict', children: TreeSpec[], keys: string[]): TreeSpec {
  const numLeaves = children.reduce((n, c) => n + c.numLeaves, 0);
  return kind === 'tuple' ? { kind, children, numLeaves } : { kind, keys, children, numLeaves };
}

/** tree_flatten: the leaves in order and the structure to rebuild the tree from them. */
export function treeFlatten(tree: unknown): [unknown[], TreeSpec] {
  const leaves: unknown[] = [];
  const walk = (t: unknown): TreeSpec => {
    if (Array.isArray(t)) return node('tuple', t.map(walk), []);
    if (isPlainObject(t)) {
      const keys = Object.keys(t);
      return node('dict', keys.map((k) => walk(t[k])), keys);
    }
    leaves.push(t);
    return LEAF;
  };
  const spec = walk(tree);
  return [leaves, spec];
}

/** tree_unflatten: the tree of `spec` with `values` as its leaves. */
export function treeUnflatten(values: readonly unknown[], spec: TreeSpec): unknown {
  let next = 0;
  const build = (s: TreeSpec): unknown => {
    if (s.kind === 'leaf') return values[next++];
    if (s.kind === 'tuple') return s.children.map(build);
    const out: Record<string, unknown> = {};
    s.children.forEach((c, i) => (out[s.keys[i]] = build(c)));
    return out;
  };
  return build(spec);
}

/** tree_map: the same structure with fn applied to every leaf. */
export function treeMap(fn: (leaf: unknown) => unknown, tree: unknown): unknown {
  const [leaves, spec] = treeFlatten(tree);
  return treeUnflatten(leaves.map(fn), spec);
}

/**
 * _broadcast_to_and_flatten: `tree` (a prefix of spec's structure, its leaves standing for whole
 * subtrees) flattened to one value per leaf of spec; null when the structures do not match.
 */
export function broadcastToAndFlatten(tree: unknown, spec: TreeSpec): unknown[] | null {
  const out: unknown[] = [];
  const walk = (t: unknown, s: TreeSpec): boolean => {
    if (!Array.isArray(t) && !isPlainObject(t)) {
      for (let i = 0; i < s.numLeaves; i++) out.push(t);
      return true;
    }
    if (s.kind === 'leaf') return false;
    if (Array.isArray(t)) {
      if (s.kind !== 'tuple' || t.length !== s.children.length) return false;
      return t.every((c, i) => walk(c, s.children[i]));
    }
    if (s.kind !== 'dict') return false;
    const keys = Object.keys(t);
    if (keys.length !== s.keys.length || keys.some((k, i) => k !== s.keys[i])) return false;
    return keys.every((k, i) => walk(t[k], s.children[i]));
  };
  return walk(tree, spec) ? out : null;
}

export function specsEqual(a: TreeSpec, b: TreeSpec): boolean {
  if (a.kind !== b.kind || a.numLeaves !== b.numLeaves) return false;
  if (a.kind === 'leaf' || b.kind === 'leaf') return true;
  if (a.children.length !== b.children.length) return false;
  if (a.kind === 'dict' && b.kind === 'dict' && a.keys.some((k, i) => k !== b.keys[i])) return false;
  return a.children.every((c, i) => specsEqual(c, b.children[i]));
}

const pyStr = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Python's repr of a TreeSpec: `*`, `TreeSpec(tuple, None, [*, *])`, `TreeSpec(dict, ['k'], [*])`. */
export function specRepr(spec: TreeSpec): string {
  if (spec.kind === 'leaf') return '*';
  const children = `[${spec.children.map(specRepr).join(', ')}]`;
  if (spec.kind === 'tuple') return `TreeSpec(tuple, None, ${children})`;
  return `TreeSpec(dict, [${spec.keys.map(pyStr).join(', ')}], ${children})`;
}

/** functorch's treespec_pprint: the structure with `*` leaves, as Python prints it: `(*, {'k': *})`. */
export function specPprint(spec: TreeSpec): string {
  if (spec.kind === 'leaf') return '*';
  const parts = spec.children.map(specPprint);
  if (spec.kind === 'tuple') return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
  return `{${parts.map((p, i) => `${pyStr(spec.keys[i])}: ${p}`).join(', ')}}`;
}
