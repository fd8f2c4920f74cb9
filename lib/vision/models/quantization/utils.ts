// torchvision.models.quantization.utils: _replace_relu, quantize_model and _fuse_modules, which the
// quantizable models and their builders share.
import { TorchError } from '../../../errors';
import { Module } from '../../../nn/module';
import { ReLU, ReLU6 } from '../../../nn/layers/activation';
import { rand } from '../../../tensor/create';
import { quantized as engines } from '../../../ao/quantization/engine';
import { QConfig } from '../../../ao/quantization/qconfig';
import { defaultObserver, defaultWeightObserver, defaultPerChannelWeightObserver } from '../../../ao/quantization/observers/defaults';
import { prepare, convert } from '../../../ao/quantization/quantize';
import { fuseModules, fuseModulesQat } from '../../../ao/quantization/fuse-modules';

/** A model quantize_model can quantize: it knows which of its modules to fuse. */
export interface FusableModel extends Module {
  fuseModel(isQat?: boolean | null): void;
}

/**
 * _replace_relu(module): every ReLU and ReLU6 (exactly those classes, not subclasses) becomes a
 * ReLU(inplace=False): quantized kernels fuse ReLU into the convolution, not ReLU6, and an in-place
 * activation could not be observed.
 */
export function replaceRelu(module: Module): void {
  const reassign: [string, Module][] = [];
  for (const [name, mod] of module.namedChildren()) {
    replaceRelu(mod);
    if (mod.constructor === ReLU || mod.constructor === ReLU6) reassign.push([name, new ReLU({ inplace: false })]);
  }
  for (const [name, mod] of reassign) module.addModule(name, mod);
}

/**
 * quantize_model(model, backend): post-training static quantization in place, calibrated on one
 * torch.rand(1, 3, 299, 299) batch; the weight observer is the one the published weights used.
 */
export function quantizeModel(model: FusableModel, backend: string): void {
  const dummyInputData = rand(1, 3, 299, 299);
  if (!engines.supportedEngines.includes(backend)) throw new TorchError('Quantized backend not supported ');
  engines.engine = backend;
  model.eval();
  const q = model as unknown as { qconfig?: QConfig };
  if (backend === 'fbgemm') q.qconfig = new QConfig(defaultObserver, defaultPerChannelWeightObserver);
  else if (backend === 'qnnpack') q.qconfig = new QConfig(defaultObserver, defaultWeightObserver);
  model.fuseModel();
  prepare(model, { inplace: true });
  model(dummyInputData);
  convert(model, { inplace: true });
}

/** _fuse_modules(model, modulesToFuse, isQat, inplace): QAT fusion when isQat (null: model.training), else eval fusion. */
export function fuseModulesOf(model: Module, modulesToFuse: string[] | string[][], isQat: boolean | null | undefined, inplace = true): Module {
  const qat = isQat ?? model.training;
  return (qat ? fuseModulesQat : fuseModules)(model, modulesToFuse, { inplace });
}
