// torchvision's module classes by Python path (torchvision.models.<file>.<Name>, and the blocks of
// torchvision.ops), registered for whole-module torch.save / torch.load. Imported by torch-node/vision
// (the vision layer), so that serialization itself never depends on it.
import * as alexnet from '../../vision/models/alexnet';
import * as convnext from '../../vision/models/convnext';
import * as densenet from '../../vision/models/densenet';
import * as efficientnet from '../../vision/models/efficientnet';
import * as googlenet from '../../vision/models/googlenet';
import * as inception from '../../vision/models/inception';
import * as maxvit from '../../vision/models/maxvit';
import * as mnasnet from '../../vision/models/mnasnet';
import * as mobilenetv2 from '../../vision/models/mobilenetv2';
import * as mobilenetv3 from '../../vision/models/mobilenetv3';
import * as ops from '../../vision/models/ops';
import * as regnet from '../../vision/models/regnet';
import * as resnet from '../../vision/models/resnet';
import * as shufflenetv2 from '../../vision/models/shufflenetv2';
import * as squeezenet from '../../vision/models/squeezenet';
import * as swinTransformer from '../../vision/models/swin-transformer';
import * as vgg from '../../vision/models/vgg';
import * as visionTransformer from '../../vision/models/vision-transformer';
import * as quantizableResnet from '../../vision/models/quantization/resnet';
import * as quantizableMobilenetv2 from '../../vision/models/quantization/mobilenetv2';
import * as quantizableMobilenetv3 from '../../vision/models/quantization/mobilenetv3';
import * as quantizableGooglenet from '../../vision/models/quantization/googlenet';
import * as quantizableInception from '../../vision/models/quantization/inception';
import * as quantizableShufflenetv2 from '../../vision/models/quantization/shufflenetv2';
import { QuantizableBasicConv2d } from '../../vision/models/quantization/basic-conv';
import '../../nn/python-class-path';
import { registerPythonClass, registerPythonModules } from './registry';
import { registerPartial } from './load-module';

registerPythonModules('torchvision.models', {
  alexnet,
  convnext,
  densenet,
  efficientnet,
  googlenet,
  inception,
  maxvit,
  mnasnet,
  mobilenetv2,
  mobilenetv3,
  regnet,
  resnet,
  shufflenetv2,
  squeezenet,
  swin_transformer: swinTransformer,
  vgg,
  vision_transformer: visionTransformer,
});
// the quantizable models (converted ones pickle these with nn.quantized layers inside)
registerPythonModules('torchvision.models.quantization', {
  resnet: quantizableResnet,
  mobilenetv2: quantizableMobilenetv2,
  mobilenetv3: quantizableMobilenetv3,
  googlenet: quantizableGooglenet,
  inception: quantizableInception,
  shufflenetv2: quantizableShufflenetv2,
});
// torchvision defines QuantizableBasicConv2d twice (googlenet, inception); one class here, saved as inception's
registerPythonClass('torchvision.models.quantization.inception.QuantizableBasicConv2d', QuantizableBasicConv2d);
registerPythonClass('torchvision.models.quantization.googlenet.QuantizableBasicConv2d', QuantizableBasicConv2d);
// the blocks torchvision keeps in torchvision.ops (Conv2dNormActivation, SqueezeExcitation, Permute, StochasticDepth)
registerPythonModules('torchvision.ops', { misc: ops, stochastic_depth: ops });
// classes exported here under other names than torchvision's
registerPythonClass('torchvision.models.mobilenetv3.InvertedResidual', mobilenetv3.InvertedResidualV3);
registerPythonClass('torchvision.models.googlenet.InceptionAux', googlenet.GoogLeNetAux);
// torchvision defines BasicConv2d twice (googlenet, inception); one class here, saved as inception's
registerPythonClass('torchvision.models.googlenet.BasicConv2d', inception.BasicConv2d);
// ViT's default norm_layer, an attribute of the model: saved as Python's partial(nn.LayerNorm, eps=1e-6)
registerPartial(visionTransformer.defaultNorm, { path: 'torch.nn.modules.normalization.LayerNorm', args: [], keywords: [['eps', 1e-6]] });
