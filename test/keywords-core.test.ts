// Options objects are keyword arguments: a key the function does not take raises TorchError, as
// Python's TypeError, and a snake_case key names the option that was meant. Tensor factories, the
// data utilities, Module's methods, serialization, forkRng and setPrintoptions.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import { safetensors } from '../lib/serialization';
import { errorOf, unexpectedKeyword } from './helpers/errors';

const { DataLoader, RandomSampler, DistributedSampler, TensorDataset } = torch.utils.data;
const bad = (o: object) => o as never;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywords-'));
const pt = path.join(dir, 'x.pt');
const st = path.join(dir, 'x.safetensors');
torch.saveSync({ a: torch.ones(2) }, pt);
fs.writeFileSync(st, safetensors.save({ a: torch.ones(2) }));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const x = torch.ones(2, 3);
const ds = (n: number) => new TensorDataset(torch.arange(n));
const gen = new torch.Generator();
const CASES: [string, (o: never) => unknown, string][] = [
  ['zeros', (o) => torch.zeros(2, o), unexpectedKeyword('zeros', 'requires_grad', 'requiresGrad')],
  ['ones', (o) => torch.ones([2], o), unexpectedKeyword('ones', 'requires_grad', 'requiresGrad')],
  ['empty', (o) => torch.empty(2, o), unexpectedKeyword('empty', 'requires_grad', 'requiresGrad')],
  ['rand', (o) => torch.rand(2, o), unexpectedKeyword('rand', 'requires_grad', 'requiresGrad')],
  ['randn', (o) => torch.randn(2, o), unexpectedKeyword('randn', 'requires_grad', 'requiresGrad')],
  ['randperm', (o) => torch.randperm(3, o), unexpectedKeyword('randperm', 'requires_grad', 'requiresGrad')],
  ['randint', (o) => torch.randint(5, [2], o), unexpectedKeyword('randint', 'requires_grad', 'requiresGrad')],
  ['full', (o) => torch.full([2], 1, o), unexpectedKeyword('full', 'requires_grad', 'requiresGrad')],
  ['arange', (o) => torch.arange(3, o), unexpectedKeyword('arange', 'requires_grad', 'requiresGrad')],
  ['linspace', (o) => torch.linspace(0, 1, 3, o), unexpectedKeyword('linspace', 'requires_grad', 'requiresGrad')],
  ['eye', (o) => torch.eye(2, o), unexpectedKeyword('eye', 'requires_grad', 'requiresGrad')],
  ['zerosLike', (o) => torch.zerosLike(x, o), unexpectedKeyword('zerosLike', 'requires_grad', 'requiresGrad')],
  ['fullLike', (o) => torch.fullLike(x, 2, o), unexpectedKeyword('fullLike', 'requires_grad', 'requiresGrad')],
  ['randintLike', (o) => torch.randintLike(x, 5, o), unexpectedKeyword('randintLike', 'requires_grad', 'requiresGrad')],
  ['tensor', (o) => torch.tensor([1, 2], o), unexpectedKeyword('tensor', 'requires_grad', 'requiresGrad')],
  ['frombuffer', () => torch.frombuffer(new Float32Array(2), bad({ dtype: torch.float32, cnt: 1 })), unexpectedKeyword('frombuffer', 'cnt')],
  ['DataLoader', (o) => new DataLoader(ds(3), o), unexpectedKeyword('DataLoader', 'requires_grad')],
  ['RandomSampler', (o) => new RandomSampler(ds(2), o), unexpectedKeyword('RandomSampler', 'requires_grad')],
  ['DistributedSampler', (o) => new DistributedSampler(ds(2), o), unexpectedKeyword('DistributedSampler', 'requires_grad')],
  ['forkRng', (o) => torch.random.forkRng(o, () => 1), unexpectedKeyword('forkRng', 'requires_grad')],
  ['setPrintoptions', (o) => torch.setPrintoptions(o), unexpectedKeyword('setPrintoptions', 'requires_grad')],
  ['load', (o) => torch.load(pt, o), unexpectedKeyword('load', 'requires_grad')],
  ['loadSync', (o) => torch.loadSync(pt, o), unexpectedKeyword('loadSync', 'requires_grad')],
  ['save', (o) => torch.save({}, pt, o), unexpectedKeyword('save', 'requires_grad')],
  ['saveSync', (o) => torch.saveSync({}, pt, o), unexpectedKeyword('saveSync', 'requires_grad')],
  ['safetensors.load', (o) => safetensors.load(fs.readFileSync(st), o), unexpectedKeyword('load', 'requires_grad')],
  ['safetensors.loadFile', (o) => safetensors.loadFile(st, o), unexpectedKeyword('loadFile', 'requires_grad')],
  ['safetensors.loadFileSync', (o) => safetensors.loadFileSync(st, o), unexpectedKeyword('loadFileSync', 'requires_grad')],
];

