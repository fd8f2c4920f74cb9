// Whole-module torch.save / torch.load against PyTorch 1.13, both ways (serialization-module-harness.ts):
// activations, losses, recurrent and attention layers, embeddings, transformers and the containers;
// and a check that every nn class registered for whole-module pickling has a spec in one of the files.
import { runHarness, checkSpec } from './serialization-module-harness';
import { LAYER_SPECS, NET_SPECS as SPECS, NOT_SPECIFIED } from './serialization-module-specs';
import { isPythonModulePath, registeredClass } from '../lib/serialization/modules/registry';
import { PYTHON_ATTRIBUTES } from '../lib/serialization/modules/python-attributes';

describe('whole modules, both ways with Python: activations, losses, recurrent, attention, containers', () => {
  const h = runHarness(SPECS);
  SPECS.forEach((_, i) => checkSpec(h, SPECS, i));
});

test('every nn module class Python 1.13 has and torch-node implements has a spec (or is a base, lazy or alias)', () => {
  const covered = new Set([...LAYER_SPECS, ...SPECS].map((s) => s.name));
  const implemented = Object.keys(PYTHON_ATTRIBUTES)
    .filter((p) => p.startsWith('torch.nn.modules.') && isPythonModulePath(p) && registeredClass(p))
    .map((p) => p.split('.').pop()!)
    .filter((name) => !name.startsWith('_') && !name.startsWith('Lazy') && !NOT_SPECIFIED.includes(name));
  expect(implemented.filter((name) => !covered.has(name))).toEqual([]);
  expect(implemented.length).toBeGreaterThan(130);
});
