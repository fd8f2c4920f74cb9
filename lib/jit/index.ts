// torch.jit: TorchScript archives that Python's torch.jit.save (of a scripted or traced module)
// writes, loaded as modules that run, train and save again here, with libtorch's interpreter.
import * as fs from 'fs';
import { native } from '../native';
import { TorchError, ValueError } from '../errors';
import { Device } from '../tensor/device';
import { checkKeywords, keysOf } from '../keywords';
import { ScriptModule } from './script-module';
import { asScriptError } from './errors';
import { saveHandle } from './save';

export { ScriptModule, ScriptModule as RecursiveScriptModule } from './script-module';
export { trace } from './trace';
export { freeze, optimizeForInference } from './freeze';
export type { FreezeOptions, OptimizeForInferenceOptions } from './freeze';
export { isScripting, isTracing } from './tracing';
export { Future, fork, wait } from './future';
export { JitError as Error } from './errors';

export interface JitLoadOptions {
  /** where the tensors go ('cpu', 'cuda:0', a torch.device); by default where they were saved */
  mapLocation?: string | Device | null;
}
const LOAD_KEYS = keysOf<JitLoadOptions>()('mapLocation');

/**
 * torch.jit.load(f, { mapLocation }): a TorchScript archive (a path or its bytes) as a ScriptModule.
 * The archive is read and its module built on the libuv pool.
 */
export async function load(f: string | Uint8Array, options: JitLoadOptions = {}): Promise<ScriptModule> {
  checkKeywords('jit.load', options, LOAD_KEYS);
  if (typeof f === 'string') {
    if (!fs.existsSync(f)) throw new ValueError(`The provided filename ${f} does not exist`);
    if (fs.statSync(f).isDirectory()) throw new ValueError(`The provided filename ${f} is a directory`);
  }
  const source = typeof f === 'string' ? f : Buffer.from(f.buffer, f.byteOffset, f.byteLength);
  const device = options.mapLocation == null ? null : String(options.mapLocation);
  const handle = await native.jitLoad(source, device).catch(asScriptError);
  return new ScriptModule(handle);
}

/**
 * torch.jit.save(m, f): the module as a TorchScript archive that Python's torch.jit.load opens. The
 * file appears whole or not at all (written beside it, then renamed).
 */
export async function save(m: ScriptModule, f: string): Promise<void> {
  if (!(m instanceof ScriptModule)) {
    throw new TorchError('torch.jit.save expects a ScriptModule (from torch.jit.load); save an nn.Module with torch.save(model.stateDict(), f)');
  }
  await saveHandle(m._scriptHandle(), f);
}
