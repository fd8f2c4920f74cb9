// torchvision.models.detection's weights enums (FasterRCNN_ResNet50_FPN_Weights.COCO_V1, ...), from
// the generated table: COCO categories (and keypoint names), the ObjectDetection preset.
import { Weights, enumsOf, rowMeta } from '../weights';
import { DETECTION_WEIGHTS_DATA } from '../weights-data';
import { COCO_CATEGORIES, COCO_PERSON_CATEGORIES, COCO_PERSON_KEYPOINT_NAMES } from './coco-categories';
import { ObjectDetection } from './object-detection-preset';

/** A detection entry: meta.keypointNames for the keypoint models; transforms() is ObjectDetection. */
export class DetectionWeights extends Weights {
  constructor(enumName: string, name: string, url: string, meta: Weights['meta'], readonly keypointNames: readonly string[] | null) {
    super(enumName, name, url, { preset: 'ObjectDetection' } as never, meta);
  }

  transforms(): ObjectDetection {
    return new ObjectDetection();
  }
}

export const DETECTION_WEIGHTS = enumsOf(DETECTION_WEIGHTS_DATA, (enumName, name, row) => {
  const m = row.meta;
  const categories = m.categories === 'coco' ? COCO_CATEGORIES : COCO_PERSON_CATEGORIES;
  return new DetectionWeights(enumName, name, row.url, rowMeta(m, categories), m.keypoint_names === 'coco_person' ? COCO_PERSON_KEYPOINT_NAMES : null);
});
