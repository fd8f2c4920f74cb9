// Whole-module torch.save / torch.load of torchvision's quantizable shufflenet_v2 and mobilenet_v3,
// prepared (observed) and converted, both ways with PyTorch 1.13 (qnnpack): see describeQuantizable in
// serialization-module-harness.ts.
import * as vision from '../lib/vision';
import { describeQuantizable } from './serialization-module-harness';

const qm = vision.models.quantization;

describeQuantizable([
  { name: 'shufflenet_v2_x0_5', make: () => qm.shufflenetV2X0_5(), size: 32, probe: 'stage3' },
  { name: 'mobilenet_v3_large', make: () => qm.mobilenetV3Large(), size: 32, probe: 'features.6' },
]);
