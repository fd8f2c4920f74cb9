// The globals a file may name, as torch.load(weights_only=True) allows them: rebuild functions for
// tensors and parameters, storage types, dtypes, OrderedDict, torch.Size, torch.device, sparse COO
// tensors (sparse.ts), quantized tensors and qschemes (quantized.ts), numpy arrays, dtypes and
// scalars decoded as data (numpy.ts), TorchScript custom-class objects as their state and class
// name (script-object.ts). Nothing else resolves, so nothing else can be called.
import { DType, toDType, DTypeName } from '../tensor/dtype';
import { device } from '../tensor/device';
import { TorchError } from '../errors';
import { PyGlobal, UnpicklerHooks, unpicklingError } from './unpickler';
import { asOrderedDict, isTuple, orderedDictAttributes } from './py-types';
import { StorageRef, TensorRef, tensorRef } from './refs';
import { numpyGlobals, NumpyArray, NumpyDType } from './numpy';
import { sparseGlobals } from './sparse';
import { quantizedGlobals } from './quantized';
import { ScriptObject, buildScriptObject, scriptObjectGlobal } from './script-object';
import { LEGACY_STORAGE_NAMES } from '../tensor/storage/legacy-names';
import { ModuleClasses, ModuleRef, PartialRef, buildPartial, findModuleGlobal } from './modules/load-module';

/** Storage class name (torch.FloatStorage) <-> dtype: the legacy storage classes' table. */
export const STORAGE_TYPES = LEGACY_STORAGE_NAMES;

const DTYPE_NAMES: DTypeName[] = ['float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool', 'complex64', 'complex128', 'qint8', 'quint8', 'qint32', 'quint4x2', 'quint2x4'];

/** A storage type as a pickle value: carries its dtype. */
export class StorageType {
  constructor(
    readonly qualifiedName: string,
    readonly dtype: DType,
  ) {}
}

function fn(qualifiedName: string, call: (args: unknown[]) => unknown): PyGlobal {
  return { qualifiedName, call };
}

function arity(name: string, args: unknown[], min: number, max: number): void {
  if (args.length < min || args.length > max) throw unpicklingError(`${name} takes ${min}..${max} arguments, got ${args.length}`);
}

function parameter(name: string) {
  return (args: unknown[]): TensorRef => {
    const data = args[0];
    if (!(data instanceof TensorRef)) throw unpicklingError(`${name} expects a tensor`);
    return data.withRequiresGrad(args.length > 1 ? args[1] === true : true);
  };
}

const ALLOWED = new Map<string, PyGlobal>();
function allow(g: PyGlobal): void {
  ALLOWED.set(g.qualifiedName, g);
}

allow(
  fn('collections.OrderedDict', (args) => {
    const m = new Map<unknown, unknown>();
    if (args.length === 1 && Array.isArray(args[0])) {
      for (const pair of args[0] as unknown[]) {
        if (!Array.isArray(pair) || pair.length !== 2) throw unpicklingError('OrderedDict expects (key, value) pairs');
        m.set(pair[0], pair[1]);
      }
    } else if (args.length > 0) throw unpicklingError('OrderedDict takes a list of pairs');
    return asOrderedDict(m); // saved back as an OrderedDict
  }),
);
allow(
  fn('torch._utils._rebuild_tensor', (args) => {
    arity('_rebuild_tensor', args, 4, 4);
    return tensorRef(args[0], args[1], args[2], args[3], false);
  }),
);
allow(
  fn('torch._utils._rebuild_tensor_v2', (args) => {
    arity('_rebuild_tensor_v2', args, 6, 7);
    return tensorRef(args[0], args[1], args[2], args[3], args[4]);
  }),
);
allow(
  fn('torch._utils._rebuild_tensor_v3', (args) => {
    arity('_rebuild_tensor_v3', args, 7, 8);
    if (!(args[6] instanceof DType)) throw unpicklingError('_rebuild_tensor_v3 expects a dtype');
    return tensorRef(args[0], args[1], args[2], args[3], args[4], args[6]);
  }),
);
allow(fn('torch._utils._rebuild_parameter', parameter('_rebuild_parameter')));
allow(fn('torch._utils._rebuild_parameter_with_state', parameter('_rebuild_parameter_with_state')));
allow(fn('torch.nn.parameter.Parameter', parameter('Parameter')));
allow(
  fn('torch.Size', (args) => {
    if (args.length === 0) return [];
    if (!Array.isArray(args[0]) || !(args[0] as unknown[]).every((v) => typeof v === 'number')) throw unpicklingError('torch.Size expects a tuple of ints');
    return [...(args[0] as number[])];
  }),
);
allow(
  fn('torch.device', (args) => {
    if (typeof args[0] !== 'string' || (args[1] !== undefined && typeof args[1] !== 'number')) throw unpicklingError('torch.device expects a string');
    try {
      return device(args[0], args[1] as number | undefined);
    } catch (e) {
      throw unpicklingError((e as Error).message);
    }
  }),
);
// argparse.Namespace (the `args` torchvision's training references save in every checkpoint): a dict
// of its attributes; only plain data fills it (BUILD), nothing runs
const namespaces = new WeakSet<Map<unknown, unknown>>();
allow(
  fn('argparse.Namespace', (args) => {
    if (args.length !== 0) throw unpicklingError('argparse.Namespace is only allowed without arguments');
    const m = new Map<unknown, unknown>();
    namespaces.add(m);
    return m;
  }),
);
// protocol-2 pickles of bytes: _codecs.encode(text, 'latin1')
allow(
  fn('_codecs.encode', (args) => {
    if (typeof args[0] !== 'string' || (args[1] !== 'latin1' && args[1] !== 'latin-1')) throw unpicklingError('_codecs.encode is only allowed for latin1 bytes');
    return Uint8Array.from(args[0], (c) => c.charCodeAt(0) & 0xff);
  }),
);
// protocol-2 pickles of empty bytes: bytes() (Python 2 names the module __builtin__)
for (const module of ['builtins', '__builtin__']) {
  allow(
    fn(`${module}.bytes`, (args) => {
      if (args.length !== 0) throw unpicklingError('bytes() is only allowed without arguments');
      return new Uint8Array(0);
    }),
  );
}
for (const name of ['_rebuild_sparse_csr_tensor', '_rebuild_meta_tensor_no_storage']) {
  allow(
    fn(`torch._utils.${name}`, () => {
      throw new TorchError(`torch-node cannot load ${name.replace(/_rebuild_|_no_storage/g, '').replace(/_/g, ' ')} tensors (torch._utils.${name})`);
    }),
  );
}
for (const g of [...numpyGlobals(), ...sparseGlobals(), ...quantizedGlobals(), scriptObjectGlobal()]) allow(g);
for (const [cls, dtype] of STORAGE_TYPES) {
  for (const module of ['torch', 'torch.cuda']) {
    const qualifiedName = `${module}.${cls}`;
    ALLOWED.set(qualifiedName, { qualifiedName, value: new StorageType(qualifiedName, toDType(dtype)) });
  }
}
// Python pickles an UntypedStorage by its class, torch.storage.UntypedStorage
for (const qualifiedName of ['torch.UntypedStorage', 'torch.storage.UntypedStorage']) {
  ALLOWED.set(qualifiedName, { qualifiedName, value: new StorageType(qualifiedName, toDType('uint8')) });
}
for (const name of DTYPE_NAMES) ALLOWED.set(`torch.${name}`, { qualifiedName: `torch.${name}`, value: toDType(name) });

