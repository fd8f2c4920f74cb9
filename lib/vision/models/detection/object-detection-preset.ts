// torchvision.transforms._presets.ObjectDetection: what a detection weights entry's transforms()
// returns; the image as a float tensor in [0, 1] (the models normalise and resize themselves).
import { Tensor } from '../../../tensor/tensor';
import { float32 } from '../../../tensor/dtype';
import * as F from '../../transforms/functional';
import { Transform } from '../../transforms/transforms';

export class ObjectDetection extends Transform<Tensor, Tensor> {
  forward(img: Tensor): Tensor {
    return F.convertImageDtype(img, float32);
  }

  toString(): string {
    return 'ObjectDetection()';
  }
}
