// The main job's CNN: a convolutional backbone (two conv-batchnorm-relu-pool blocks) and a small MLP
// head. Transfer learning keeps the backbone and swaps the head. PYTHON_MODEL is the same class in
// PyTorch, so the saved state_dict loads there (its keys: backbone.0.weight, ..., head.bias).
import * as torch from '../../lib';
import { nn, Tensor } from '../../lib';

/** backbone output size */
export const FEATURES = 32 * 7 * 7;

export class FashionCNN extends nn.Module {
  backbone = new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { padding: 1 }),
    new nn.BatchNorm2d(16),
    new nn.ReLU(),
    new nn.MaxPool2d(2), // 28x28 -> 14x14
    new nn.Conv2d(16, 32, 3, { padding: 1 }),
    new nn.BatchNorm2d(32),
    new nn.ReLU(),
    new nn.MaxPool2d(2), // -> 7x7
    new nn.Flatten(),
  );
  head: nn.Module;

  constructor(numClasses = 10) {
    super();
    this.head = FashionCNN.newHead(numClasses);
  }

  /** The classifier on the backbone's 32x7x7 features. */
  static newHead(numClasses: number): nn.Sequential {
    return new nn.Sequential(new nn.Linear(FEATURES, 128), new nn.ReLU(), new nn.Linear(128, numClasses));
  }

  forward(x: Tensor): Tensor {
    return this.head(this.backbone(x));
  }
}

/** The same model in PyTorch (for the tests, the benchmark and anyone loading the .pt in Python). */
export const PYTHON_MODEL = `
import torch
from torch import nn
class FashionCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, num_classes))
    def forward(self, x):
        return self.head(self.backbone(x))
`;

/** Loads a state_dict file (ours or Python's) into a fresh model, in eval mode. */
export async function loadFashionCNN(file: string, numClasses = 10): Promise<FashionCNN> {
  const model = new FashionCNN(numClasses);
  model.loadStateDict((await torch.load(file, { weightsOnly: true })) as Record<string, Tensor>);
  return model.eval();
}
