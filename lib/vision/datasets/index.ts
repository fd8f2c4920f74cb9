// torchvision.datasets
export { MNIST, FashionMNIST, DEFAULT_FASHION_MNIST_ROOT } from './mnist';
export type { MNISTOptions } from './mnist';
export { DatasetFolder, ImageFolder, IMG_EXTENSIONS, findClasses, makeDataset, defaultLoader } from './folder';
export type { DatasetFolderOptions, DatasetFolderArgs, ImageFolderOptions } from './folder';
export { FakeData } from './fake-data';
export type { FakeDataOptions } from './fake-data';
export { CIFAR10, CIFAR100 } from './cifar';
export type { CIFAROptions } from './cifar';
