// The TorchScript custom-class objects the dynamic RNN layers keep in their state_dicts, as Python's
// do (CellParamsBase, LinearPackedParamsBase): the value itself (ScriptObject: class name and state)
// lives in serialization, which loads and saves it; here are the states these layers read and write.
import { TorchError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { asTuple } from '../../../serialization/py-types';
import { ScriptObject } from '../../../serialization/script-object';

export { ScriptObject };

export const LINEAR_PACKED_PARAMS_CLASS = '__torch__.torch.classes.quantized.LinearPackedParamsBase';
export const CELL_PARAMS_CLASS = '__torch__.torch.classes.rnn.CellParamsBase';

/** A LinearPackedParamsBase's state: the (weight, bias) tuple. */
export function linearPackedObject(weight: Tensor, bias: Tensor | null): ScriptObject {
  return new ScriptObject(LINEAR_PACKED_PARAMS_CLASS, asTuple([weight, bias]));
}

/** The state of a ScriptObject of the given class; a TorchError for anything else. */
export function scriptObjectState(v: unknown, qualifiedName: string, where: string): unknown[] {
  // by shape rather than class: an unpickler's own record of a torch.ScriptObject serves as well
  const o = v as { qualifiedName?: unknown; state?: unknown } | null;
  if (o === null || typeof o !== 'object' || o.qualifiedName !== qualifiedName || !Array.isArray(o.state)) {
    const got = o !== null && typeof o === 'object' && typeof o.qualifiedName === 'string' ? o.qualifiedName : typeof v;
    throw new TorchError(`${where}: expected a ${qualifiedName} object, got ${got}`);
  }
  return o.state;
}

/** (weight, bias) from a LinearPackedParamsBase object. */
export function linearPackedState(v: unknown, where: string): [Tensor, Tensor | null] {
  const state = scriptObjectState(v, LINEAR_PACKED_PARAMS_CLASS, where);
  const [weight, bias] = state;
  if (state.length !== 2 || !(weight instanceof Tensor) || !(bias === null || bias === undefined || bias instanceof Tensor)) {
    throw new TorchError(`${where}: a LinearPackedParamsBase state is a (weight, bias) tuple`);
  }
  return [weight, (bias as Tensor | null | undefined) ?? null];
}
