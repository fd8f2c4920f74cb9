// torch.utils.data.datapipes: the built-in IterDataPipes and MapDataPipes give Python's element
// sequences (shufflers with Python's random.Random), lengths, iterator rules, graphs and messages.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { datapipes, graph, graphSettings, IterDataPipe, DataChunk, functionalDatapipe } from '../lib/data';
import { runPythonShared as runPython } from './helpers/python-session';

const { iter: I, map: M, PythonRandom } = datapipes;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const wrap = <T>(xs: T[]) => new I.IterableWrapper(xs);

/** A JSON-comparable copy: DataChunks become lists, tensors their tolist(), Buffers latin1 strings. */
function plain(x: unknown): unknown {
  if (x instanceof torch.Tensor) return x.tolist();
  if (Buffer.isBuffer(x)) return x.toString('latin1');
  if (Array.isArray(x)) return Array.from(x, plain);
  return x;
}
const PY_PLAIN = `
def plain(x):
    if isinstance(x, torch.Tensor): return x.tolist()
    if isinstance(x, bytes): return x.decode('latin1')
    if isinstance(x, (list, tuple)): return [plain(v) for v in x]
    return x
`;

/** Message of what fn throws ('no error' if nothing), as the oracle's err(). */
function err(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return (e as Error).message;
  }
}

const silence = <T>(fn: () => T): T => {
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
};

/** Each case: a JS value and the Python expression that should give the same (run in one Python). */
function compareWithPython(cases: Record<string, [() => unknown, string]>, setup = ''): void {
  const names = Object.keys(cases);
  const body = names.map((n) => `    ${JSON.stringify(n)}: (lambda: plain(${cases[n][1]})),`).join('\n');
  const py = runPython<Record<string, unknown>>(`
import warnings, random
warnings.simplefilter('ignore')
import torch.utils.data.datapipes.iter as I
import torch.utils.data.datapipes.map as M
from torch.utils.data.datapipes.iter import IterableWrapper as W
${PY_PLAIN}
${setup}
cases = {
${body}
}
result = {}
for k, f in cases.items():
    try:
        result[k] = f()
    except Exception as e:
        result[k] = 'error: ' + str(e)
`);
  for (const n of names) {
    let js: unknown;
    try {
      js = silence(() => plain(cases[n][0]()));
    } catch (e) {
      js = `error: ${(e as Error).message}`;
    }
    expect([n, js]).toEqual([n, py[n]]);
  }
}

describe('PythonRandom', () => {
  test("draws Python's random.Random numbers for several seeds (63-bit ones included)", () => {
    const seeds = ['0', '1', '42', '2147483648', '9223372036854775807', '1234567890123456789'];
    const py = runPython<unknown[]>(`
import random
result = []
for s in [${seeds.join(', ')}]:
    r = random.Random(s)
    a = [r.randint(0, 9) for _ in range(20)]
    b = r.sample(list(range(30)), 30)
    c = list(range(12)); r.shuffle(c)
    d = [r.random() for _ in range(3)]
    e = [r.getrandbits(40), r.randrange(3, 100, 7)]
    f = r.sample(list(range(1000)), 10)
    result.append([a, b, c, d, e, f])
`);
    const js = seeds.map((s) => {
      const r = new PythonRandom().seed(BigInt(s));
      const a = range(20).map(() => r.randint(0, 9));
      const b = r.sample(range(30), 30);
      const c = range(12);
      r.shuffle(c);
      const d = range(3).map(() => r.random());
      const e = [r.getrandbits(40), r.randrange(3, 100, 7)];
      const f = r.sample(range(1000), 10);
      return [a, b, c, d, e, f];
    });
    expect(js).toEqual(py);
  });
});

