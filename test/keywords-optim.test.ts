// Options are Python's keyword arguments: optimizers and schedulers reject keys they do not take
// (Python's TypeError), naming the camelCase key when a snake_case one was ported as is.
import * as torch from '../lib';
import { optim } from '../lib';
import { errorOf, unexpectedKeyword } from './helpers/errors';

const { lrScheduler } = optim;

const params = () => [torch.zeros(2, { requiresGrad: true })];

type OptimizerRow = [string, (options: never) => optim.Optimizer, object, string, string | null];

describe('optimizer options', () => {
  const rows: OptimizerRow[] = [
    ['SGD', (o) => new optim.SGD(params(), o),
      { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 1e-4, nesterov: true, maximize: false, foreach: null, differentiable: false },
      'weight_decay', 'weightDecay'],
    ['Adam', (o) => new optim.Adam(params(), o),
      { lr: 1e-3, betas: [0.9, 0.99], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, foreach: null, capturable: false, differentiable: false, fused: false },
      'decay', null],
    ['AdamW', (o) => new optim.AdamW(params(), o),
      { lr: 1e-3, betas: [0.9, 0.99], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false, foreach: null, capturable: false },
      'fused', null],
    ['RMSprop', (o) => new optim.RMSprop(params(), o),
      { lr: 1e-2, alpha: 0.9, eps: 1e-8, weightDecay: 0, momentum: 0.5, centered: true, foreach: null, maximize: false, differentiable: false },
      'Momentum', 'momentum'],
    ['Adagrad', (o) => new optim.Adagrad(params(), o),
      { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0.1, eps: 1e-10, foreach: null, maximize: false },
      'initial_accumulator_value', 'initialAccumulatorValue'],
    ['Adadelta', (o) => new optim.Adadelta(params(), o),
      { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, foreach: null, maximize: false },
      'weight_decay', 'weightDecay'],
    ['Adamax', (o) => new optim.Adamax(params(), o),
      { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, foreach: null, maximize: false },
      'amsgrad', null],
    ['NAdam', (o) => new optim.NAdam(params(), o),
      { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, foreach: null },
      'momentum_decay', 'momentumDecay'],
    ['RAdam', (o) => new optim.RAdam(params(), o),
      { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, foreach: null },
      'maximize', null],
    ['ASGD', (o) => new optim.ASGD(params(), o),
      { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, foreach: null, maximize: false },
      'weight_decay', 'weightDecay'],
    ['Rprop', (o) => new optim.Rprop(params(), o),
      { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], foreach: null, maximize: false },
      'step_sizes', 'stepSizes'],
    ['LBFGS', (o) => new optim.LBFGS(params(), o),
      { lr: 1, maxIter: 20, maxEval: 25, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 10, lineSearchFn: 'strong_wolfe' },
      'line_search_fn', 'lineSearchFn'],
  ];

  test.each(rows)('%s rejects an unknown key and takes every key it declares', (name, make, valid, key, meant) => {
    expect(errorOf(() => make({ ...valid, [key]: 1 } as never)).message).toBe(unexpectedKeyword(name, key, meant));
    expect(make(valid as never)).toBeInstanceOf(optim.Optimizer);
  });

  test('param groups keep keys the optimizer does not know, as in PyTorch', () => {
    const opt = new optim.SGD([{ params: params(), lr: 0.1, custom_tag: 'head' }], { lr: 0.1 });
    expect(opt.paramGroups[0].custom_tag).toBe('head');
    opt.addParamGroup({ params: params(), note: 1 });
    expect(opt.paramGroups[1].note).toBe(1);
  });

  test('zeroGrad rejects an unknown key', () => {
    const opt = new optim.SGD(params(), { lr: 0.1 });
    expect(errorOf(() => opt.zeroGrad({ set_to_none: false } as never)).message).toBe(unexpectedKeyword('zeroGrad', 'set_to_none', 'setToNone'));
    expect(() => opt.zeroGrad({ setToNone: false })).not.toThrow();
  });
});

type SchedulerRow = [string, (opt: optim.Optimizer, options: never) => object, object, string, string | null];

