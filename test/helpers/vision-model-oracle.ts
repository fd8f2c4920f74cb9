// What the vision model tests ask torchvision about each builder, written once: the Python side
// (the model built on the 'meta' device, its weights enum, seeded init and gradient sums) and the two
// tests every builder gets (state_dict keys/shapes, parameter count and repr; the weights enum).
import * as path from 'path';
import * as torch from '../../lib';
import { models } from '../../lib/vision';
import { Module } from '../../lib/nn';

export type Builder = (o?: Record<string, unknown>) => Module;
/** [torchvision's builder name, its weights enum, our builder] */
export type BuilderRow = [string, string, Builder];
/** [name, sum, sum of absolute values] of one tensor, in float64 */
export type Sums = [string, number, number];

export interface PyEntry {
  name: string;
  url: string;
  /** the cache file name (torch.hub's: the URL path's basename) */
  file: string;
  /** where torch.hub looks for it (torch.hub.get_dir()/checkpoints) */
  path: string;
  transforms: string;
  numParams: number | null;
  minSize: number[] | null;
  /** how many categories, or null */
  categories: number | null;
}
export interface PyBuilder {
  keys: [string, number[]][];
  numParams: number;
  repr: string;
  enumName: string;
  default: string;
  entries: PyEntry[];
}

/** Python: OnMeta (a TorchFunctionMode sending the factories to 'meta': torch 1.13 has no default-device context). */
export const PY_ON_META = `
from torch.overrides import TorchFunctionMode
# the factories parameters and buffers come from; not arange and tensor, whose values RegNet's
# BlockParams reads back
FACTORIES = {torch.empty, torch.zeros, torch.ones, torch.full, torch.randn, torch.rand}
class OnMeta(TorchFunctionMode):
    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        if func in FACTORIES:
            kwargs['device'] = 'meta'
        return func(*args, **kwargs)
`;

/** Python: describe_builder(name) -> PyBuilder (no memory filled, no init run), init_sums(m), grad_sums(m). */
export const PY_BUILDERS = `
import os
from urllib.parse import urlparse
import torchvision.models as M
${PY_ON_META}
def describe_builder(name):
    with OnMeta():
        m = M.get_model(name)
    enum = M.get_model_weights(name)
    r = {'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()],
         'numParams': sum(p.numel() for p in m.parameters()), 'repr': repr(m), 'enumName': enum.__name__,
         'default': [n for n, w in enum.__members__.items() if w is enum.DEFAULT and n != 'DEFAULT'][0], 'entries': []}
    for w in enum:
        file = os.path.basename(urlparse(w.url).path)
        cats = w.meta.get('categories')
        r['entries'].append({
            'name': w.name, 'url': w.url, 'file': file, 'path': os.path.join(torch.hub.get_dir(), 'checkpoints', file),
            'transforms': repr(w.transforms()), 'numParams': w.meta.get('num_params'),
            'minSize': list(w.meta['min_size']) if 'min_size' in w.meta else None,
            'categories': None if cats is None else len(cats)})
    return r
def init_sums(m):
    return [[k, float(v.double().sum()), float(v.double().abs().sum())] for k, v in m.state_dict().items() if v.is_floating_point()]
def grad_sums(m):
    return [[k, float(p.grad.double().sum()), float(p.grad.double().abs().sum())] for k, p in m.named_parameters()]
`;

export const close = (a: number, b: number, rel: number): boolean => Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-12);

/** init_sums here: each floating-point state tensor's sums. */
export function initSums(m: Module): Sums[] {
  return Object.entries(m.stateDict())
    .filter(([, v]) => v.dtype.isFloatingPoint)
    .map(([k, v]) => [k, v.double().sum().item() as number, v.double().abs().sum().item() as number]);
}

/** The same names in the same order, and sums within rel of torchvision's (the first miss named). */
export function expectSums(label: string, got: Sums[], want: Sums[], rel: number): void {
  expect(got.map(([k]) => k)).toEqual(want.map(([k]) => k));
  got.forEach(([k, s, a], i) => {
    const [, ws, wa] = want[i];
    if (!close(s, ws, rel) || !close(a, wa, rel)) throw new Error(`${label} ${k}: sums ${s}/${a}, torchvision ${ws}/${wa}`);
  });
}

/**
 * Every builder's two tests against describe_builder's answers (pyOf: read once beforeAll has run).
 * `seeded`: per builder name, more checks of the same model, then built after torch.manualSeed(0)
 * (its initial tensors, say): one model built instead of two.
 */
export function describeBuilders(rows: BuilderRow[], pyOf: (name: string) => PyBuilder, seeded: Record<string, { title: string; check: (m: Module) => void }> = {}): void {
  describe.each(rows)('%s', (name, enumName, build) => {
    const also = Object.prototype.hasOwnProperty.call(seeded, name) ? seeded[name] : undefined;
    test(`torchvision's state_dict keys and shapes, parameter count and repr${also ? `; ${also.title}` : ''}`, () => {
      const want = pyOf(name);
      torch.tidy(() => {
        if (also) torch.manualSeed(0);
        const m = build();
        expect(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape])).toEqual(want.keys);
        expect([...m.parameters()].reduce((s, p) => s + p.numel(), 0)).toBe(want.numParams);
        expect(String(m)).toBe(want.repr);
        also?.check(m);
      });
    });

    test("the weights enum as torchvision's: entries, URLs, cache file and path, transforms, meta", () => {
      const want = pyOf(name);
      const e = (models as unknown as Record<string, models.WeightsEnum>)[enumName];
      expect(enumName).toBe(want.enumName);
      expect(Object.keys(e).filter((k) => k !== 'DEFAULT')).toEqual(want.entries.map((x) => x.name));
      expect(e.DEFAULT).toBe(e[want.default]);
      expect(models.getWeight(`${enumName}.DEFAULT`)).toBe(e.DEFAULT);
      expect(models.getModelBuilder(name)).toBe(build);
      for (const w of want.entries) {
        const ours = e[w.name];
        expect([w.name, ours.url, ours.fileName, path.join(models.checkpointsDir(), ours.fileName)]).toEqual([w.name, w.url, w.file, w.path]);
        expect([w.name, String(ours.transforms())]).toEqual([w.name, w.transforms]);
        expect([w.name, ours.meta.numParams ?? null, ours.meta.minSize ?? null, ours.meta.categories?.length ?? null]).toEqual([w.name, w.numParams, w.minSize, w.categories]);
        // the entry states the builder's parameter count (a ViT entry at another image size has a longer pos_embedding)
        if (!name.startsWith('vit_') || w.minSize?.[0] === 224) expect([w.name, w.numParams]).toEqual([w.name, want.numParams]);
      }
    });
  });
}