describe('IterDataPipes', () => {
  test("chains of the functional forms give Python's elements", () => {
    const dicts = () => range(4).map((i) => ({ a: i, b: i * 10 }));
    compareWithPython({
      mapFilterBatch: [() => [...wrap(range(10)).map((x) => x * 2).filter((x) => x % 3 === 0).batch(2)], 'list(W(range(10)).map(lambda x: x * 2).filter(lambda x: x % 3 == 0).batch(2))'],
      batchDropLast: [() => [...wrap(range(7)).batch(3, true)], 'list(W(range(7)).batch(3, True))'],
      unbatch: [() => [...wrap([[[0, 1], [2]], [[3]]]).unbatch(2)], 'list(W([[[0, 1], [2]], [[3]]]).unbatch(2))'],
      unbatchAll: [() => [...wrap([[[0, 1], [2]], [[3]], 4]).unbatch(-1)], 'list(W([[[0, 1], [2]], [[3]], 4]).unbatch(-1))'],
      collate: [() => [...wrap(range(6)).batch(3).collate()], 'list(W(range(6)).batch(3).collate())'],
      concat: [() => [...wrap([1, 2]).concat(wrap([3]), wrap([4, 5]))], 'list(W([1, 2]).concat(W([3]), W([4, 5])))'],
      zip: [() => [...wrap(range(5)).zip(wrap(['a', 'b', 'c']))], "list(W(range(5)).zip(W(['a', 'b', 'c'])))"],
      mux: [() => [...wrap([1, 2, 3]).mux(wrap([10, 20]), wrap([100, 200, 300]))], 'list(W([1, 2, 3]).mux(W([10, 20]), W([100, 200, 300])))'],
      groupby: [() => [...wrap(range(10)).groupby((x) => x % 3)], 'list(W(range(10)).groupby(lambda x: x % 3))'],
      groupbySize: [() => [...wrap(range(12)).groupby((x) => x % 3, { groupSize: 2, bufferSize: 5 })], 'list(W(range(12)).groupby(lambda x: x % 3, group_size=2, buffer_size=5))'],
      groupbyBuffer: [() => [...wrap(range(10)).groupby((x) => x % 4, { bufferSize: 3 })], 'list(W(range(10)).groupby(lambda x: x % 4, buffer_size=3))'],
      sharding: [() => { const dp = wrap(range(10)).shardingFilter(); dp.applySharding(3, 1); return [[...dp], dp.len()]; }, '(lambda dp: (dp.apply_sharding(3, 1), [list(dp), len(dp)])[1])(W(range(10)).sharding_filter())'],
      sampler: [() => [...new I.Sampler(wrap(range(5)))], 'list(I.Sampler(W(range(5))))'],
      inputCol: [() => [...wrap([[1, 2], [3, 4]]).map((x: number) => x + 100, 1)], 'list(W([[1, 2], [3, 4]]).map(lambda x: x + 100, input_col=1))'],
      inputCols: [() => [...wrap([[1, 2, 3], [4, 5, 6]]).map((a: number, b: number) => a * b, { inputCol: [0, 2] })], 'list(W([[1, 2, 3], [4, 5, 6]]).map(lambda a, b: a * b, input_col=[0, 2]))'],
      outputAppend: [() => [...wrap([[1, 2], [3, 4]]).map((x: number) => -x, { inputCol: 0, outputCol: -1 })], 'list(W([[1, 2], [3, 4]]).map(lambda x: -x, input_col=0, output_col=-1))'],
      dictCols: [() => [...wrap(dicts()).map((x: number) => x + 1, { inputCol: 'a', outputCol: 'c' })], "list(W([{'a': i, 'b': i * 10} for i in range(4)]).map(lambda x: x + 1, input_col='a', output_col='c'))"],
      filterCol: [() => [...wrap([[1, 2], [3, 4], [5, 6]]).filter((x: number) => x > 2, { inputCol: 1 })], 'list(W([[1, 2], [3, 4], [5, 6]]).filter(lambda x: x > 2, input_col=1))'],
      fork: [() => { const [a, b] = wrap(range(4)).fork(2); return [...a.zip(b.map((x) => x * 10))]; }, '(lambda a, b: list(a.zip(b.map(lambda x: x * 10))))(*W(range(4)).fork(2))'],
      demux: [() => { const [a, b] = wrap(range(7)).demux(2, (x) => x % 2); return [[...a], [...b]]; }, '(lambda a, b: [list(a), list(b)])(*W(range(7)).demux(2, lambda x: x % 2))'],
      demuxDropNone: [() => { const [a, b] = wrap(range(7)).demux(2, (x) => (x === 3 ? null : x % 2), true); return [[...a], [...b]]; }, '(lambda a, b: [list(a), list(b)])(*W(range(7)).demux(2, lambda x: None if x == 3 else x % 2, True))'],
    });
  });

  test("Shuffler: Python's order for the same seed, buffer size, and torch seed when unseeded", () => {
    const cases: Record<string, [() => unknown, string]> = {};
    for (const seed of [0, 1, 7, 123456789]) {
      for (const bufferSize of [1, 3, 10000]) {
        cases[`seed${seed}buf${bufferSize}`] = [
          () => [...wrap(range(20)).shuffle({ bufferSize }).setSeed(seed)],
          `list(W(range(20)).shuffle(buffer_size=${bufferSize}).set_seed(${seed}))`,
        ];
      }
    }
    cases.unbatchLevel = [() => [...wrap([[0, 1], [2, 3], [4]]).shuffle({ unbatchLevel: 1 }).setSeed(5)], 'list(W([[0, 1], [2, 3], [4]]).shuffle(unbatch_level=1).set_seed(5))'];
    cases.torchSeeded = [
      () => {
        torch.manualSeed(3);
        const dp = wrap(range(10)).shuffle();
        return [[...dp], [...dp]];
      },
      '(torch.manual_seed(3), (lambda dp: [list(dp), list(dp)])(W(range(10)).shuffle()))[1]',
    ];
    cases.disabled = [() => [...wrap(range(6)).shuffle().setShuffle(false)], 'list(W(range(6)).shuffle().set_shuffle(False))'];
    cases.mapShuffle = [() => [...new M.SequenceWrapper(range(30)).shuffle().setSeed(11)], 'list(M.SequenceWrapper(range(30)).shuffle().set_seed(11))'];
    cases.mapShuffleIndices = [() => [...new M.SequenceWrapper(range(10)).shuffle({ indices: [1, 3, 5, 7] }).setSeed(2)], 'list(M.SequenceWrapper(range(10)).shuffle(indices=[1, 3, 5, 7]).set_seed(2))'];
    compareWithPython(cases);
  });

  test("lengths and their TypeErrors are Python's", () => {
    const gen = function* () {
      yield 1;
    };
    compareWithPython({
      wrapper: [() => wrap(range(5)).len(), 'len(W(range(5)))'],
      map: [() => wrap(range(5)).map((x) => x).len(), 'len(W(range(5)).map(lambda x: x))'],
      filter: [() => wrap(range(5)).filter((x) => x > 1).len(), 'len(W(range(5)).filter(lambda x: x > 1))'],
      mapOfFilter: [() => wrap(range(5)).filter((x) => x > 1).map((x) => x).len(), 'len(W(range(5)).filter(lambda x: x > 1).map(lambda x: x))'],
      batch: [() => [wrap(range(7)).batch(3).len(), wrap(range(7)).batch(3, true).len()], '[len(W(range(7)).batch(3)), len(W(range(7)).batch(3, True))]'],
      batchOfFilter: [() => wrap(range(5)).filter((x) => x > 1).batch(2).len(), 'len(W(range(5)).filter(lambda x: x > 1).batch(2))'],
      generator: [() => new I.IterableWrapper(gen()).len(), 'len(W((x for x in [1])))'],
      concat: [() => wrap(range(3)).concat(wrap(range(4))).len(), 'len(W(range(3)).concat(W(range(4))))'],
      concatUnsized: [() => wrap(range(3)).concat(wrap(range(4)).filter((x) => true)).len(), 'len(W(range(3)).concat(W(range(4)).filter(lambda x: True)))'],
      zip: [() => wrap(range(3)).zip(wrap(range(4))).len(), 'len(W(range(3)).zip(W(range(4))))'],
      mux: [() => wrap(range(3)).mux(wrap(range(4))).len(), 'len(W(range(3)).mux(W(range(4))))'],
      shuffle: [() => wrap(range(3)).shuffle().len(), 'len(W(range(3)).shuffle())'],
      shuffleUnsized: [() => wrap(range(3)).filter((x) => true).shuffle().len(), 'len(W(range(3)).filter(lambda x: True).shuffle())'],
      fork: [() => wrap(range(3)).fork(2).map((d) => d.len()), '[len(d) for d in W(range(3)).fork(2)]'],
      demux: [() => wrap(range(3)).demux(2, (x) => x % 2)[0].len(), 'len(W(range(3)).demux(2, lambda x: x % 2)[0])'],
      sharding: [() => wrap(range(10)).shardingFilter().len(), 'len(W(range(10)).sharding_filter())'],
      unbatch: [() => wrap(range(3)).unbatch().len(), 'len(W(range(3)).unbatch())'],
      lister: [() => new I.FileLister('.').len(), "len(I.FileLister('.'))"],
      mapBatch: [() => new M.SequenceWrapper(range(7)).batch(2).len(), 'len(M.SequenceWrapper(range(7)).batch(2))'],
      mapZip: [() => new M.SequenceWrapper(range(7)).zip(new M.SequenceWrapper(range(3))).len(), 'len(M.SequenceWrapper(range(7)).zip(M.SequenceWrapper(range(3))))'],
    });
  });

  test("argument and iteration errors carry Python's messages", () => {
    compareWithPython({
      mapperRaises: [() => [...wrap([1, 0]).map((x) => { if (x === 0) throw new torch.TorchError('division by zero'); return x; })], 'list(W([1, 0]).map(lambda x: 1 / x))'],
      filterNotBool: [() => [...wrap([1]).filter((x) => x as unknown as boolean)], 'list(W([1]).filter(lambda x: x))'],
      outputWithoutInput: [() => wrap([1]).map((x) => x, { outputCol: 1 }), 'W([1]).map(lambda x: x, output_col=1)'],
      outputTwoCols: [() => wrap([1]).map((x) => x, { inputCol: 0, outputCol: [1, 2] }), 'W([1]).map(lambda x: x, input_col=0, output_col=[1, 2])'],
      batchZero: [() => wrap([1]).batch(0), 'W([1]).batch(0)'],
      shuffleZero: [() => wrap([1]).shuffle({ bufferSize: 0 }), 'W([1]).shuffle(buffer_size=0)'],
      concatNothing: [() => new I.Concater(), 'I.Concater()'],
      concatNotPipe: [() => new I.Concater(wrap([1]), [2] as never), 'I.Concater(W([1]), [2])'],
      zipNotPipe: [() => new I.Zipper(wrap([1]), [2] as never), 'I.Zipper(W([1]), [2])'],
      forkZero: [() => wrap([1]).fork(0), 'W([1]).fork(0)'],
      demuxBadClass: [() => { const [a] = wrap(range(3)).demux(2, () => 5); return [...a]; }, 'list(W(range(3)).demux(2, lambda x: 5)[0])'],
      unbatchTooDeep: [() => [...wrap([[1], [2]]).unbatch(3)], 'list(W([[1], [2]]).unbatch(3))'],
      forkOverflow: [() => { const [a, b] = wrap(range(10)).fork(2, 2); return [[...a], [...b]]; }, '(lambda a, b: [list(a), list(b)])(*W(range(10)).fork(2, 2))'],
      demuxOverflow: [() => { const [a, b] = wrap(range(10)).demux(2, (x) => (x < 8 ? 1 : 0), false, 3); return [[...a], [...b]]; }, '(lambda a, b: [list(a), list(b)])(*W(range(10)).demux(2, lambda x: 1 if x < 8 else 0, False, 3))'],
      groupGuarantee: [() => [...wrap(range(6)).groupby((x) => x % 3, { bufferSize: 3, groupSize: 2 })], 'list(W(range(6)).groupby(lambda x: x % 3, buffer_size=3, group_size=2))'],
      openerMode: [() => new I.FileOpener(['x'], { mode: 'w' }), "I.FileOpener(['x'], mode='w')"],
      openerEncoding: [() => new I.FileOpener(['x'], { mode: 'b', encoding: 'utf8' }), "I.FileOpener(['x'], mode='b', encoding='utf8')"],
      mapBatchOut: [() => new M.SequenceWrapper(range(4)).batch(2).getItem(5), 'M.SequenceWrapper(range(4)).batch(2)[5]'],
      mapConcatOut: [() => new M.SequenceWrapper(range(2)).concat(new M.SequenceWrapper(range(2))).getItem(7), 'M.SequenceWrapper(range(2)).concat(M.SequenceWrapper(range(2)))[7]'],
      mapZipOut: [() => new M.SequenceWrapper(range(4)).zip(new M.SequenceWrapper(range(2))).getItem(3), 'M.SequenceWrapper(range(4)).zip(M.SequenceWrapper(range(2)))[3]'],
    });
  });
});

