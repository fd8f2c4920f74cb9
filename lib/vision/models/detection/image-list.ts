// torchvision.models.detection.image_list.ImageList: the padded batch of images and the size each
// image had before padding (what boxes are clipped to).
import { Tensor } from '../../../tensor/tensor';
import type { DeviceLike } from '../../../tensor/device';

export class ImageList {
  /**
   * @param tensors [N, C, H, W], the images padded to one size
   * @param imageSizes each image's [height, width] before padding
   */
  constructor(
    readonly tensors: Tensor,
    readonly imageSizes: [number, number][],
  ) {}

  to(device: DeviceLike): ImageList {
    return new ImageList(this.tensors.to(device), this.imageSizes);
  }
}
