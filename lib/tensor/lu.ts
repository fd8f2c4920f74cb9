// torch.lu / Tensor.lu: PyTorch's deprecated LU entry point (torch/functional.py), kept so ported
// scripts run. It is _lu_with_info with errors raised unless the caller asked for the infos;
// libtorch itself warns that torch.linalg.lu_factor replaces it.
import { fn } from '../ops/resolve';
import { checkKeywords, keysOf } from '../keywords';
import { Tensor } from './tensor';

export interface LuOptions {
  /** partial pivoting (the default); false is supported on CUDA only */
  pivot?: boolean;
  /** also return the infos tensor (and do not raise for singular inputs) */
  getInfos?: boolean;
}
const LU_KEYS = keysOf<LuOptions>()('pivot', 'getInfos');
const luWithInfo = fn('_lu_with_info');

/** torch.lu(A, { pivot, getInfos }): [LU, pivots], or [LU, pivots, infos] with getInfos. */
export function lu(A: Tensor, options: LuOptions = {}): [Tensor, Tensor] | [Tensor, Tensor, Tensor] {
  checkKeywords('lu', options, LU_KEYS);
  const { pivot = true, getInfos = false } = options;
  const [LU, pivots, infos] = luWithInfo(A, { pivot, checkErrors: !getInfos }) as Tensor[];
  return getInfos ? [LU, pivots, infos] : [LU, pivots];
}

declare module './tensor' {
  interface Tensor {
    /** Deprecated x.lu({ pivot, getInfos }) = torch.lu(x): prefer torch.linalg.luFactor. */
    lu(options?: LuOptions): [Tensor, Tensor] | [Tensor, Tensor, Tensor];
  }
}

Object.defineProperty(Tensor.prototype, 'lu', {
  value: function luMethod(this: Tensor, options: LuOptions = {}) {
    return lu(this, options);
  },
  writable: true,
  configurable: true,
});
