// torch.utils.tensorboard: SummaryWriter (and FileWriter) writing TensorBoard event files.
export { SummaryWriter, FileWriter } from './writer';
export type { SummaryWriterOptions } from './writer';
export * as summary from './summary-exports';
