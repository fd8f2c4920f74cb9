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
export * as activation from './activation';
export * as adaptive from './adaptive';
export * as channelshuffle from './channelshuffle';
export * as container from './container';
export * as distance from './distance';
export * as flatten from './flatten';
export * as fold from './fold';
export * as loss from './loss';
export * as padding from './padding';
export * as pixelshuffle from './pixelshuffle';
export * as rnn from './rnn';
export * as sparse from './sparse';
export * as transformer from './transformer';
export * as upsampling from './upsampling';
