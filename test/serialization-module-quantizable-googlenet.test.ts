// Whole-module torch.save / torch.load of torchvision's quantizable googlenet, prepared (observed) and
// converted, both ways with PyTorch 1.13 (qnnpack): see describeQuantizable in serialization-module-harness.ts.
import * as vision from '../lib/vision';
import { describeQuantizable } from './serialization-module-harness';

const qm = vision.models.quantization;

describeQuantizable([
  { name: 'googlenet', make: () => qm.googlenet({ initWeights: false }), size: 64, probe: 'inception4b' },
]);