// a module's _non_persistent_buffers_set: set(list) (protocol 2 names the module __builtin__)
for (const module of ['builtins', '__builtin__']) {
  allow(
    fn(`${module}.set`, (args) => {
      if (args.length > 1 || (args.length === 1 && !Array.isArray(args[0]))) throw unpicklingError('set() is only allowed of a list');
      return new Set((args[0] as unknown[] | undefined) ?? []);
    }),
  );
}

/** Whole modules (torch.save(model)): allowed unless weightsOnly, with the caller's extra classes. */
export interface ModuleLoading {
  classes?: ModuleClasses;
}

/**
 * Hooks for unpickle(): the allowlist, and BUILD limited to OrderedDict metadata and parameter state;
 * with `modules`, also the registered module classes (and the caller's), built from their state.
 */
export function restrictedHooks(persistentLoad: (pid: unknown) => StorageRef, modules?: ModuleLoading): UnpicklerHooks {
  return {
    findGlobal(module, name) {
      const g = ALLOWED.get(`${module}.${name}`) ?? (modules ? findModuleGlobal(`${module}.${name}`, modules.classes) : undefined);
      if (!g || g.value === undefined) return g;
      // values (dtypes, storage types) go on the stack as themselves
      return g.value as PyGlobal;
    },
    persistentLoad(pid) {
      if (!isTuple(pid) && !Array.isArray(pid)) throw unpicklingError('persistent id must be a tuple');
      const tag = (pid as unknown[])[0];
      if (tag !== 'storage') throw unpicklingError(`only persistent_load of storage is allowed, but got ${String(tag)}`);
      return persistentLoad(pid);
    },
    build(target, state) {
      // a module's __dict__: kept until its tensors exist (materialize.ts builds the module)
      if (target instanceof ModuleRef && target.state === undefined) {
        target.state = state;
        return true;
      }
      if (target instanceof PartialRef) return buildPartial(target, state);
      // numpy arrays and dtypes: their state is their data (checked by setState)
      if (target instanceof NumpyArray || target instanceof NumpyDType) {
        target.setState(state);
        return true;
      }
      // a TorchScript custom-class object: (state, qualified name), checked by buildScriptObject
      if (target instanceof ScriptObject) {
        buildScriptObject(target, state);
        return true;
      }
      // a Namespace's attributes become its entries
      if (target instanceof Map && namespaces.has(target) && state instanceof Map) {
        for (const [k, v] of state) target.set(k, v);
        return true;
      }
      // OrderedDict's __dict__ (state_dict._metadata): kept, for loadStateDict's versions and for
      // saving back; a Parameter's extra state: accepted, dropped
      if (target instanceof Map && state instanceof Map && [...state.keys()].every((k) => typeof k === 'string')) {
        asOrderedDict(target, { ...orderedDictAttributes(target), ...Object.fromEntries(state) });
        return true;
      }
      return (target instanceof Map || target instanceof TensorRef) && (state === null || state instanceof Map || Array.isArray(state));
    },
  };
}