describe('iterator rules', () => {
  test('a second iterator invalidates the first; generator pipes take over at their first next()', () => {
    const py = runPython<unknown[]>(`
from torch.utils.data.datapipes.iter import IterableWrapper as W
dp = W(range(5)).map(lambda x: x)
it1 = iter(dp); it2 = iter(dp)
a = next(it2); b = next(it1)
result = [a, b, err(lambda: next(it2)), next(it1)]
`);
    const dp = wrap(range(5)).map((x) => x);
    const it1 = dp[Symbol.iterator]();
    const it2 = dp[Symbol.iterator]();
    const a = it2.next().value;
    const b = it1.next().value;
    expect([a, b, err(() => it2.next()), it1.next().value]).toEqual(py);
  });

  test("fork children: restarting one child warns (once, as Python's default filter) and resets all; a stale child's iterator is invalid", () => {
    const py = runPython<unknown[]>(`
import warnings
from torch.utils.data.datapipes.iter import IterableWrapper as W
a, b = W(range(4)).fork(2)
ia = iter(a); x = [next(ia), next(ia)]
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('default')
    first = list(a)
    again = list(a)
    messages = [str(m.message) for m in w]
result = [x, first, again, list(b), messages, err(lambda: next(ia))]
`);
    const [a, b] = wrap(range(4)).fork(2);
    const ia = a[Symbol.iterator]();
    const x = [ia.next().value, ia.next().value];
    const messages: string[] = [];
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation((w: string | Error) => void messages.push(String(w)));
    const first = [...a];
    const again = [...a];
    spy.mockRestore();
    expect([x, first, again, [...b], messages, err(() => ia.next())]).toEqual(py);
  });

  test('errors name the innermost generator pipe once', () => {
    const py = runPython<string>(`
from torch.utils.data.datapipes.iter import IterableWrapper as W
def boom(x): raise ValueError('bad ' + str(x))
result = err(lambda: list(W([3]).map(boom).batch(2).filter(lambda b: True)))
`);
    function boom(x: number): number {
      throw new torch.ValueError(`bad ${x}`);
    }
    expect(err(() => [...wrap([3]).map(boom).batch(2).filter(() => true)])).toBe(py);
  });
});