describe('scheduler options', () => {
  const common = { lastEpoch: -1, verbose: false };
  const rows: SchedulerRow[] = [
    ['LambdaLR', (opt, o) => new lrScheduler.LambdaLR(opt, () => 1, o), common, 'last_epoch', 'lastEpoch'],
    ['StepLR', (opt, o) => new lrScheduler.StepLR(opt, 2, o), { ...common, gamma: 0.5 }, 'step_size', 'stepSize'],
    ['MultiStepLR', (opt, o) => new lrScheduler.MultiStepLR(opt, [1, 2], o), { ...common, gamma: 0.5 }, 'Gamma', 'gamma'],
    ['ConstantLR', (opt, o) => new lrScheduler.ConstantLR(opt, o), { ...common, factor: 0.5, totalIters: 3 }, 'total_iters', 'totalIters'],
    ['LinearLR', (opt, o) => new lrScheduler.LinearLR(opt, o),
      { ...common, startFactor: 0.5, endFactor: 1, totalIters: 3 }, 'start_factor', 'startFactor'],
    ['ExponentialLR', (opt, o) => new lrScheduler.ExponentialLR(opt, 0.9, o), common, 'Gamma', 'gamma'],
    ['CosineAnnealingLR', (opt, o) => new lrScheduler.CosineAnnealingLR(opt, 10, o), { ...common, etaMin: 1e-4 }, 'eta_min', 'etaMin'],
    ['CosineAnnealingWarmRestarts', (opt, o) => new lrScheduler.CosineAnnealingWarmRestarts(opt, 5, o),
      { ...common, TMult: 2, etaMin: 0 }, 'T_mult', 'TMult'],
    ['CyclicLR', (opt, o) => new lrScheduler.CyclicLR(opt, 0.01, 0.1, o),
      { ...common, stepSizeUp: 4, stepSizeDown: 2, mode: 'exp_range', gamma: 0.9, scaleFn: (x: number) => 0.9 ** x, scaleMode: 'iterations',
        cycleMomentum: true, baseMomentum: 0.8, maxMomentum: 0.9 },
      'step_size_up', 'stepSizeUp'],
    ['OneCycleLR', (opt, o) => new lrScheduler.OneCycleLR(opt, 0.1, { totalSteps: 10, ...(o as object) }),
      { ...common, epochs: 2, stepsPerEpoch: 5, pctStart: 0.25, annealStrategy: 'linear', cycleMomentum: true, baseMomentum: 0.8,
        maxMomentum: 0.9, divFactor: 10, finalDivFactor: 100, threePhase: true },
      'div_factor', 'divFactor'],
    ['ReduceLROnPlateau', (opt, o) => new lrScheduler.ReduceLROnPlateau(opt, o),
      { mode: 'max', factor: 0.5, patience: 2, threshold: 1e-3, thresholdMode: 'abs', cooldown: 1, minLr: 1e-5, eps: 1e-8, verbose: false },
      'min_lr', 'minLr'],
    ['SequentialLR', (opt, o) => new lrScheduler.SequentialLR(opt, [new lrScheduler.ConstantLR(opt), new lrScheduler.StepLR(opt, 2)], [3], o),
      common, 'last_epoch', 'lastEpoch'],
  ];

  test.each(rows)('%s rejects an unknown key and takes every key it declares', (name, make, valid, key, meant) => {
    const sgd = () => new optim.SGD(params(), { lr: 0.1, momentum: 0.9 });
    expect(errorOf(() => make(sgd(), { ...valid, [key]: 1 } as never)).message).toBe(unexpectedKeyword(name, key, meant));
    expect(() => make(sgd(), valid as never)).not.toThrow();
    expect(() => make(sgd(), {} as never)).not.toThrow();
  });

  test('a rejected scheduler leaves the optimizer untouched', () => {
    const opt = new optim.SGD(params(), { lr: 0.1, momentum: 0.9 });
    expect(() => new lrScheduler.CyclicLR(opt, 0.01, 0.2, { base_momentum: 0.5 } as never)).toThrow(torch.TorchError);
    expect([opt.paramGroups[0].lr, opt.paramGroups[0].momentum, opt.paramGroups[0].initialLr]).toEqual([0.1, 0.9, undefined]);
  });
});
