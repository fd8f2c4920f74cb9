// torchvision.transforms._presets.OpticalFlow: what an optical-flow weights entry's transforms()
// returns; both images as contiguous float tensors mapped from [0, 1] to [-1, 1].
import { Tensor } from '../../../tensor/tensor';
import { float32 } from '../../../tensor/dtype';
import { PyTypeError } from '../../../errors';
import * as F from '../../transforms/functional';
import { Transform } from '../../transforms/transforms';

/** preset(img1, img2) -> [img1, img2]: batched [B, C, H, W] or single [C, H, W] images. */
export interface OpticalFlow {
  (img1: Tensor, img2: Tensor): [Tensor, Tensor];
}
export class OpticalFlow extends Transform<Tensor, [Tensor, Tensor]> {
  forward(img1: Tensor, img2?: Tensor): [Tensor, Tensor] {
    if (img2 === undefined) throw new PyTypeError("forward() missing 1 required positional argument: 'img2'");
    const prepare = (img: Tensor) => F.normalize(F.convertImageDtype(img, float32), [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]).contiguous();
    return [prepare(img1), prepare(img2)];
  }

  toString(): string {
    return 'OpticalFlow()';
  }
}
