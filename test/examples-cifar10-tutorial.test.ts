// PyTorch's "Training a Classifier" tutorial (CIFAR10, a small CNN, SGD with momentum) ported line
// by line, against the Python original on a tiny CIFAR10 in the real on-disk format (5 training
// batches of 8 images, a test batch of 12): every step's loss, the printed lines, the saved and
// reloaded weights' test predictions and the per-class accuracies (num_workers=0); then the
// DataLoader(batch_size=4, shuffle=True, num_workers=2) batches of two epochs equal Python's.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { DataLoader, fromModule } from '../lib/data';
import { datasets, transforms } from '../lib/vision';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

const F = torch.nn.functional;
const close = closeWithin(1e-4);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cifar10-tutorial-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The tiny CIFAR10 (images with a class-dependent tint, so the net learns something); its md5s. */
const md5s = runPython<Record<string, string>>(`
import os, pickle, numpy as np
from torchvision.datasets.utils import calculate_md5
rng = np.random.RandomState(1)
d = os.path.join(${JSON.stringify(root)}, 'cifar-10-batches-py'); os.makedirs(d)
md5 = {}
for name, labels in [('data_batch_%d' % k, rng.randint(0, 10, 8)) for k in range(1, 6)] + [('test_batch', np.r_[np.arange(10), 3, 7])]:
    data = (rng.randint(0, 128, (len(labels), 3072)) + 12 * labels[:, None]).astype(np.uint8)
    with open(os.path.join(d, name), 'wb') as f:
        pickle.dump({'batch_label': name, 'labels': labels.tolist(), 'data': data, 'filenames': ['%d.png' % i for i in range(len(labels))]}, f, protocol=2)
    md5[name] = calculate_md5(os.path.join(d, name))
with open(os.path.join(d, 'batches.meta'), 'wb') as f:
    pickle.dump({'label_names': ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']}, f, protocol=2)
md5['batches.meta'] = calculate_md5(os.path.join(d, 'batches.meta'))
result = md5`);

const PY_DATASET = `
import torchvision
import torchvision.transforms as transforms
md5 = ${JSON.stringify(md5s)}
class TinyCIFAR10(torchvision.datasets.CIFAR10):
    train_list = [['data_batch_%d' % k, md5['data_batch_%d' % k]] for k in range(1, 6)]
    test_list = [['test_batch', md5['test_batch']]]
    meta = {'filename': 'batches.meta', 'key': 'label_names', 'md5': md5['batches.meta']}
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
batch_size = 4
root = ${JSON.stringify(root)}
`;

class TinyCIFAR10 extends datasets.CIFAR10 {
  static readonly trainList = [1, 2, 3, 4, 5].map((k) => [`data_batch_${k}`, md5s[`data_batch_${k}`]] as const);
  static readonly testList = [['test_batch', md5s.test_batch] as const];
  static readonly meta = { filename: 'batches.meta', key: 'label_names', md5: md5s['batches.meta'] };
}

interface TutorialResult {
  losses: number[];
  log: string[];
  groundTruth: string;
  predicted: string;
  stateDict: Record<string, number[]>;
}

