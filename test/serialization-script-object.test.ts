// torch.ScriptObject entries (TorchScript custom-class objects) in torch.save / torch.load, against
// PyTorch 1.13 in the same run: the state_dicts of Python's dynamically quantized LSTM / GRU /
// LSTMCell (CellParamsBase, LinearPackedParamsBase objects) load here into our quantized layers with
// Python's outputs; ours saved here load in Python's torch.load into its layers with the same
// outputs; malformed ScriptObject pickles are refused with a TorchError.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import { TorchError } from '../lib/errors';
import { runPython } from './helpers/python';
import { quantized as engine } from '../lib/ao/quantization/engine';
import { ScriptObject } from '../lib/serialization/script-object';
import { asTuple, isTuple } from '../lib/serialization/py-types';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-scriptobj-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const initialEngine = engine.engine;
afterEach(() => (engine.engine = initialEngine));

interface Case {
  name: string;
  kind: 'LSTM' | 'GRU' | 'LSTMCell';
  kwargs: Record<string, unknown>;
  input: number[];
  dtype: 'qint8'; // float16 packing has no engine in this libtorch build (fbgemm only)
}
const CASES: Case[] = [
  { name: 'lstm', kind: 'LSTM', kwargs: { num_layers: 2, bidirectional: true }, input: [5, 2, 4], dtype: 'qint8' },
  { name: 'gru', kind: 'GRU', kwargs: { batch_first: true }, input: [2, 5, 4], dtype: 'qint8' },
  { name: 'lstmcell', kind: 'LSTMCell', kwargs: {}, input: [3, 4], dtype: 'qint8' },
];

// the quantized model (seed decides its weights), its outputs flattened on a seeded input
const PY_MODEL = `
import os
def flat_all(v):
    if isinstance(v, torch.Tensor): return v.reshape(-1).tolist()
    return [x for item in v for x in flat_all(item)]
def quantized(c, seed):
    torch.backends.quantized.engine = 'onednn'
    torch.manual_seed(seed)
    layer = getattr(torch.nn, c['kind'])(4, 5, **c['kwargs'])
    return torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(layer), {getattr(torch.nn, c['kind'])}, dtype=getattr(torch, c['dtype']))
def outputs(q, c):
    torch.manual_seed(100)
    return flat_all(q(torch.randn(*c['input']) * 2))
`;

const camel = (k: string): string => k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());

function quantizedHere(c: Case, seed: number): nn.Sequential {
  engine.engine = 'onednn';
  torch.manualSeed(seed);
  const opts = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [camel(k), v]));
  const layer = c.kind === 'LSTM' ? new nn.LSTM(4, 5, opts) : c.kind === 'GRU' ? new nn.GRU(4, 5, opts) : new nn.LSTMCell(4, 5);
  const cls = c.kind === 'LSTM' ? nn.LSTM : c.kind === 'GRU' ? nn.GRU : nn.LSTMCell;
  return torch.ao.quantization.quantizeDynamic(new nn.Sequential(layer), new Set([cls]), { dtype: torch[c.dtype] }) as nn.Sequential;
}

function flatAll(v: unknown): number[] {
  if (v instanceof torch.Tensor) return v.reshape(-1).tolist() as number[];
  return (v as unknown[]).flatMap(flatAll);
}

function outputsHere(q: nn.Sequential, c: Case): number[] {
  torch.manualSeed(100);
  return flatAll((q as unknown as (x: torch.Tensor) => unknown)(torch.randn(c.input).mul(2)));
}

const file = (name: string): string => path.join(dir, name);

