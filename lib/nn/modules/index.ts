// torch.nn.modules.<file>: the paths Python code names layer classes by, private family bases
// included (isinstance(m, nn.modules.batchnorm._BatchNorm) in torchvision's set_weight_decay).
export * as module from './module';
export * as linear from './linear';
export * as conv from './conv';
export * as batchnorm from './batchnorm';
export * as instancenorm from './instancenorm';
export * as normalization from './normalization';
export * as dropout from './dropout';
export * as pooling from './pooling';