test('the tutorial gives Python\'s losses, printed lines, predictions and accuracies (num_workers=0)', async () => {
  const PATH = path.join(root, 'cifar_net.pth');
  const py = runPython<TutorialResult>(`${PY_DATASET}
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
LOG = []
def print(s): LOG.append(s)
torch.manual_seed(0)
trainset = TinyCIFAR10(root=root, train=True, download=True, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=batch_size, shuffle=True, num_workers=0)
testset = TinyCIFAR10(root=root, train=False, download=True, transform=transform)
testloader = torch.utils.data.DataLoader(testset, batch_size=batch_size, shuffle=False, num_workers=0)
classes = ('plane', 'car', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck')

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x

net = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
losses = []
for epoch in range(2):
    running_loss = 0.0
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        running_loss += loss.item()
        if i % 5 == 4:
            print(f'[{epoch + 1}, {i + 1:5d}] loss: {running_loss / 5:.3f}')
            running_loss = 0.0
print('Finished Training')
PATH = ${JSON.stringify(PATH + '.py')}
torch.save(net.state_dict(), PATH)
dataiter = iter(testloader)
images, labels = next(dataiter)
ground_truth = 'GroundTruth: ' + ' '.join(f'{classes[labels[j]]:5s}' for j in range(4))
net = Net()
net.load_state_dict(torch.load(PATH))
outputs = net(images)
_, predicted = torch.max(outputs, 1)
predicted_line = 'Predicted: ' + ' '.join(f'{classes[predicted[j]]:5s}' for j in range(4))
correct = 0
total = 0
with torch.no_grad():
    for data in testloader:
        images, labels = data
        outputs = net(images)
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()
print(f'Accuracy of the network on the {total} test images: {100 * correct // total} %')
correct_pred = {classname: 0 for classname in classes}
total_pred = {classname: 0 for classname in classes}
with torch.no_grad():
    for data in testloader:
        images, labels = data
        outputs = net(images)
        _, predictions = torch.max(outputs, 1)
        for label, prediction in zip(labels, predictions):
            if label == prediction:
                correct_pred[classes[label]] += 1
            total_pred[classes[label]] += 1
for classname, correct_count in correct_pred.items():
    accuracy = 100 * float(correct_count) / total_pred[classname]
    print(f'Accuracy for class: {classname:5s} is {accuracy:.1f} %')
result = dict(losses=losses, log=LOG, groundTruth=ground_truth, predicted=predicted_line,
              stateDict={k: v.flatten()[:20].tolist() for k, v in net.state_dict().items()})
del print`);

  // ---- the port ----
  const log: string[] = [];
  const print = (s: string) => log.push(s);
  torch.manualSeed(0);
  const transform = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])]);
  const batchSize = 4;
  // download=True finds the files verified and says so, as torchvision prints it
  const printed = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const trainset = new TinyCIFAR10({ root, train: true, download: true, transform });
  const trainloader = new DataLoader(trainset, { batchSize, shuffle: true, numWorkers: 0 });
  const testset = new TinyCIFAR10({ root, train: false, download: true, transform });
  expect(printed.mock.calls).toEqual([['Files already downloaded and verified'], ['Files already downloaded and verified']]);
  printed.mockRestore();
  const testloader = new DataLoader(testset, { batchSize, shuffle: false, numWorkers: 0 });
  const classes = ['plane', 'car', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

  class Net extends nn.Module {
    conv1 = new nn.Conv2d(3, 6, 5);
    pool = new nn.MaxPool2d(2, 2);
    conv2 = new nn.Conv2d(6, 16, 5);
    fc1 = new nn.Linear(16 * 5 * 5, 120);
    fc2 = new nn.Linear(120, 84);
    fc3 = new nn.Linear(84, 10);

    forward(x: torch.Tensor): torch.Tensor {
      x = this.pool(F.relu(this.conv1(x)));
      x = this.pool(F.relu(this.conv2(x)));
      x = torch.flatten(x, 1);
      x = F.relu(this.fc1(x));
      x = F.relu(this.fc2(x));
      x = this.fc3(x);
      return x;
    }
  }

  let net = new Net();
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.SGD(net.parameters(), { lr: 0.001, momentum: 0.9 });
  const losses: number[] = [];
  for (let epoch = 0; epoch < 2; epoch++) {
    let runningLoss = 0.0;
    let i = 0;
    for await (const data of trainloader) {
      const [inputs, labels] = data;
      optimizer.zeroGrad();
      const outputs = net(inputs);
      const loss = criterion(outputs, labels);
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
      runningLoss += loss.item();
      if (i % 5 === 4) {
        print(`[${epoch + 1}, ${String(i + 1).padStart(5)}] loss: ${(runningLoss / 5).toFixed(3)}`);
        runningLoss = 0.0;
      }
      i++;
    }
  }
  print('Finished Training');
  await torch.save(net.stateDict(), PATH);
  const [firstImages, firstLabels] = (await testloader[Symbol.asyncIterator]().next()).value as [torch.Tensor, torch.Tensor];
  const groundTruth = 'GroundTruth: ' + [0, 1, 2, 3].map((j) => classes[firstLabels.index(j).item() as number].padEnd(5)).join(' ');
  net = new Net();
  net.loadStateDict(await torch.load(PATH));
  const firstOutputs = net(firstImages);
  const [, firstPredicted] = torch.max(firstOutputs, 1);
  const predictedLine = 'Predicted: ' + [0, 1, 2, 3].map((j) => classes[firstPredicted.index(j).item() as number].padEnd(5)).join(' ');
  let correct = 0;
  let total = 0;
  await torch.noGrad(async () => {
    for await (const [images, labels] of testloader) {
      const outputs = net(images);
      const [, predicted] = torch.max(outputs.data, 1);
      total += labels.size(0);
      correct += predicted.eq(labels).sum().item() as number;
    }
  });
  print(`Accuracy of the network on the ${total} test images: ${Math.floor((100 * correct) / total)} %`);
  const correctPred: Record<string, number> = Object.fromEntries(classes.map((c) => [c, 0]));
  const totalPred: Record<string, number> = Object.fromEntries(classes.map((c) => [c, 0]));
  await torch.noGrad(async () => {
    for await (const [images, labels] of testloader) {
      const outputs = net(images);
      const [, predictions] = torch.max(outputs, 1);
      const ls = labels.tolist() as number[];
      const ps = predictions.tolist() as number[];
      ls.forEach((label, k) => {
        if (label === ps[k]) correctPred[classes[label]] += 1;
        totalPred[classes[label]] += 1;
      });
    }
  });
  for (const [classname, correctCount] of Object.entries(correctPred)) {
    const accuracy = (100 * correctCount) / totalPred[classname];
    print(`Accuracy for class: ${classname.padEnd(5)} is ${accuracy.toFixed(1)} %`);
  }

  close(losses, py.losses);
  expect(log).toEqual(py.log);
  expect([groundTruth, predictedLine]).toEqual([py.groundTruth, py.predicted]);
  const sd = Object.fromEntries(Object.entries(net.stateDict()).map(([k, v]) => [k, (v as torch.Tensor).flatten().narrow(0, 0, Math.min(20, v.numel())).tolist()]));
  close(sd, py.stateDict);
  // what the port saved opens in Python, with the same weights
  const reread = runPython<Record<string, number[]>>(`result = {k: v.flatten()[:20].tolist() for k, v in torch.load(${JSON.stringify(PATH)}).items()}`);
  close(reread, py.stateDict);
});

