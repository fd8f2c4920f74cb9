// The finetuning tutorial's other recipe against torchvision 0.14: FasterRCNN around a custom backbone
// (one feature map, out_channels set on it), with its own AnchorGenerator and a one-level
// MultiScaleRoIAlign; seeded alike: the repr, eval detections, the training loss dict and every
// gradient equal torchvision's. Also the errors torchvision raises for wrong arguments and targets.
import * as torch from '../lib';
import { Tensor, nn } from '../lib';
import { models, ops } from '../lib/vision';
import { runPython } from './helpers/python';
import { closeWithin, out } from './helpers/close';

jest.setTimeout(600_000);

const { FasterRCNN, AnchorGenerator } = models.detection;
const close = closeWithin(1e-4);

interface Py {
  repr: string;
  detections: Record<string, number[] | number[][]>[];
  losses: Record<string, number>;
  grads: [string, number[]][];
  errors: Record<string, string>;
}

const PY_MODEL = `
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.rpn import AnchorGenerator
from torchvision.ops import MultiScaleRoIAlign
torch.manual_seed(0)
backbone = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, 2, 1), torch.nn.ReLU(), torch.nn.Conv2d(8, 16, 3, 2, 1))
backbone.out_channels = 16
anchor_generator = AnchorGenerator(sizes=((8, 16, 32),), aspect_ratios=((0.5, 1.0, 2.0),))
roi_pooler = MultiScaleRoIAlign(featmap_names=['0'], output_size=5, sampling_ratio=2)
model = FasterRCNN(backbone, num_classes=3, rpn_anchor_generator=anchor_generator, box_roi_pool=roi_pooler, min_size=40, max_size=60, box_score_thresh=0.2)
torch.manual_seed(3)
images = [torch.rand(3, 40, 52), torch.rand(3, 36, 44)]
targets = [{'boxes': torch.tensor([[4., 6., 30., 35.]]), 'labels': torch.tensor([1])},
           {'boxes': torch.tensor([[10., 2., 40., 30.], [1., 1., 9., 12.]]), 'labels': torch.tensor([2, 1])}]
`;
function build() {
  torch.manualSeed(0);
  const backbone = new nn.Sequential(new nn.Conv2d(3, 8, 3, 2, 1), new nn.ReLU(), new nn.Conv2d(8, 16, 3, 2, 1));
  (backbone as unknown as { outChannels: number }).outChannels = 16;
  const anchorGenerator = new AnchorGenerator({ sizes: [[8, 16, 32]], aspectRatios: [[0.5, 1.0, 2.0]] });
  const roiPooler = new ops.MultiScaleRoIAlign({ featmapNames: ['0'], outputSize: 5, samplingRatio: 2 });
  const model = new FasterRCNN(backbone, { numClasses: 3, rpnAnchorGenerator: anchorGenerator, boxRoiPool: roiPooler, minSize: 40, maxSize: 60, boxScoreThresh: 0.2 });
  torch.manualSeed(3);
  const images = [torch.rand(3, 40, 52), torch.rand(3, 36, 44)];
  const targets = [
    { boxes: torch.tensor([[4, 6, 30, 35]], { dtype: torch.float32 }), labels: torch.tensor([1]) },
    { boxes: torch.tensor([[10, 2, 40, 30], [1, 1, 9, 12]], { dtype: torch.float32 }), labels: torch.tensor([2, 1]) },
  ];
  return { backbone, model, images, targets };
}

let py: Py;
beforeAll(() => {
  py = runPython<Py>(`
${PY_MODEL}
result = {'repr': repr(model), 'errors': {}}
model.eval()
with torch.no_grad():
    result['detections'] = [{k: v.tolist() for k, v in d.items()} for d in model(images)]
model.train()
torch.manual_seed(5)
losses = model(images, targets)
sum(losses.values()).backward()
result['losses'] = {k: v.item() for k, v in losses.items()}
result['grads'] = [[k, p.grad.flatten().tolist()] for k, p in model.named_parameters()]
E = result['errors']
E['noOutChannels'] = err(lambda: FasterRCNN(torch.nn.ReLU(), num_classes=2))
E['noClasses'] = err(lambda: FasterRCNN(backbone))
E['bothClasses'] = err(lambda: FasterRCNN(backbone, num_classes=2, box_predictor=torch.nn.Linear(2, 2)))
E['noTargets'] = err(lambda: model(images))
E['badBoxes'] = err(lambda: model(images, [{'boxes': torch.zeros(4), 'labels': torch.tensor([1])}] * 2))
E['degenerate'] = err(lambda: model(images, [targets[0], {'boxes': torch.tensor([[1., 2., 1., 5.]]), 'labels': torch.tensor([1])}]))
E['intImages'] = err(lambda: model([(images[0] * 255).byte()], targets[:1]))
E['batchImage'] = err(lambda: model([images[0][None]], targets[:1]))
E['intBoxes'] = err(lambda: model(images, [{'boxes': t['boxes'].long(), 'labels': t['labels']} for t in targets]))
E['keyword'] = err(lambda: __import__('torchvision').models.detection.fasterrcnn_resnet50_fpn(weights_backbone=None, num_classes=2, rpn_nms_tresh=0.3))
`);
});

