// torchvision.models.detection.generalized_rcnn.GeneralizedRCNN: transform -> backbone -> RPN ->
// RoI heads -> detections mapped back to the input sizes. Training returns the dict of losses,
// eval the list of detections (boxes, labels, scores, and masks / keypoints where the heads have them).
import { AssertionError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { Module } from '../../../nn/module';
import { GeneralizedRCNNTransform, TensorDict } from './transform';
import { RegionProposalNetwork } from './rpn';
import { RoIHeads } from './roi-heads';
import { checkDegenerateBoxes } from './degenerate-boxes';
import { pySize } from '../../../py-format';

export class GeneralizedRCNN extends Module {
  transform: GeneralizedRCNNTransform;
  backbone: Module;
  rpn: RegionProposalNetwork;
  roi_heads: RoIHeads;

  constructor(backbone: Module, rpn: RegionProposalNetwork, roiHeads: RoIHeads, transform: GeneralizedRCNNTransform) {
    super();
    this.transform = transform;
    this.backbone = backbone;
    this.rpn = rpn;
    this.roi_heads = roiHeads;
  }

  /** images: [C, H, W] tensors (0-1 floats); targets (training): boxes [N, 4] float, labels [N] int64, masks, keypoints */
  forward(images: readonly Tensor[], targets: readonly TensorDict[] | null = null): Record<string, Tensor> | TensorDict[] {
    if (this.training) {
      if (targets === null || targets === undefined) throw new AssertionError('targets should not be none when in training mode');
      for (const target of targets) {
        const boxes = target.boxes;
        if (!(boxes instanceof Tensor)) throw new AssertionError(`Expected target boxes to be of type Tensor, got ${typeof boxes}.`);
        if (!(boxes.dim() === 2 && boxes.size(-1) === 4)) throw new AssertionError(`Expected target boxes to be a tensor of shape [N, 4], got ${pySize(boxes.shape)}.`);
      }
    }
    const originalImageSizes = images.map((img) => img.shape.slice(-2) as [number, number]);
    const [imageList, tTargets] = this.transform(images, targets ?? null);
    checkDegenerateBoxes(tTargets);
    let features = this.backbone(imageList.tensors) as Record<string, Tensor> | Tensor;
    if (features instanceof Tensor) features = { '0': features };
    const [proposals, proposalLosses] = this.rpn(imageList, features, tTargets);
    const [detections, detectorLosses] = this.roi_heads(features, proposals, imageList.imageSizes, tTargets);
    const post = this.transform.postprocess(detections, imageList.imageSizes, originalImageSizes);
    if (this.training) return { ...detectorLosses, ...proposalLosses };
    return post;
  }
}
