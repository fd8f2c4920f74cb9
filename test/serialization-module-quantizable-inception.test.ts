// Whole-module torch.save / torch.load of torchvision's quantizable inception_v3, prepared (observed) and
// converted, both ways with PyTorch 1.13 (qnnpack): see describeQuantizable in serialization-module-harness.ts.
import * as vision from '../lib/vision';
import { describeQuantizable } from './serialization-module-harness';

const qm = vision.models.quantization;

describeQuantizable([
  { name: 'inception_v3', make: () => qm.inceptionV3({ initWeights: false }), size: 75, probe: 'Mixed_5d' },
]);
