// torch.nn.utils.skip_init: build a module without running its parameter initialisation.
import { TorchError } from '../../errors';
import { DeviceLike } from '../../tensor/device';
import { isOptions } from '../../keywords';
import { Module } from '../module';

/**
 * skip_init(module_cls, *args, **kwargs): the module built on the meta device, then given
 * uninitialised memory on `device` (default 'cpu') with toEmpty. The class must take a device option.
 */
export function skipInit<C extends new (...args: any[]) => Module>(moduleCls: C, ...args: ConstructorParameters<C>): InstanceType<C> {
  if (typeof moduleCls !== 'function' || !(moduleCls.prototype instanceof Module)) {
    throw new TorchError(`Expected a Module; got ${typeof moduleCls === 'function' ? `<class '${(moduleCls as { name: string }).name}'>` : String(moduleCls)}`);
  }
  const a: unknown[] = [...args];
  const last = a.length > 0 ? a[a.length - 1] : undefined;
  const options: Record<string, unknown> = isOptions(last) ? { ...(a.pop() as Record<string, unknown>) } : {};
  const finalDevice = (options.device ?? 'cpu') as DeviceLike;
  options.device = 'meta';
  const m = new moduleCls(...a, options) as InstanceType<C>;
  return m.toEmpty({ device: finalDevice });
}