test("a FasterRCNN around a custom backbone, anchor generator and pooler: torchvision's repr, detections, losses and gradients", () => {
  const { model, images, targets } = build();
  expect(String(model)).toBe(py.repr);
  model.eval();
  const dets = torch.noGrad(() => model(images)) as models.detection.TensorDict[];
  // regions over the zero padding get exactly tied scores in torchvision, within float noise here
  // (RoIAlign's sums in another order), so ties are ordered by label and box on both sides
  const rows = (d: Record<string, unknown>) => {
    const [scores, labels, boxes] = [d.scores as number[], d.labels as number[], d.boxes as number[][]];
    const r = scores.map((s, j) => [s, labels[j], ...boxes[j]]);
    const key = (x: number[]) => [-Math.round(x[0] * 1e5), ...x.slice(1).map((v) => Math.round(v * 1e2))];
    return r.sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      const j = ka.findIndex((v, t) => v !== kb[t]);
      return j < 0 ? 0 : ka[j] - kb[j];
    });
  };
  dets.forEach((d, i) => {
    expect(Object.keys(d)).toEqual(Object.keys(py.detections[i]));
    const ours = rows({ scores: out(d.scores), labels: out(d.labels), boxes: out(d.boxes) });
    close(ours, rows(py.detections[i]), 1e-4, `detections ${i}`);
  });
  expect(dets.map((d) => d.boxes.size(0)).some((n) => n > 0)).toBe(true);
  model.train();
  torch.manualSeed(5);
  const losses = model(images, targets) as Record<string, Tensor>;
  expect(Object.keys(losses)).toEqual(Object.keys(py.losses));
  for (const [k, v] of Object.entries(losses)) close(v.item(), py.losses[k], 1e-4, k);
  Object.values(losses).reduce((a, b) => a.add(b)).backward();
  const named = [...model.namedParameters()];
  expect(named.map(([k]) => k)).toEqual(py.grads.map(([k]) => k));
  named.forEach(([k, p], i) => close(out(p.grad!.flatten()), py.grads[i][1], 1e-3, k));
});

test("torchvision's errors: backbone without out_channels, num_classes, targets, images, a misspelt keyword", () => {
  const { backbone, model, images, targets } = build();
  const e = py.errors;
  const message = (f: () => unknown): string => {
    try {
      f();
      return 'no error';
    } catch (err) {
      return (err as Error).message;
    }
  };
  expect(message(() => new FasterRCNN(new nn.ReLU(), { numClasses: 2 }))).toBe(e.noOutChannels);
  expect(message(() => new FasterRCNN(backbone))).toBe(e.noClasses);
  expect(message(() => new FasterRCNN(backbone, { numClasses: 2, boxPredictor: new nn.Linear(2, 2) }))).toBe(e.bothClasses);
  model.train();
  expect(message(() => model(images))).toBe(e.noTargets);
  expect(message(() => model(images, [{ boxes: torch.zeros(4), labels: torch.tensor([1]) }, { boxes: torch.zeros(4), labels: torch.tensor([1]) }]))).toBe(e.badBoxes);
  expect(message(() => model(images, [targets[0], { boxes: torch.tensor([[1, 2, 1, 5]], { dtype: torch.float32 }), labels: torch.tensor([1]) }]))).toBe(e.degenerate);
  expect(message(() => model([images[0].mul(255).byte()], targets.slice(0, 1)))).toBe(e.intImages);
  expect(message(() => model([images[0].index(null)], targets.slice(0, 1)))).toBe(e.batchImage);
  expect(message(() => model(images, targets.map((t) => ({ boxes: t.boxes.long(), labels: t.labels }))))).toBe(e.intBoxes);
  // Python: a misspelt keyword reaches GeneralizedRCNNTransform's **kwargs, which ignores it; here it is
  // Python's TypeError for an unexpected keyword (options are never silently ignored: lib/keywords.ts)
  expect(e.keyword).toBe('no error');
  expect(() => models.detection.fasterrcnnResnet50Fpn({ weightsBackbone: null, numClasses: 2, rpnNmsTresh: 0.3 } as never)).toThrow("fasterrcnn_resnet50_fpn() got an unexpected keyword argument 'rpnNmsTresh'");
  expect(() => models.detection.fasterrcnnResnet50Fpn({ weightsBackbone: null, rpn_nms_thresh: 0.3 } as never)).toThrow("fasterrcnn_resnet50_fpn() got an unexpected keyword argument 'rpn_nms_thresh' (did you mean 'rpnNmsThresh'?)");
});
