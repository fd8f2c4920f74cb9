// torch.fft.fftfreq / rfftfreq: the sample frequencies of an n-point (real) FFT with sample spacing
// d, as Python's factories with their keyword-only out/dtype/device/requiresGrad.
import { aten } from '../tensor/aten';
import { factoryKwargs, finish, TensorOptions } from '../tensor/create';
import { Tensor } from '../tensor/tensor';
import { ArgsOf, signature } from '../keywords';

type FreqArgs = { n: number; d?: number; out?: Tensor } & TensorOptions;
const FREQ = signature<FreqArgs>()(['n'], ['d'], ['out', 'dtype', 'device', 'requiresGrad']);

function factory(name: 'fftfreq' | 'rfftfreq') {
  const op = aten(`fft_${name}`, '');
  const opOut = aten(`fft_${name}`, 'out');
  return (...args: ArgsOf<typeof FREQ>): Tensor => {
    const { n, d = 1.0, out, ...options } = FREQ.bind(name, args);
    if (out) {
      (opOut([n, d], { out }) as Tensor).dispose();
      return finish(out, options);
    }
    return finish(op([n, d], factoryKwargs(name, options)) as Tensor, options);
  };
}

/** torch.fft.fftfreq(n, d=1.0): [0, 1, ..., ceil(n/2)-1, -floor(n/2), ..., -1] / (d n). */
export const fftfreq = factory('fftfreq');
/** torch.fft.rfftfreq(n, d=1.0): [0, 1, ..., floor(n/2)] / (d n), the frequencies rfft returns. */
export const rfftfreq = factory('rfftfreq');
