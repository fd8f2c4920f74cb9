// torch.utils.data.distributed: pytorch/examples' imagenet builds
// torch.utils.data.distributed.DistributedSampler(train_dataset)
export { DistributedSampler } from '../distributed';
