// torch.utils.tensorboard.SummaryWriter against PyTorch 1.13's own summary code:
// - every add_* writes, at the given wall time and step, the Summary that PyTorch's
//   torch/utils/tensorboard/summary.py builds from the same values (scalars old and new style,
//   histograms with the 'tensorflow' bins, a bin count, edges and max_bins, images CHW/HWC/HW and
//   batches tiled NCHW/NHWC, text, PR curves computed and raw, audio as WAV, custom scalar layouts,
//   hparams); embeddings file by file; the graph up to the tracer's value names;
//   compared field by field after decoding, PNGs by their pixels (test/helpers/tensorboard_oracle.py);
// - the file is TensorBoard's: TFRecord records whose CRC-32C (crcmod's) checks, the file-version
//   event first, events.out.tfevents.<time>.<host>.<pid>.<uid> names;
// - the writer's runs: add_scalars' sub-runs, add_hparams' run directory, purge_step, reopening after
//   close, writes queued until flush, and flushed at process exit;
// - PyTorch's errors for bad values.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { SummaryWriter, summary } from '../lib/utils/tensorboard';
import { eventFiles, tensorboardOracle } from './helpers/tensorboard';
import { runPythonShared } from './helpers/python-session';

const oracle = <T = unknown>(body: string): T => tensorboardOracle<T>(body, runPythonShared);

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-'))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A tensor as the oracle's T() rebuilds it. */
function spec(t: torch.Tensor): object {
  return { data: Array.from(t.contiguous().toTypedArray() as ArrayLike<number>, Number), dtype: t.dtype.toString().replace('torch.', ''), shape: t.shape };
}


