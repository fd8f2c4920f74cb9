// Whole-module torch.save / torch.load against PyTorch 1.13, both ways (serialization-module-harness.ts):
// the linear, conv, normalization, dropout, pooling, padding, shuffle, fold and distance layers.
import { runHarness, checkSpec } from './serialization-module-harness';
import { LAYER_SPECS as SPECS } from './serialization-module-specs';

describe('whole modules, both ways with Python: layers', () => {
  const h = runHarness(SPECS);
  SPECS.forEach((_, i) => checkSpec(h, SPECS, i));
});
