// torch-node/vision (torchvision): datasets so far; models and transforms come with their issues.
export * as datasets from './datasets';
