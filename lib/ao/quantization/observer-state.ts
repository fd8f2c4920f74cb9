// observer.py's get_observer_state_dict / load_observer_state_dict: saving and restoring only the
// calibration state (every activation_post_process entry) of a prepared model.
import { TorchError } from '../../errors';
import { Module, StateDict } from '../../nn/module';
import { asOrderedDict, orderedDictAttributes } from '../../serialization/py-types';
import { isActivationPostProcess } from './quantize';

/** get_observer_state_dict(mod): the state_dict entries of mod's observers (with its _metadata). */
export function getObserverStateDict(mod: Module): StateDict {
  const full = mod.stateDict();
  const out = Object.create(null) as StateDict;
  for (const [k, v] of Object.entries(full)) if (k.includes('activation_post_process')) out[k] = v;
  return asOrderedDict(out, { _metadata: orderedDictAttributes(full)?._metadata });
}

type Loader = (sd: Map<string, unknown>, prefix: string, missing: string[], unexpected: string[], errors: string[], metadata: object) => void;

/** load_observer_state_dict(mod, obsDict): loads each observer's entries; a missing or unexpected observer key is an error. */
export function loadObserverStateDict(mod: Module, obsDict: StateDict | Map<string, unknown>): void {
  const dict = obsDict instanceof Map ? new Map(obsDict) : new Map(Object.entries(obsDict));
  const missingKeys: string[] = [];
  const unexpectedKeys: string[] = [];
  for (const [name, module] of mod.namedModules()) {
    if (!isActivationPostProcess(module)) continue;
    // Module's own loader (protected), as Python calls module._load_from_state_dict
    const load = (module as unknown as { _loadFromStateDict: Loader })._loadFromStateDict.bind(module);
    const local = new Map([...dict].filter(([k]) => k.startsWith(`${name}.`)));
    load(local, `${name}.`, missingKeys, unexpectedKeys, [], {});
  }
  for (const k of missingKeys) if (k.includes('observer') || k.includes('activation_post_process')) throw new TorchError(`Missing keys for observer ${k} in state_dict`);
  for (const k of unexpectedKeys) if (k.includes('observer') || k.includes('activation_post_process')) throw new TorchError(`Unexpected keys for observer ${k} in state_dict`);
}
