// torch.jit.trace: runs an nn.Module's forward once under libtorch's tracer and returns the recorded
// graph as a ScriptModule, which torch.jit.save writes for Python's (or C++'s) torch.jit.load. The
// traced module holds the model's own parameters and buffers, as Python's traced module does.
import { native, Handle } from '../native';
import { TorchError, warn } from '../errors';
import { Module, _setTraceScopes } from '../nn/module';
import { Tensor } from '../tensor/tensor';
import { noGrad } from '../autograd/grad-mode';
import { wrapHandle } from '../tensor/aten';
import * as nnModules from '../nn/modules';
import { ArgsOf, signature } from '../keywords';
import { ScriptModule } from './script-module';

export interface TraceArgs {
  func: Module;
  exampleInputs: Tensor | Tensor[];
  optimize?: null;
  /** run the traced module on the example inputs and warn where it differs (default true; eval mode only) */
  checkTrace?: boolean;
  checkInputs?: null;
  checkTolerance?: number;
  /** refuse dict outputs, as Python's strict=True (default) */
  strict?: boolean;
}
const TRACE = signature<TraceArgs>()(['func', 'exampleInputs'], ['optimize', 'checkTrace', 'checkInputs', 'checkTolerance', 'strict']);

/** The TorchScript class names of library layers: Python's module paths (torch.nn.modules.linear.Linear). */
let libraryNames: Map<unknown, string> | undefined;

function className(m: Module): string {
  if (!libraryNames) {
    libraryNames = new Map();
    for (const [file, exports] of Object.entries(nnModules)) {
      for (const [name, cls] of Object.entries(exports)) libraryNames.set(cls, `__torch__.torch.nn.modules.${file}.${name}`);
    }
  }
  return libraryNames.get(m.constructor) ?? `__torch__.${m._getName()}`;
}

interface ModuleSpec {
  name: string;
  training: boolean;
  parameters: [string, Handle][];
  buffers: [string, Handle][];
  children: [string, ModuleSpec][];
}

/** What the native side builds the TorchScript module from: the JS module's own tensors, shared. */
function specOf(m: Module): ModuleSpec {
  if (m instanceof ScriptModule) throw new TorchError('torch.jit.trace: this module (or a submodule) is already a ScriptModule');
  return {
    name: className(m),
    training: m.training,
    parameters: m._ownParameters().map(([name, p]) => [name, p._h]),
    buffers: m._ownBuffers().flatMap(([name, b]) => (b === null ? [] : [[name, b._h] as [string, Handle]])),
    children: m._ownModules().map(([name, child]) => [name, specOf(child)]),
  };
}

/** A forward's output for the tracer: tensors as handles, arrays (tuples) and dicts element by element. */
function toTraceOutput(v: unknown): unknown {
  if (v instanceof Tensor) return v._h;
  if (Array.isArray(v)) return v.map(toTraceOutput);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, toTraceOutput(e)]));
  }
  throw new TorchError(`Only tensors, lists, tuples of tensors, or dictionary of tensors can be output from traced functions, got ${typeof v}`);
}

function tensorsOf(v: unknown): Tensor[] {
  if (v instanceof Tensor) return [v];
  if (Array.isArray(v)) return v.flatMap(tensorsOf);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(tensorsOf);
  return [];
}

/** Python's _check_trace, on the example inputs: each output of the trace against the eager one. */
function checkTrace(traced: ScriptModule, inputs: Tensor[], eager: unknown, tolerance: number): void {
  const got = tensorsOf(noGrad(() => traced(...inputs)));
  const want = tensorsOf(eager);
  want.forEach((w, i) => {
    const g = got[i];
    const same = g !== undefined && g.shape.join() === w.shape.join() && (w.dtype.isFloatingPoint ? g.allclose(w, tolerance, tolerance) : g.equal(w));
    if (!same) {
      warn(
        `Output nr ${i + 1}. of the traced function does not match the corresponding output of the Python function. ` +
          'Detailed error:\nthe traced graph gives other values on the example inputs (a value read in JS, such as a shape or a number, is a constant of the trace)',
      );
    }
  });
}

/**
 * torch.jit.trace(module, exampleInputs, { checkTrace, checkTolerance, strict }): module's forward
 * on the example inputs, recorded as a TorchScript graph. Only tensor operations are recorded:
 * shapes, numbers and control flow in JS are fixed at the values they had, as Python's tracer fixes
 * Python values.
 */
export function trace(...args: ArgsOf<typeof TRACE>): ScriptModule {
  const { func, exampleInputs, checkTrace: check = true, checkTolerance = 1e-5, strict = true } = TRACE.bind('jit.trace', args);
  if (!(func instanceof Module)) throw new TorchError('torch.jit.trace here traces an nn.Module (wrap a function in one)');
  const inputs = exampleInputs instanceof Tensor ? [exampleInputs] : [...exampleInputs];
  if (!inputs.every((x) => x instanceof Tensor)) throw new TorchError('torch.jit.trace: example inputs must be tensors');
  let eager: unknown;
  // each submodule's forward becomes its own method, as in Python (the root's is the trace itself)
  _setTraceScopes(new Map([...func.namedModules()].filter(([name]) => name !== '').map(([name, m]) => [m, `__module.${name}`])));
  let handle;
  try {
    handle = native.jitTrace(
      specOf(func),
      inputs.map((x) => x._h),
      (...handles: Handle[]) => toTraceOutput((eager = func(...handles.map((h) => wrapHandle(h))))),
      strict,
    );
  } finally {
    _setTraceScopes(null);
  }
  const traced = new ScriptModule(handle);
  if (check && !func.training) checkTrace(traced, inputs, eager, checkTolerance);
  return traced;
}
