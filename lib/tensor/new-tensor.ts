// Tensor.newTensor (Python's new_tensor): torch.tensor(data) with this tensor's dtype and device by
// default. A method written here rather than in tensor.ts, since it needs create.ts (which needs tensor.ts).
import { warn } from '../errors';
import { checkKeywords, keysOf } from '../keywords';
import { Tensor } from './tensor';
import { tensor, TensorOptions } from './create';
import { TensorData } from './nested';

declare module './tensor' {
  interface Tensor {
    /** x.newTensor(data, { dtype, device, requiresGrad }): a copy of data, x's dtype and device unless given. */
    newTensor(data: TensorData | bigint | ArrayBufferView, options?: TensorOptions): Tensor;
  }
}

const KEYS = keysOf<TensorOptions>()('dtype', 'device', 'requiresGrad');

const COPY_WARNING =
  'To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or ' +
  'sourceTensor.clone().detach().requiresGrad_(true), rather than tensor.newTensor(sourceTensor).';

Object.defineProperty(Tensor.prototype, 'newTensor', {
  value: function newTensor(this: Tensor, data: TensorData | bigint | ArrayBufferView, options: TensorOptions = {}): Tensor {
    checkKeywords('newTensor', options, KEYS);
    const dtype = options.dtype ?? this.dtype;
    const device = options.device ?? this.device;
    if (data instanceof Tensor) {
      warn(COPY_WARNING);
      const copy = data.detach().to({ dtype, device, copy: true });
      return options.requiresGrad ? copy.requiresGrad_(true) : copy;
    }
    return tensor(data, { dtype, device, requiresGrad: options.requiresGrad });
  },
  writable: true,
  configurable: true,
});
