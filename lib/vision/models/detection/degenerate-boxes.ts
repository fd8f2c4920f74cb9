// The check every torchvision detector makes of its targets after the transform: a box must have
// positive width and height (x2 > x1, y2 > y1), else Python's AssertionError naming the first one.
import { AssertionError } from '../../../errors';
import * as torch from '../../../index';
import { pyFloat } from '../../../py-format';
import { TensorDict } from './transform';

/** After the transform: every target box has positive width and height. */
export function checkDegenerateBoxes(targets: readonly TensorDict[] | null): void {
  targets?.forEach((target, targetIdx) => {
    const boxes = target.boxes;
    const degenerate = boxes.index(':', torch.slice(2)).le(boxes.index(':', torch.slice(null, 2)));
    if (degenerate.any().item()) {
      const bbIdx = torch.where(degenerate.any(1))[0].index(0);
      const degenBb = (boxes.index(bbIdx).tolist() as number[]).map(pyFloat);
      throw new AssertionError(`All bounding boxes should have positive height and width. Found invalid box [${degenBb.join(', ')}] for target at index ${targetIdx}.`);
    }
  });
}
