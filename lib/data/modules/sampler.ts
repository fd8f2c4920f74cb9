// torch.utils.data.sampler: the path scripts name samplers by (torch.utils.data.sampler.BatchSampler)
export { Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } from '../sampler';
