// The shape most of torchvision's classification sets share (DTD, Food101, GTSRB, FGVCAircraft,
// SUN397, OxfordIIITPet, Country211's lists...): a list of image files and their labels; an item is
// the RGB image (PIL's open().convert('RGB'), as uint8 [3, H, W]) and its label, transformed.
import { Tensor } from '../../tensor/tensor';
import { VisionDataset, listIndex } from './vision-dataset';
import { loadRgbImage } from './readers/pil-loader';

export abstract class ImageListDataset<I, T, L = number> extends VisionDataset<[I, T]> {
  /** the image files, in torchvision's order */
  protected abstract readonly imageFiles: readonly string[];
  /** their labels (torchvision's _labels) */
  protected abstract readonly labels: readonly L[];

  len(): number {
    return this.imageFiles.length;
  }

  /** The image decodes at once; the transforms run in getItem's call order (VisionDataset.inTurn). */
  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      () => {
        const i = listIndex(index, this.imageFiles.length);
        return loadRgbImage(this.imageFiles[i]).then((img): [Tensor, L] => [img, this.labels[i]]);
      },
      ([img, label]) => this.applyTransforms(img, label) as [I, T],
    );
  }
}
