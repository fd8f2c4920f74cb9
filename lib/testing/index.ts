// torch.testing
export { assertClose } from './assert-close';
export type { AssertCloseOptions } from './assert-close';
export { makeTensor } from './make-tensor';
export type { MakeTensorOptions } from './make-tensor';
export { assertAllclose, makeNonContiguous, rand, randn } from './deprecated';
export {
  allTypes,
  allTypesAnd,
  allTypesAndComplex,
  allTypesAndComplexAnd,
  allTypesAndHalf,
  complexTypes,
  doubleTypes,
  emptyTypes,
  floatingAndComplexTypes,
  floatingAndComplexTypesAnd,
  floatingTypes,
  floatingTypesAnd,
  floatingTypesAndHalf,
  getAllComplexDtypes,
  getAllDeviceTypes,
  getAllDtypes,
  getAllFpDtypes,
  getAllIntDtypes,
  getAllMathDtypes,
  integralTypes,
  integralTypesAnd,
} from './dtype-getters';
