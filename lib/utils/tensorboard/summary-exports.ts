// torch.utils.tensorboard.summary's functions, which build the Summary messages.
export { scalar, histogram, histogramRaw, image, text, customScalars, prCurve, prCurveRaw, mesh, imageBoxes, drawBoxes } from './summary';
export { hparams } from './hparams';
export { makeHistogram } from './histogram';
export { audio } from './audio';
