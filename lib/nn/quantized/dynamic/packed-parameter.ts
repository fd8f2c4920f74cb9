// torch.ao.nn.quantized.dynamic.PackedParameter: a module around one layer-direction's packed cell
// weights, so that they sit in the state_dict under `_all_weight_values.N.param` as Python's do.
import { TorchError } from '../../../errors';
import { Module, StateDict, LocalMetadata } from '../../module';
import { CellParams } from './cell-params';

export class PackedParameter extends Module {
  param: CellParams;

  constructor(param: CellParams) {
    super();
    this.param = param;
  }

  protected _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void {
    super._saveToStateDict(dest, prefix, keepVars);
    (dest as Record<string, unknown>)[prefix + 'param'] = this.param.toScriptObject();
  }

  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
    localMetadata: LocalMetadata = {},
  ): void {
    const key = prefix + 'param';
    if (!stateDict.has(key)) throw new TorchError(`KeyError: '${key}'`);
    this.param = CellParams.fromScriptObject(stateDict.get(key), key);
    stateDict.delete(key);
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }
}