describe('dynamic-quantized RNN state_dicts: Python saves, torch-node loads', () => {
  const py = runPython<Record<string, { out: number[]; classes: Record<string, string> }>>(`${PY_MODEL}
result = {}
for c in json.loads(${JSON.stringify(JSON.stringify(CASES))}):
    q = quantized(c, 1)
    sd = q.state_dict()
    torch.save(sd, os.path.join(${JSON.stringify(dir)}, c['name'] + '.py.pt'))
    torch.save(sd, os.path.join(${JSON.stringify(dir)}, c['name'] + '.legacy.pt'), _use_new_zipfile_serialization=False)
    classes = {k: v.__getstate__()[1] for k, v in sd.items() if isinstance(v, torch.ScriptObject)}
    result[c['name']] = {'out': outputs(q, c), 'classes': classes}
`);
  for (const [c, format] of CASES.flatMap((c) => [[c, 'py'], [c, 'legacy']] as const)) {
    test(`${c.kind} ${c.dtype} (${format === 'py' ? 'zip' : 'legacy'} file): loads as ScriptObjects and gives Python's outputs`, async () => {
      const sd = (await torch.load(file(`${c.name}.${format}.pt`))) as Record<string, unknown>;
      const classes = Object.fromEntries(Object.entries(sd).filter(([, v]) => v instanceof ScriptObject).map(([k, v]) => [k, (v as ScriptObject).qualifiedName]));
      expect(classes).toEqual(py[c.name].classes);
      expect(Object.keys(classes).length).toBeGreaterThan(0);
      const q = quantizedHere(c, 2); // other weights until the state_dict replaces them
      expect(q.loadStateDict(sd as never)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      expect(outputsHere(q, c)).toEqual(py[c.name].out);
    });
  }
});

describe('dynamic-quantized RNN state_dicts: torch-node saves, Python loads', () => {
  const here: Record<string, number[]> = {};
  for (const c of CASES) {
    test(`${c.kind} ${c.dtype}: saved here`, async () => {
      const q = quantizedHere(c, 3);
      here[c.name] = outputsHere(q, c);
      await torch.save(q.stateDict(), file(`${c.name}.js.pt`));
    });
  }
  test("Python's torch.load gives working ScriptObjects: its quantized layers give our outputs", () => {
    const py = runPython<Record<string, { out: number[]; own: number[]; scriptObjects: number; missing: string[] }>>(`${PY_MODEL}
result = {}
for c in json.loads(${JSON.stringify(JSON.stringify(CASES))}):
    sd = torch.load(os.path.join(${JSON.stringify(dir)}, c['name'] + '.js.pt'))
    q = quantized(c, 4)
    r = q.load_state_dict(sd)
    result[c['name']] = {'out': outputs(q, c), 'own': outputs(quantized(c, 3), c), 'missing': list(r.missing_keys) + list(r.unexpected_keys),
                         'scriptObjects': sum(isinstance(v, torch.ScriptObject) for v in sd.values())}
`);
    for (const c of CASES) {
      expect(py[c.name].missing).toEqual([]);
      expect(py[c.name].scriptObjects).toBeGreaterThan(0);
      expect(py[c.name].out).toEqual(here[c.name]);
      expect(py[c.name].own).toEqual(here[c.name]); // Python's own layer from the same seed
    }
  });
});

describe('ScriptObject values round-trip here', () => {
  test('state tensors, tuples and a shared object survive save and load', () => {
    const w = torch.arange(6, { dtype: torch.float32 }).reshape([2, 3]);
    const state = asTuple([w, null, 'x', 3, [1.5]]);
    const so = new ScriptObject('__torch__.torch.classes.demo.Thing', state);
    const back = torch.loadSync(torch.saveSync({ a: so, b: so })) as { a: ScriptObject; b: ScriptObject };
    expect(back.a).toBeInstanceOf(ScriptObject);
    expect(back.b).toBe(back.a); // memoized once, as Python's pickle does
    expect(back.a.qualifiedName).toBe('__torch__.torch.classes.demo.Thing');
    expect(isTuple(back.a.state)).toBe(true);
    const [t, none, s, n, list] = back.a.state as unknown[];
    expect((t as torch.Tensor).tolist()).toEqual(w.tolist());
    expect([none, s, n, list]).toEqual([null, 'x', 3, [1.5]]);
    expect(isTuple(list)).toBe(false);
    expect(String(back.a)).toBe('<torch.ScriptObject __torch__.torch.classes.demo.Thing>');
  });

  test('a ScriptObject needs a custom class name', () => {
    expect(() => new ScriptObject('os.system', [])).toThrow(TorchError);
    expect(() => new ScriptObject('__torch__.torch.classes.', [])).toThrow(/custom class name under __torch__\.torch\.classes\./);
  });
});

describe('malformed torch.ScriptObject pickles are refused', () => {
  // hand-written protocol-2 pickles (latin1 text of the opcodes), each wrapped in a torch.save zip by Python
  const SO = 'ctorch\nScriptObject\n';
  const binunicode = (text: string): string => `X${String.fromCharCode(text.length)}\x00\x00\x00${text}`; // ASCII, < 256
  const NAME = binunicode('__torch__.torch.classes.rnn.CellParamsBase');
  const BAD: [string, string, RegExp][] = [
    ['REDUCE instead of NEWOBJ', `\x80\x02${SO})R.`, /torch\.ScriptObject can only be created by NEWOBJ and then BUILD/],
    ['NEWOBJ with arguments', `\x80\x02${SO}K\x01\x85\x81.`, /torch\.ScriptObject takes no NEWOBJ arguments, got 1/],
    ['NEWOBJ never built', `\x80\x02${SO})\x81.`, /created by NEWOBJ but never built/],
    ['BUILD with a bare state', `\x80\x02${SO})\x81)b.`, /expects a \(state, qualified name\) tuple/],
    ['BUILD with a 3-tuple', `\x80\x02${SO})\x81)${NAME}K\x01\x87b.`, /expects a \(state, qualified name\) tuple/],
    ['a class outside torch.classes', `\x80\x02${SO})\x81)${binunicode('os.system')}\x86b.`, /class os\.system: only custom classes under __torch__\.torch\.classes\. may be loaded/],
    ['a non-string class name', `\x80\x02${SO})\x81)K\x07\x86b.`, /class number: only custom classes/],
    ['BUILD twice', `\x80\x02${SO})\x81)${NAME}\x86b)${NAME}\x86b.`, /already built \(__torch__\.torch\.classes\.rnn\.CellParamsBase\)/],
  ];
  runPython(`
import zipfile, os
for i, data in enumerate(json.loads(${JSON.stringify(JSON.stringify(BAD.map(([, p]) => p)))})):
    with zipfile.ZipFile(os.path.join(${JSON.stringify(dir)}, 'bad%d.pt' % i), 'w', zipfile.ZIP_STORED) as z:
        z.writestr('archive/data.pkl', data.encode('latin1'))
        z.writestr('archive/byteorder', 'little')
        z.writestr('archive/version', '3\\n')
result = None
`);
  BAD.forEach(([what, , message], i) => {
    test(what, () => {
      let error: unknown;
      try {
        torch.loadSync(file(`bad${i}.pt`));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TorchError);
      expect((error as Error).message).toMatch(/^Weights only load failed: /);
      expect((error as Error).message).toMatch(message);
    });
  });
});
