// torchvision.models.segmentation._utils._SimpleSegmentationModel, the base of FCN and DeepLabV3:
// backbone features -> classifier (and aux_classifier) -> upsampled to the input's size.
import { Tensor } from '../../../tensor/tensor';
import { Module } from '../../../nn/module';
import { interpolate } from '../../../nn/functional/vision';
import { release } from '../../../nn/intermediates';

/** What a segmentation model returns: Python's OrderedDict {'out': ..., 'aux': ...} as an object. */
export interface SegmentationOutput {
  out: Tensor;
  aux?: Tensor;
}

/**
 * head(features), bilinearly resized to `size` (align_corners=False), freeing the head's output. The
 * features came in a dict, which nn/intermediates.ts does not track through user code: they are kept.
 */
export function headToSize(head: Module, features: unknown, size: number[], input: Tensor): Tensor {
  const logits = head(features) as Tensor;
  const out = interpolate(logits, { size, mode: 'bilinear', alignCorners: false });
  release(logits, input, out);
  return out;
}

export class SimpleSegmentationModel extends Module {
  backbone: Module;
  classifier: Module;
  // torchvision's attribute name: the state_dict keys are aux_classifier.*
  aux_classifier: Module | null;

  constructor(backbone: Module, classifier: Module, auxClassifier: Module | null = null) {
    super();
    this.backbone = backbone;
    this.classifier = classifier;
    this.aux_classifier = auxClassifier;
  }

  forward(x: Tensor): SegmentationOutput {
    const size = x.shape.slice(-2);
    const features = this.backbone(x) as Record<string, Tensor>;
    const result: SegmentationOutput = { out: headToSize(this.classifier, features.out, size, x) };
    if (this.aux_classifier) result.aux = headToSize(this.aux_classifier, features.aux, size, x);
    return result;
  }
}
