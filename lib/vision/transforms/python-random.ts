// The generator torchvision's random transforms draw from: Python's module-level `random`, one
// PythonRandom (lib/python-random.ts) seeded per DataLoader worker as PyTorch's worker loop seeds it.
import { getWorkerInfo } from '../../data/worker-info';
import { PythonRandom } from '../../python-random';

export { PythonRandom };

/**
 * The generator RandomChoice and RandomOrder draw from: Python's module-level `random`.
 * `pythonRandom.seed(0)` is Python's `random.seed(0)`. In a DataLoader worker thread it starts
 * from the worker's seed (baseSeed + id), as PyTorch's worker loop calls random.seed(seed).
 */
export const pythonRandom = new PythonRandom(() => getWorkerInfo()?.seed ?? null);