describe('MapDataPipes', () => {
  test("Python's items, batches, concatenation and zips", () => {
    const seq = (xs: number[]) => new M.SequenceWrapper(xs);
    compareWithPython({
      mapBatch: [() => [...seq(range(7)).map((x) => x * x).batch(3)], 'list(M.SequenceWrapper(range(7)).map(lambda x: x * x).batch(3))'],
      batchDrop: [() => [...seq(range(7)).batch(3, true)], 'list(M.SequenceWrapper(range(7)).batch(3, True))'],
      concat: [() => [...seq([1, 2]).concat(seq([3, 4, 5]))], 'list(M.SequenceWrapper([1, 2]).concat(M.SequenceWrapper([3, 4, 5])))'],
      zip: [() => [...seq([1, 2, 3]).zip(seq([4, 5]))], 'list(M.SequenceWrapper([1, 2, 3]).zip(M.SequenceWrapper([4, 5])))'],
      negative: [() => seq([1, 2, 3]).getItem(-1), 'M.SequenceWrapper([1, 2, 3])[-1]'],
      outOfRange: [() => seq([1, 2, 3]).getItem(3), 'M.SequenceWrapper([1, 2, 3])[3]'],
      concatNothing: [() => new M.Concater(), 'M.Concater()'],
      zipNotMap: [() => new M.Zipper(seq([1]), wrap([1]) as never), 'M.Zipper(M.SequenceWrapper([1]), W([1]))'],
    });
  });
});

