// torch.testing
export { assertClose } from './assert-close';
export type { AssertCloseOptions } from './assert-close';
