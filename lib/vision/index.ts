// torch-node/vision (torchvision): models (with weights enums), transforms, datasets, io, utils (makeGrid, saveImage, flowToImage), ops.
export * as models from './models';
export * as transforms from './transforms';
export * as datasets from './datasets';
export * as io from './io';
export * as utils from './utils';
export * as ops from './ops';
// whole-module torch.save/torch.load: torchvision classes by their Python paths
import '../serialization/modules/torchvision-classes';
