// torch.jit.save and ScriptModule.save / saveToBuffer: libtorch writes the TorchScript archive (on
// the libuv pool); a file appears whole or not at all (written beside it, then renamed).
import * as fs from 'fs';
import { native, ScriptHandle } from '../native';
import { tempPathFor } from '../serialization/atomic-write';
import { asScriptError } from './errors';

/** The module's archive at f. */
export async function saveHandle(handle: ScriptHandle, f: string): Promise<void> {
  const tmp = tempPathFor(f);
  try {
    await native.jitSave(handle, tmp).catch(asScriptError);
    await fs.promises.rename(tmp, f);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}

/** The module's archive as bytes. */
export function saveHandleToBuffer(handle: ScriptHandle): Promise<Buffer> {
  return native.jitSaveToBuffer(handle).catch(asScriptError);
}
