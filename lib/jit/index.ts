// torch.jit: TorchScript archives that Python's torch.jit.save (of a scripted or traced module)
// writes, loaded as modules that run, train and save again here, with libtorch's interpreter.
import * as fs from 'fs';
import { native } from '../native';
import { TorchError, ValueError } from '../errors';
import { Device } from '../tensor/device';
import { checkKeywords, keysOf } from '../keywords';
import { tempPathFor } from '../serialization/atomic-write';
import { ScriptModule } from './script-module';

export { ScriptModule, ScriptModule as RecursiveScriptModule } from './script-module';
export { trace } from './trace';

export interface JitLoadOptions {
  /** where the tensors go ('cpu', 'cuda:0', a torch.device); by default where they were saved */
  mapLocation?: string | Device | null;
}
const LOAD_KEYS = keysOf<JitLoadOptions>()('mapLocation');

/** libtorch's rejection as a TorchError with its message. */
function asTorchError(e: unknown): never {
  if (e instanceof TorchError) throw e;
  throw new TorchError(e instanceof Error ? e.message : String(e));
}

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
  const handle = await native.jitLoad(source, device).catch(asTorchError);
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
  const tmp = tempPathFor(f);
  try {
    await native.jitSave(m._scriptHandle(), tmp).catch(asTorchError);
    await fs.promises.rename(tmp, f);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}
