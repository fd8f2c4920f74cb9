// torch.testing
export { assertClose } from './assert-close';
export type { AssertCloseOptions } from './assert-close';
export { makeTensor } from './make-tensor';
export type { MakeTensorOptions } from './make-tensor';
