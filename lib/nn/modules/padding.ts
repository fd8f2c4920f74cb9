// torch.nn.modules.padding
export { ConstantPad1d, ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, ZeroPad2d,
  CircularPad1d, CircularPad2d, CircularPad3d, ZeroPad1d, ZeroPad3d } from '../layers/padding';
