// torchvision.utils: make_grid, save_image and flow_to_image (make-grid.ts), and the draw_* functions,
// which rasterise as Pillow does (draw-*.ts over raster.ts and colors.ts).
export { makeGrid, saveImage, flowToImage } from './make-grid';
export type { MakeGridOptions, SaveImageOptions } from './make-grid';
export { drawSegmentationMasks } from './draw-segmentation-masks';
export { drawBoundingBoxes } from './draw-bounding-boxes';
export type { DrawBoundingBoxesArgs } from './draw-bounding-boxes';
export type { Color, RGB } from './colors';
export { drawKeypoints } from './draw-keypoints';
export type { DrawKeypointsArgs } from './draw-keypoints';
