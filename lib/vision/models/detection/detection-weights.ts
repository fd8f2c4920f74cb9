// torchvision.models.detection's weights enums (FasterRCNN_ResNet50_FPN_Weights.COCO_V1, ...), from
// the generated table: COCO categories (and keypoint names), the ObjectDetection preset.
import { Weights, WeightsEnum } from '../weights';
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

type EnumName = keyof typeof DETECTION_WEIGHTS_DATA;

function buildEnum(enumName: EnumName): WeightsEnum {
  const data = DETECTION_WEIGHTS_DATA[enumName];
  const out: Record<string, Weights> = {};
  for (const [name, e] of Object.entries(data.entries) as [string, { url: string; meta: Record<string, unknown> }][]) {
    const m = e.meta;
    out[name] = new DetectionWeights(
      enumName,
      name,
      e.url,
      {
        categories: m.categories === 'coco' ? COCO_CATEGORIES : COCO_PERSON_CATEGORIES,
        numParams: m.num_params as number,
        minSize: m.min_size as number[],
        recipe: m.recipe as string,
        metrics: m._metrics as Record<string, Record<string, number>>,
      },
      m.keypoint_names === 'coco_person' ? COCO_PERSON_KEYPOINT_NAMES : null,
    );
  }
  out.DEFAULT = out[data.default];
  return Object.freeze(out) as WeightsEnum;
}

export const DETECTION_WEIGHTS: Readonly<Record<EnumName, WeightsEnum>> = Object.fromEntries(
  Object.keys(DETECTION_WEIGHTS_DATA).map((k) => [k, buildEnum(k as EnumName)]),
) as Record<EnumName, WeightsEnum>;