describe('graph and graph_settings', () => {
  test("traverseDps and getAllGraphPipes visit Python's pipes in Python's order", () => {
    const py = runPython<unknown[]>(`
from torch.utils.data.datapipes.iter import IterableWrapper as W
from torch.utils.data import graph, graph_settings
def shape(g):
    return [[type(dp).__name__, shape(sub)] for dp, sub in g.values()]
src = W(range(4))
a, b = src.shuffle().fork(2)
end = a.zip(b.map(lambda x: x)).shuffle().sharding_filter()
result = [shape(graph.traverse_dps(end)), [type(p).__name__ for p in graph_settings.get_all_graph_pipes(graph.traverse_dps(end))]]
`);
    const shape = (g: graph.DataPipeGraph): unknown[] => [...g.values()].map(([dp, sub]) => [dp.constructor.name, shape(sub)]);
    const src = wrap(range(4));
    const [a, b] = src.shuffle().fork(2);
    const end = a.zip(b.map((x) => x)).shuffle().shardingFilter();
    const g = graph.traverseDps(end);
    expect([shape(g), graphSettings.getAllGraphPipes(g).map((p) => p.constructor.name)]).toEqual(py);
  });

  test("applyRandomSeed seeds each shuffler from the generator in graph order; sharding applies once", () => {
    const py = runPython<unknown[]>(`
from torch.utils.data.datapipes.iter import IterableWrapper as W
from torch.utils.data import graph_settings
dp = W(range(12)).shuffle(buffer_size=5).batch(3).shuffle().unbatch().sharding_filter()
graph_settings.apply_random_seed(dp, torch.Generator().manual_seed(9))
graph_settings.apply_sharding(dp, 2, 1)
twice = W(range(3)).sharding_filter().sharding_filter()
result = [list(dp), err(lambda: graph_settings.apply_sharding(twice, 2, 0))]
`);
    const dp = wrap(range(12)).shuffle({ bufferSize: 5 }).batch(3).shuffle().unbatch().shardingFilter();
    graphSettings.applyRandomSeed(dp, new torch.Generator().manualSeed(9));
    graphSettings.applySharding(dp, 2, 1);
    const twice = wrap(range(3)).shardingFilter().shardingFilter();
    expect([[...dp], err(() => graphSettings.applySharding(twice, 2, 0))]).toEqual(py);
  });

  test('applyShuffleSettings switches shufflers, or adds one (with a warning) when there is none', () => {
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const off = wrap(range(5)).shuffle();
    graphSettings.applyShuffleSettings(off, false);
    expect([...off]).toEqual(range(5));
    const added = graphSettings.applyShuffleSettings(wrap(range(5)), true);
    expect(added.constructor.name).toBe('ShufflerIterDataPipe');
    expect(String(spy.mock.calls[0][0])).toContain('`shuffle=True` was set, but the datapipe does not contain a `Shuffler`');
    spy.mockRestore();
  });
});