describe('SummaryWriter writes what PyTorch summary code builds', () => {
  test('scalars, histograms, images, text, PR curves, custom scalars', () => {
    torch.manualSeed(0);
    const dir = path.join(tmp, 'all');
    const w = new SummaryWriter(dir);
    const hist = torch.randn(1000).mul(3);
    const small = torch.tensor([0, 1e-12, 2.5, 2.5, -7, 1e21]);
    const img = torch.rand(3, 8, 6);
    const imgHWC = torch.randint(0, 256, [5, 7, 4]).to(torch.uint8);
    const grey = torch.rand(6, 5, { dtype: torch.float64 });
    const batch = torch.rand(10, 1, 4, 3);
    const batchNHWC = torch.randint(0, 256, [3, 4, 5, 3]).to(torch.uint8);
    const labels = torch.randint(0, 2, [40]);
    const preds = torch.rand(40);
    const weights = torch.rand(40);
    const rows = [0, 1, 2, 3, 4, 5].map((i) => torch.rand(7).mul(i + 1));
    const snd = torch.rand(50).mul(2).sub(1);
    const loud = torch.rand(1, 30, { dtype: torch.float64 }).mul(3).sub(1.5);
    const layout = { Losses: { loss: ['Multiline', ['loss/train', 'loss/val']] as [string, string[]], band: ['Margin', ['m', 'lo', 'hi']] as [string, string[]] }, Other: {} };
    let t = 1000;
    w.addScalar('loss', 0.25, 1, t++);
    w.addScalar('loss', torch.tensor(1 / 3), 2, t++);
    w.addScalar('acc', torch.tensor([[0.7]], { dtype: torch.float64 }), { globalStep: 3, walltime: t++, newStyle: true });
    w.addScalar('acc64', 1 / 3, { globalStep: 4, walltime: t++, newStyle: true, doublePrecision: true });
    w.addHistogram('weights', hist, 5, { walltime: t++ });
    w.addHistogram('edges', small, 6, 'tensorflow', t++);
    w.addHistogram('ten', hist, { globalStep: 7, bins: 10, walltime: t++ });
    w.addHistogram('given', small, { globalStep: 8, bins: [-10, 0, 1, 2.5, 3], walltime: t++ });
    w.addHistogram('merged', hist, { globalStep: 9, walltime: t++, maxBins: 7 });
    w.addHistogramRaw('raw', -1, 2, 3, 1.5, 5.25, [0, 1, 2], [1, 1, 1], 10, t++);
    w.addImage('img', img, 11, t++);
    w.addImage('hwc', imgHWC, 12, t++, 'HWC');
    w.addImage('grey', grey, { globalStep: 13, walltime: t++, dataformats: 'HW' });
    w.addImages('batch', batch, 14, t++);
    w.addImages('nhwc', batchNHWC, { globalStep: 15, walltime: t++, dataformats: 'NHWC' });
    w.addText('notes', 'héllo **world**', 16, t++);
    w.addPrCurve('pr', labels, preds, 17, { walltime: t++ });
    w.addPrCurve('pr10', labels, preds, { globalStep: 18, numThresholds: 10, weights, walltime: t++ });
    w.addPrCurveRaw('prraw', rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], 19, { numThresholds: 7, walltime: t++ });
    w.addAudio('sound', snd, 20, 8000, t++);
    w.addAudio('loud', loud, { globalStep: 21, walltime: t++ });
    w.addCustomScalars(layout);
    w.close();
    const [file] = eventFiles(dir);
    const calls = {
      hist: spec(hist), small: spec(small), img: spec(img), imgHWC: spec(imgHWC), grey: spec(grey), batch: spec(batch), batchNHWC: spec(batchNHWC),
      labels: spec(labels), preds: spec(preds), weights: spec(weights), rows: rows.map(spec), layout, snd: spec(snd), loud: spec(loud),
    };
    const r = oracle(`a = json.loads(${JSON.stringify(JSON.stringify(calls))})
# SummaryWriter.__init__'s default_bins
v, buckets, neg = 1e-12, [], []
while v < 1e20:
    buckets.append(v); neg.append(-v); v *= 1.1
TF = neg[::-1] + [0] + buckets
import numpy as np
np_ = lambda k: T(a[k]).numpy()
expected = [
    (1, S.scalar('loss', 0.25)),
    (2, S.scalar('loss', torch.tensor(1 / 3))),
    (3, S.scalar('acc', torch.tensor([[0.7]], dtype=torch.float64), new_style=True)),
    (4, S.scalar('acc64', 1 / 3, new_style=True, double_precision=True)),
    (5, S.histogram('weights', T(a['hist']), TF)),
    (6, S.histogram('edges', T(a['small']), TF)),
    (7, S.histogram('ten', T(a['hist']), 10)),
    (8, S.histogram('given', T(a['small']), [-10, 0, 1, 2.5, 3])),
    (9, S.histogram('merged', T(a['hist']), TF, max_bins=7)),
    (10, S.histogram_raw('raw', -1, 2, 3, 1.5, 5.25, [0, 1, 2], [1, 1, 1])),
    (11, S.image('img', T(a['img']), dataformats='CHW')),
    (12, S.image('hwc', T(a['imgHWC']), dataformats='HWC')),
    (13, S.image('grey', T(a['grey']), dataformats='HW')),
    (14, S.image('batch', T(a['batch']), dataformats='NCHW')),
    (15, S.image('nhwc', T(a['batchNHWC']), dataformats='NHWC')),
    (16, S.text('notes', 'héllo **world**')),
    (17, S.pr_curve('pr', np_('labels'), np_('preds'), 127, None)),
    (18, S.pr_curve('pr10', np_('labels'), np_('preds'), 10, np_('weights'))),
    (19, S.pr_curve_raw('prraw', *[T(x).numpy() for x in a['rows']], num_thresholds=7)),
    (20, S.audio('sound', T(a['snd']), sample_rate=8000)),
    (21, S.audio('loud', T(a['loud']))),
    (None, S.custom_scalars({k: {t: tuple(v) for t, v in d.items()} for k, d in a['layout'].items()})),
]
events = O.read_events(${JSON.stringify(file)}, Event)
first = events[0]
diffs = []
for i, ((step, summ), got) in enumerate(zip(expected, events[1:])):
    want = Event(wall_time=got.wall_time if step is None else 1000 + i, summary=summ)
    if step is not None:
        want.step = step
    diffs += ['%s %s' % (summ.value[0].tag, d) for d in O.diff(O.normalize(want, c), O.normalize(got, c))]
result = {'count': len(events), 'version': first.file_version, 'writer': first.source_metadata.writer, 'diffs': diffs}`) as { count: number; version: string; writer: string; diffs: string[] };
    expect(r.diffs).toEqual([]);
    expect(r.count).toBe(23);
    expect(r.version).toBe('brain.Event:2');
    expect(r.writer).toBe('tensorboard.summary.writer.event_file_writer');
    expect(path.basename(file)).toMatch(new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${os.hostname().replace(/[.]/g, '\\.')}\\.${process.pid}\\.\\d+$`));
  });

  test('hparams: the experiment, session start and end summaries, and the metrics, in their own run', () => {
    const dir = path.join(tmp, 'hp');
    const w = new SummaryWriter({ logDir: dir });
    const hp = { lr: 0.1, batchSize: 32, optimizer: 'adam', nesterov: true, dropped: null, t: torch.tensor([0.5]) };
    w.addHparams(hp, { 'hparam/accuracy': 0.75, 'hparam/loss': torch.tensor(0.5) }, { hparamDomainDiscrete: { optimizer: ['adam', 'sgd'], batchSize: [16, 32] }, runName: 'run1' });
    w.close();
    const [file] = eventFiles(path.join(dir, 'run1'));
    const r = oracle(`exp, ssi, sei = S.hparams({'lr': 0.1, 'batchSize': 32, 'optimizer': 'adam', 'nesterov': True, 'dropped': None, 't': torch.tensor([0.5])},
                            {'hparam/accuracy': 0.75, 'hparam/loss': torch.tensor(0.5)}, {'optimizer': ['adam', 'sgd'], 'batchSize': [16, 32]})
expected = [exp, ssi, sei, S.scalar('hparam/accuracy', 0.75), S.scalar('hparam/loss', torch.tensor(0.5))]
events = O.read_events(${JSON.stringify(file)}, Event)[1:]
diffs = []
for want, got in zip(expected, events):
    diffs += O.diff(O.normalize(Event(wall_time=got.wall_time, summary=want), c), O.normalize(got, c))
result = {'n': len(events), 'diffs': diffs}`) as { n: number; diffs: string[] };
    expect(r.diffs).toEqual([]);
    expect(r.n).toBe(5);
    expect(eventFiles(dir)).toHaveLength(1); // the parent run has its own file
  });

  test('PyTorch errors for bad values', () => {
    const mine = (f: () => unknown): string => {
      try {
        f();
        return 'no error';
      } catch (e) {
        expect(e).toBeInstanceOf(torch.TorchError);
        return (e as Error).message;
      }
    };
    const r = oracle(`result = [
    err(lambda: S.scalar('a', torch.ones(2))),
    err(lambda: S.image('a', torch.rand(3, 4, 4), dataformats='CCW')),
    err(lambda: S.image('a', torch.rand(3, 4), dataformats='CHW')),
    err(lambda: S.histogram('a', torch.zeros(0), 10)),
    err(lambda: S.hparams({'a': 1}, [])),
    err(lambda: S.hparams({'a': 1}, {}, {'b': [1]})),
    err(lambda: S.hparams({'a': [1]}, {})),
]`) as string[];
    expect([
      mine(() => summary.scalar('a', torch.ones(2))),
      mine(() => summary.image('a', torch.rand(3, 4, 4), 'CCW')),
      mine(() => summary.image('a', torch.rand(3, 4), 'CHW')),
      mine(() => summary.histogram('a', torch.zeros(0), 10)),
      mine(() => summary.hparams({ a: 1 }, [] as never)),
      mine(() => summary.hparams({ a: 1 }, {}, { b: [1] })),
      mine(() => summary.hparams({ a: [1] as never }, {})),
    ]).toEqual(r);
    expect(mine(() => new SummaryWriter(path.join(tmp, 'e')).addScalar('x', 1, { step: 1 } as never))).toBe("add_scalar() got an unexpected keyword argument 'step'");
  });
});

describe("the writer's runs and files", () => {
  const summaries = (file: string): { tag: string; step: string | null; value: number | null; status: string | null; version: string }[] =>
    oracle(`result = [{'tag': e.summary.value[0].tag if e.summary.value else '', 'step': str(e.step) if e.step else None,
           'value': e.summary.value[0].simple_value if e.summary.value else None,
           'status': c['tensorboard.SessionLog'].SessionStatus.Name(e.session_log.status) if e.HasField('session_log') else None,
           'version': e.file_version} for e in O.read_events(${JSON.stringify(file)}, Event)]`) as never;

  test("addScalars: one sub-run per tag, logDir/<mainTag with / as _>_<tag>, under the main tag", () => {
    const dir = path.join(tmp, 'scalars');
    const w = new SummaryWriter(dir);
    w.addScalars('run/loss', { train: 1.5, val: torch.tensor(2.5) }, 3);
    w.addScalars('run/loss', { train: 0.5 }, 4);
    w.close();
    expect(fs.readdirSync(dir).sort()).toEqual([expect.stringMatching(/^events/), 'run_loss_train', 'run_loss_val']);
    const train = summaries(eventFiles(path.join(dir, 'run_loss_train'))[0]);
    expect(train.slice(1).map((e) => [e.tag, e.step, e.value])).toEqual([['run/loss', '3', 1.5], ['run/loss', '4', 0.5]]);
    expect(summaries(eventFiles(path.join(dir, 'run_loss_val'))[0]).slice(1).map((e) => [e.tag, e.step, e.value])).toEqual([['run/loss', '3', 2.5]]);
  });

  test('purgeStep writes the restart events; after close() a new file is opened', () => {
    const dir = path.join(tmp, 'purge');
    const w = new SummaryWriter(dir, '', 42);
    w.addScalar('x', 1, 43);
    w.close();
    w.addScalar('x', 2, 44);
    w.close();
    const files = eventFiles(dir).sort();
    expect(files).toHaveLength(2);
    const first = summaries(files[0]);
    expect(first.map((e) => [e.version, e.step, e.status])).toEqual([['brain.Event:2', null, null], ['brain.Event:2', '42', null], ['', '42', 'START'], ['', '43', null]]);
    expect(summaries(files[1]).map((e) => e.step)).toEqual([null, '44']);
  });

  test('events wait in the queue until it is full, flush() or close(); a default logDir is runs/<time>_<host><comment>', () => {
    const dir = path.join(tmp, 'queue');
    const w = new SummaryWriter({ logDir: dir, maxQueue: 3 });
    const [file] = eventFiles(dir);
    const size = (): number => fs.statSync(file).size;
    const opened = size();
    w.addScalar('a', 1);
    w.addScalar('a', 2);
    expect(size()).toBe(opened);
    w.addScalar('a', 3); // the third fills the queue
    const full = size();
    expect(full).toBeGreaterThan(opened);
    w.addScalar('a', 4);
    w.flush();
    expect(size()).toBeGreaterThan(full);
    w.close();
    const cwd = process.cwd();
    process.chdir(tmp);
    try {
      const d = new SummaryWriter({ comment: '-lr0.1' });
      d.close();
      expect(d.getLogdir()).toMatch(new RegExp(`^runs/[A-Z][a-z]{2}\\d{2}_\\d{2}-\\d{2}-\\d{2}_${os.hostname().replace(/[.]/g, '\\.')}-lr0\\.1$`));
      expect(eventFiles(path.join(tmp, d.getLogdir()))).toHaveLength(1);
    } finally {
      process.chdir(cwd);
    }
  });

  test('what is queued is written when the process exits without close()', () => {
    const dir = path.join(tmp, 'exit');
    const lib = JSON.stringify(path.join(__dirname, '..', 'dist', 'lib', 'utils', 'tensorboard'));
    execFileSync(process.execPath, ['-e', `const { SummaryWriter } = require(${lib}); const w = new SummaryWriter(${JSON.stringify(dir)}); w.addScalar('late', 7, 1);`]);
    expect(summaries(eventFiles(dir)[0]).map((e) => [e.tag, e.value])).toEqual([['', null], ['late', 7]]);
  });
});

test("fit's TensorBoard callback: each epoch's logs, training in train/, val_ in validation/, as epoch_<name>", async () => {
  const { fit, TensorBoard } = await import('../lib/train');
  const { DataLoader, TensorDataset } = await import('../lib/data');
  torch.manualSeed(0);
  const x = torch.randn(24, 4);
  const y = torch.randint(0, 3, [24]);
  const model = new torch.nn.Linear(4, 3);
  const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 8 });
  const dir = path.join(tmp, 'fit');
  const h = await fit(model, {
    optimizer: new torch.optim.SGD(model.parameters(), { lr: 0.1 }), loss: new torch.nn.CrossEntropyLoss(), metrics: ['accuracy'],
    epochs: 2, trainLoader: loader, valLoader: loader, callbacks: [new TensorBoard({ logDir: dir })], progress: false,
  });
  const read = (run: string): [string, string, number][] =>
    oracle(`result = [[e.summary.value[0].tag, str(e.step), e.summary.value[0].simple_value] for e in O.read_events(${JSON.stringify(eventFiles(path.join(dir, run))[0])}, Event)[1:]]`) as never;
  const f32 = (v: number): number => Math.fround(v);
  const train = read('train');
  expect(train.filter(([tag]) => tag === 'epoch_loss')).toEqual(h.history.loss.map((v, i) => ['epoch_loss', String(i + 1), f32(v)]));
  expect(train.filter(([tag]) => tag === 'epoch_accuracy').map((e) => e[2])).toEqual(h.history.accuracy.map(f32));
  expect(read('validation').filter(([tag]) => tag === 'epoch_loss').map((e) => e[2])).toEqual(h.history.val_loss.map(f32));
});

test("addEmbedding: the projector's tensors.tsv, metadata.tsv, sprite.png and projector_config.pbtxt, as PyTorch's writes them", () => {
  torch.manualSeed(0);
  const dir = path.join(tmp, 'emb');
  const w = new SummaryWriter(dir);
  const mat = torch.randn(10, 4).mul(torch.tensor([1, 1e-5, 1e17, 3]));
  const labels = ['shirt', 'bag', 'coat', "it's", 'x', 'y', 'z', 'a', 'b', 'c'];
  const imgs = torch.rand(10, 1, 5, 5);
  const ints = torch.randint(0, 9, [3, 2]);
  w.addEmbedding(mat, { metadata: labels, labelImg: imgs, globalStep: 3 });
  w.addEmbedding(ints, [[1, 'a'], [2.5, 'b'], [3, 'c']], { tag: 'with/header', metadataHeader: ['n', 'name'] });
  w.close();
  const r = oracle(`import os, tempfile
from google.protobuf import text_format
E = S.embedding
a = json.loads(${JSON.stringify(JSON.stringify({ mat: spec(mat), imgs: spec(imgs), ints: spec(ints), labels }))})
out = tempfile.mkdtemp()
config = c['tensorboard.ProjectorConfig']()
def add_embedding(mat, metadata=None, label_img=None, global_step=None, tag='default', metadata_header=None):
    # SummaryWriter.add_embedding's body, on PyTorch's _embedding functions
    mat = S.make_np(mat)
    global_step = 0 if global_step is None else global_step
    subdir = '%s/%s' % (str(global_step).zfill(5), tag.replace('%', '%25').replace('/', '%2f').replace('\\\\', '%5c'))
    save_path = os.path.join(out, subdir)
    os.makedirs(save_path)
    if metadata is not None:
        E.make_tsv(metadata, save_path, metadata_header=metadata_header)
    if label_img is not None:
        E.make_sprite(label_img, save_path)
    E.make_mat(mat, save_path)
    config.embeddings.extend([E.get_embedding_info(metadata, label_img, E.tf.io.gfile.get_filesystem(save_path), subdir, global_step, tag)])
    E.write_pbtxt(out, text_format.MessageToString(config))
add_embedding(T(a['mat']), metadata=a['labels'], label_img=T(a['imgs']), global_step=3)
add_embedding(T(a['ints']), metadata=[[1, 'a'], [2.5, 'b'], [3, 'c']], tag='with/header', metadata_header=['n', 'name'])
from PIL import Image
import numpy as np
def files(root):
    got = {}
    for d, _, names in os.walk(root):
        for n in names:
            if n.startswith('events.'):
                continue
            p = os.path.join(d, n)
            got[os.path.relpath(p, root)] = np.asarray(Image.open(p)).tolist() if n.endswith('.png') else open(p).read()
    return got
mine, theirs = files(${JSON.stringify(dir)}), files(out)
result = {'same': sorted(k for k in theirs if mine.get(k) == theirs[k]), 'theirs': sorted(theirs), 'mine': sorted(mine)}`) as { same: string[]; theirs: string[]; mine: string[] };
  expect(r.mine).toEqual(r.theirs);
  expect(r.same).toEqual(r.theirs);
  expect(r.theirs).toEqual(['00000/with%2fheader/metadata.tsv', '00000/with%2fheader/tensors.tsv', '00003/default/metadata.tsv', '00003/default/sprite.png', '00003/default/tensors.tsv', 'projector_config.pbtxt']);
});

test("addGraph: the traced model's inlined graph as PyTorch's _pytorch_graph builds it, then the run metadata", () => {
  class Net extends torch.nn.Module {
    conv = new torch.nn.Conv2d(1, 2, 3);
    fc = new torch.nn.Linear(8, 3);
    seq = new torch.nn.Sequential(new torch.nn.ReLU(), new torch.nn.Linear(3, 2));
    forward(x: torch.Tensor): torch.Tensor {
      return this.seq(this.fc(this.conv(x).relu().flatten(1)));
    }
  }
  const dir = path.join(tmp, 'graph');
  const w = new SummaryWriter(dir);
  const model = new Net();
  model.train();
  w.addGraph(model, torch.randn(1, 1, 4, 4));
  w.close();
  expect(model.training).toBe(true); // traced in eval mode, then put back
  const r = oracle(`import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.fc = nn.Linear(8, 3)
        self.seq = nn.Sequential(nn.ReLU(), nn.Linear(3, 2))
    def forward(self, x):
        return self.seq(self.fc(self.conv(x).relu().flatten(1)))
graph, run_metadata = S.pytorch_graph.graph(Net(), torch.randn(1, 1, 4, 4))
events = O.read_events(${JSON.stringify(eventFiles(dir)[0])}, Event)
mine = c['tensorboard.GraphDef'](); mine.ParseFromString(events[1].graph_def)
rm = c['tensorboard.RunMetadata'](); rm.ParseFromString(events[2].tagged_run_metadata.run_metadata)
def canonical(g):
    # value names end in the tracer's debug names (Python's come from its variable names): each
    # node's last path component becomes its index, the scopes before it stay
    d = O.json_format.MessageToDict(g, preserving_proto_field_name=True)
    index = {n['name']: i for i, n in enumerate(d['node'])}
    rename = lambda name: name.rsplit('/', 1)[0] + '/#%s' % index.get(name, '-')
    for n in d['node']:
        n['name'] = rename(n['name'])
        n['input'] = [rename(i) for i in n.get('input', [])]
    return d
result = {'diffs': O.diff(canonical(graph), canonical(mine)), 'nodes': len(mine.node), 'tag': events[2].tagged_run_metadata.tag,
          'rm': O.diff(O.json_format.MessageToDict(run_metadata), O.json_format.MessageToDict(rm)), 'first': mine.node[2].name}`) as { diffs: string[]; nodes: number; tag: string; rm: string[]; first: string };
  expect(r.diffs).toEqual([]);
  expect(r.rm).toEqual([]);
  expect(r.nodes).toBe(24);
  expect(r.tag).toBe('step1');
  expect(r.first).toMatch(/^Net\/Conv2d\[conv\]\/\d+$/);
});
