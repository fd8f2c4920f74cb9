# One epoch of the main job (examples/fashion-mnist.ts) in PyTorch: the same CNN, data pipeline
# (per-item ToTensor of the uint8 images, shuffled DataLoader), Adam, cross-entropy, then the test
# set. Prints one JSON line: {"seconds": epoch wall time, "cpu": its CPU time, "testAccuracy": ...}.
# Usage: python3 bench/e2e.py THREADS BATCH_SIZE [LIMIT]
import gzip, json, sys, time
import torch
from torch import nn
from torch_threads import set_threads

threads, batch_size = int(sys.argv[1]), int(sys.argv[2])
limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
set_threads(threads)
ROOT = '/usr/share/datasets/fashion-mnist'


def idx(name, offset):
    with gzip.open('%s/%s.gz' % (ROOT, name), 'rb') as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8, offset=offset)


class FashionImages(torch.utils.data.Dataset):
    def __init__(self, train, limit=None):
        split = 'train' if train else 't10k'
        self.images = idx('%s-images-idx3-ubyte' % split, 16).view(-1, 28, 28)[:limit]
        self.labels = idx('%s-labels-idx1-ubyte' % split, 8).long()[:limit].tolist()

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.images[i].float().div(255).unsqueeze(0), self.labels[i]


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


torch.manual_seed(0)
train_loader = torch.utils.data.DataLoader(FashionImages(True, limit), batch_size=batch_size, shuffle=True)
test_loader = torch.utils.data.DataLoader(FashionImages(False), batch_size=1000)
model = FashionCNN()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)

t0, c0 = time.perf_counter(), time.process_time()
model.train()
for inputs, labels in train_loader:
    optimizer.zero_grad()
    outputs = model(inputs)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0

model.eval()
correct = 0
with torch.no_grad():
    for inputs, labels in test_loader:
        correct += (model(inputs).argmax(1) == labels).sum().item()
print(json.dumps({'seconds': seconds, 'cpu': cpu, 'testAccuracy': correct / len(test_loader.dataset)}))