describe('file pipes', () => {
  test("FileLister, FileOpener and StreamReader list and read files as Python's do", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'datapipes-'));
    fs.mkdirSync(path.join(root, 'sub', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(root, 'b.txt'), 'bee\r\nline two\n');
    fs.writeFileSync(path.join(root, 'a.csv'), '1,2\n3,4\n');
    fs.writeFileSync(path.join(root, 'sub', 'c.txt'), 'sea');
    fs.writeFileSync(path.join(root, 'sub', 'deep', 'd.bin'), Buffer.from([0, 255, 7, 8, 9]));
    const r = JSON.stringify(root);
    try {
      compareWithPython({
        flat: [() => [...new I.FileLister(root)], `list(I.FileLister(${r}))`],
        recursive: [() => [...new I.FileLister([root], '', { recursive: true })], `list(I.FileLister([${r}], recursive=True))`],
        masks: [() => [...new I.FileLister(root, ['*.txt', '*.b?n'], { recursive: true })], `list(I.FileLister(${r}, ['*.txt', '*.b?n'], recursive=True))`],
        aFile: [() => [...new I.FileLister(path.join(root, 'a.csv'))], `list(I.FileLister(${JSON.stringify(path.join(root, 'a.csv'))}))`],
        text: [() => [...new I.FileLister(root, '*.txt', { recursive: true }).openFiles().readFromStream()], `list(I.FileLister(${r}, '*.txt', recursive=True).open_files().read_from_stream())`],
        chunks: [() => [...new I.FileLister(root, '*.bin', { recursive: true }).openFiles('b').readFromStream(2)], `list(I.FileLister(${r}, '*.bin', recursive=True).open_files('b').read_from_stream(2))`],
        textChunks: [() => [...new I.FileLister(root, 'b.txt').openFiles({ mode: 't' }).readFromStream(4)], `list(I.FileLister(${r}, 'b.txt').open_files(mode='t').read_from_stream(4))`],
        missing: [() => [...new I.FileOpener([path.join(root, 'nope')])], `list(I.FileOpener([${JSON.stringify(path.join(root, 'nope'))}]))`],
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('custom DataPipes', () => {
  test('a subclass is hooked like the built-ins; functionalDatapipe registers its functional form', () => {
    class RepeatIterDataPipe<T> extends IterDataPipe<T> {
      resets = 0;
      constructor(
        readonly source: IterDataPipe<T>,
        readonly times: number,
      ) {
        super();
      }
      reset(): void {
        this.resets++;
      }
      *[Symbol.iterator](): Iterator<T> {
        for (const x of this.source) for (let i = 0; i < this.times; i++) yield x;
      }
    }
    functionalDatapipe('repeatEach')(RepeatIterDataPipe);
    const dp = (wrap([1, 2]) as unknown as { repeatEach(n: number): RepeatIterDataPipe<number> }).repeatEach(2);
    expect([...dp]).toEqual([1, 1, 2, 2]);
    expect([...dp.batch(3)].map((b) => b instanceof DataChunk && [...b])).toEqual([[1, 1, 2], [2]]);
    expect(dp.resets).toBe(2);
    expect(String(dp)).toBe('RepeatIterDataPipe');
    expect(err(() => dp.len())).toBe("object of type 'RepeatIterDataPipe' has no len()");
    expect(err(() => functionalDatapipe('repeatEach')(RepeatIterDataPipe))).toBe('Unable to add DataPipe function name repeatEach as it is already taken');
  });
});
