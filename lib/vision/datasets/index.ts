// torchvision.datasets
export { MNIST, FashionMNIST, DEFAULT_FASHION_MNIST_ROOT } from './mnist';
export type { MNISTOptions } from './mnist';
