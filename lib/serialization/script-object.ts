// A TorchScript custom-class object (torch.ScriptObject) as data: its class's qualified name and the
// state its __getstate__ returns. Python's dynamic RNN layers keep such objects in their state_dicts
// (CellParamsBase, LinearPackedParamsBase); torch.save pickles each as NEWOBJ of torch.ScriptObject
// then BUILD with (state, qualified name). Loading keeps exactly those two, so no code runs: the
// layers that own the class rebuild their packed weights from the state.
import { TorchError } from '../errors';
import { unpicklingError, PyGlobal } from './unpickler';
import { asTuple, isTuple } from './py-types';

const CUSTOM_CLASS_PREFIX = '__torch__.torch.classes.';
// '__torch__.torch.classes.<namespace>.<Class>': dotted Python identifiers only
const QUALIFIED_NAME = /^__torch__\.torch\.classes(\.[A-Za-z_][A-Za-z0-9_]*){2,}$/;

function isCustomClassName(name: unknown): name is string {
  return typeof name === 'string' && QUALIFIED_NAME.test(name);
}

export class ScriptObject {
  /** '__torch__.torch.classes.rnn.CellParamsBase', ... */
  declare readonly qualifiedName: string;
  /** what the object's __getstate__ returns (tuples marked as such) */
  declare readonly state: unknown;

  constructor(qualifiedName: string, state: unknown) {
    if (!isCustomClassName(qualifiedName)) {
      throw new TorchError(`ScriptObject: expected a custom class name under ${CUSTOM_CLASS_PREFIX}, got ${JSON.stringify(qualifiedName)}`);
    }
    setFields(this, qualifiedName, state);
  }

  toString(): string {
    return `<torch.ScriptObject ${this.qualifiedName}>`;
  }
}

function setFields(target: ScriptObject, qualifiedName: string, state: unknown): void {
  Object.defineProperty(target, 'qualifiedName', { value: qualifiedName, enumerable: true });
  Object.defineProperty(target, 'state', { value: state, enumerable: true });
  Object.freeze(target);
}

// NEWOBJ makes the object before BUILD gives it its fields; the memo may already hold it by then,
// so BUILD fills this very object in rather than replacing it
const unbuilt = new WeakSet<ScriptObject>();

/** The global torch.ScriptObject: only NEWOBJ with no arguments (Python's copyreg.__newobj__ form). */
export function scriptObjectGlobal(): PyGlobal {
  return {
    qualifiedName: 'torch.ScriptObject',
    call() {
      throw unpicklingError('torch.ScriptObject can only be created by NEWOBJ and then BUILD with (state, qualified name)');
    },
    newObj(args: unknown[]) {
      if (args.length !== 0) throw unpicklingError(`torch.ScriptObject takes no NEWOBJ arguments, got ${args.length}`);
      const o = Object.create(ScriptObject.prototype) as ScriptObject;
      unbuilt.add(o);
      return o;
    },
  };
}

/** BUILD on a ScriptObject from NEWOBJ: state must be (state, qualified name) of an allowed class. */
export function buildScriptObject(target: ScriptObject, state: unknown): void {
  if (!unbuilt.has(target)) throw unpicklingError(`BUILD on a torch.ScriptObject that is already built (${target.qualifiedName})`);
  if (!isTuple(state) || (state as unknown[]).length !== 2) {
    throw unpicklingError('torch.ScriptObject BUILD expects a (state, qualified name) tuple');
  }
  const [inner, name] = state as unknown[];
  if (!isCustomClassName(name)) {
    throw unpicklingError(`torch.ScriptObject of class ${typeof name === 'string' ? name : typeof name}: only custom classes under ${CUSTOM_CLASS_PREFIX} may be loaded`);
  }
  unbuilt.delete(target);
  setFields(target, name, inner);
}

/**
 * The loaded object with its state made of torch-node values (materialize's `convert`); a TorchError
 * for one that NEWOBJ made but no BUILD filled in.
 */
export function convertScriptObject(v: ScriptObject, convert: (state: unknown) => unknown): ScriptObject {
  if (unbuilt.has(v)) throw unpicklingError('a torch.ScriptObject was created by NEWOBJ but never built (BUILD with (state, qualified name))');
  return new ScriptObject(v.qualifiedName, convert(v.state));
}

/** The (state, qualified name) tuple torch.save writes for BUILD. */
export function scriptObjectBuildState(v: ScriptObject): unknown[] {
  return asTuple([v.state, v.qualifiedName]);
}