test('DataLoader(trainset, batch_size=4, shuffle=True, num_workers=2) gives Python\'s batches', async () => {
  const py = runPython<[number[], number[]][][]>(`${PY_DATASET}
torch.manual_seed(3)
trainset = TinyCIFAR10(root=root, train=True, download=False, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=batch_size, shuffle=True, num_workers=2)
result = [[[x.flatten().tolist(), y.tolist()] for x, y in trainloader] for epoch in range(2)]`);
  // Worker threads rebuild datasets from a module: the same subclass, in plain JavaScript over dist/.
  const dist = path.join(__dirname, '..', 'dist', 'lib');
  const fixture = path.join(root, 'tiny-cifar10.js');
  fs.writeFileSync(
    fixture,
    `const { CIFAR10 } = require(${JSON.stringify(path.join(dist, 'vision', 'datasets', 'cifar'))});
const { transforms } = require(${JSON.stringify(path.join(dist, 'vision'))});
class TinyCIFAR10 extends CIFAR10 {
  static trainList = ${JSON.stringify(TinyCIFAR10.trainList)};
  static testList = ${JSON.stringify(TinyCIFAR10.testList)};
  static meta = ${JSON.stringify(TinyCIFAR10.meta)};
}
function trainset(root) {
  const transform = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])]);
  return new TinyCIFAR10(root, { train: true, download: false, transform });
}
module.exports = { trainset };
`,
  );
  torch.manualSeed(3);
  const trainloader = new DataLoader<[torch.Tensor, torch.Tensor]>(fromModule(fixture, 'trainset', root), { batchSize: 4, shuffle: true, numWorkers: 2 });
  const epochs: [number[], number[]][][] = [];
  for (let epoch = 0; epoch < 2; epoch++) {
    const batches: [number[], number[]][] = [];
    for await (const [x, y] of trainloader) batches.push([x.flatten().tolist() as number[], y.tolist() as number[]]);
    epochs.push(batches);
  }
  expect(epochs.map((e) => e.map(([, y]) => y))).toEqual(py.map((e) => e.map(([, y]) => y)));
  expect(epochs).toEqual(py);
});