describe('an unknown option is a TorchError naming it', () => {
  test.each(CASES)('%s', async (_, call, message) => {
    let thrown: unknown;
    try {
      await call(bad({ requires_grad: true }));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(torch.TorchError);
    expect((thrown as Error).message).toBe(message);
  });
});

describe('the options they take still work', () => {
  test('factories', () => {
    expect(torch.zeros(2, { dtype: torch.float64, requiresGrad: true }).requiresGrad).toBe(true);
    expect(torch.rand(2, { generator: gen, dtype: torch.float64 }).dtype).toBe(torch.float64);
    expect(torch.randperm(3, { generator: gen }).dtype).toBe(torch.int64);
    expect(torch.randint(0, 5, [2], { generator: gen, dtype: torch.int32 }).dtype).toBe(torch.int32);
    expect(torch.tensor([1, 2], { dtype: torch.float32, requiresGrad: true }).requiresGrad).toBe(true);
    expect(torch.frombuffer(new Float32Array(4), { dtype: torch.float32, count: 2, offset: 4 }).shape).toEqual([2]);
  });

  test('data utilities', () => {
    // the porting trap this guards: Python's batch_size=64 must not quietly give batches of 1
    expect(errorOf(() => new DataLoader(ds(3), bad({ batch_size: 2 }))).message).toBe(unexpectedKeyword('DataLoader', 'batch_size', 'batchSize'));
    expect(new DataLoader(ds(3), { batchSize: 2, shuffle: false, dropLast: true }).batchSize).toBe(2);
    expect(new RandomSampler(ds(2), { replacement: true, numSamples: 5, generator: gen }).len()).toBe(5);
    expect(new DistributedSampler(ds(3), { numReplicas: 2, rank: 1, shuffle: false, seed: 0, dropLast: false }).len()).toBe(2);
  });

  test('serialization', async () => {
    expect(Object.keys(torch.loadSync(pt, { mapLocation: 'cpu', weightsOnly: true }) as object)).toEqual(['a']);
    expect(Object.keys(await safetensors.loadFile(st, { device: 'cpu' }))).toEqual(['a']);
  });
});

describe('Module methods', () => {
  const m = new nn.Linear(2, 2);
  test.each([
    ['stateDict', () => m.stateDict(bad({ keep_vars: true })), unexpectedKeyword('stateDict', 'keep_vars', 'keepVars')],
    ['loadStateDict', () => m.loadStateDict(m.stateDict(), bad({ strct: false })), unexpectedKeyword('loadStateDict', 'strct')],
    ['registerBuffer', () => m.registerBuffer('b', null, bad({ persistant: false })), unexpectedKeyword('registerBuffer', 'persistant')],
    ['zeroGrad', () => m.zeroGrad(bad({ set_to_none: false })), unexpectedKeyword('zeroGrad', 'set_to_none', 'setToNone')],
    ['to', () => m.to(bad({ non_blocking: true })), unexpectedKeyword('to', 'non_blocking', 'nonBlocking')],
    ['registerForwardHook', () => m.registerForwardHook(() => undefined, bad({ always_call: true })), unexpectedKeyword('registerForwardHook', 'always_call', 'alwaysCall')],
    ['registerForwardPreHook', () => m.registerForwardPreHook(() => undefined, bad({ with_kwargs: true })), unexpectedKeyword('registerForwardPreHook', 'with_kwargs', 'withKwargs')],
  ] as [string, () => unknown, string][])('%s', (_, call, message) => {
    expect(errorOf(call).message).toBe(message);
  });

  test('and the options they take still work', () => {
    expect(m.stateDict({ keepVars: true, prefix: 'p.' })['p.weight']).toBe(m.weight);
    expect(m.loadStateDict({}, { strict: false }).missingKeys).toEqual(['weight', 'bias']);
    m.to({ dtype: torch.float64, nonBlocking: false });
    expect(m.weight.dtype).toBe(torch.float64);
    m.registerForwardHook(() => undefined, { prepend: true }).remove();
  });
});

test("the data utilities' errors for bad input are TorchErrors, named as Python's (ValueError, TypeError)", () => {
  const valueError = errorOf(() => new DataLoader(ds(1), { numWorkers: -1 }));
  expect([valueError.name, valueError.message]).toEqual(['ValueError', expect.stringMatching(/num_workers option should be non-negative/)]);
  const typeError = errorOf(() => torch.utils.data.defaultCollate([null, null]));
  expect([typeError.name, typeError.message]).toEqual(['TypeError', expect.stringMatching(/^default_collate: batch must contain tensors/)]);
  expect(errorOf(() => new TensorDataset(torch.ones(2), torch.ones(3))).message).toBe('Size mismatch between tensors');
  expect(errorOf(() => torch.tidy((async () => 1) as never)).message).toMatch(/torch.tidy\(fn\) needs a synchronous fn/);
});
