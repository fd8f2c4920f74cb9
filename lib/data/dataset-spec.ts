// What a worker thread needs to rebuild the loader's dataset: a module reference (fromModule), or
// a Subset / ConcatDataset / ChainDataset of such datasets (e.g. the parts of randomSplit).
import { ModuleRef, moduleRefOf, instantiate } from './module-ref';
import { Subset, ConcatDataset, ChainDataset, Dataset, IterableDataset } from './dataset';

export type DatasetSpec =
  | { kind: 'module'; ref: ModuleRef }
  | { kind: 'subset'; dataset: DatasetSpec; indices: number[] }
  | { kind: 'concat'; datasets: DatasetSpec[] }
  | { kind: 'chain'; datasets: DatasetSpec[] };

/** The spec of `ds`, or undefined when worker threads cannot rebuild it. */
export function datasetSpec(ds: unknown): DatasetSpec | undefined {
  const ref = moduleRefOf(ds);
  if (ref) return { kind: 'module', ref };
  const all = (list: Iterable<unknown>) => {
    const specs = [...list].map(datasetSpec);
    return specs.every((s) => s !== undefined) ? (specs as DatasetSpec[]) : undefined;
  };
  if (ds instanceof Subset) {
    const inner = datasetSpec(ds.dataset);
    return inner && { kind: 'subset', dataset: inner, indices: [...ds.indices] };
  }
  if (ds instanceof ConcatDataset) {
    const datasets = all(ds.datasets);
    return datasets && { kind: 'concat', datasets };
  }
  if (ds instanceof ChainDataset) {
    const datasets = all(ds.datasets);
    return datasets && { kind: 'chain', datasets };
  }
  return undefined;
}

/** Builds the dataset a spec describes, in this thread. */
export function buildDataset(spec: DatasetSpec): unknown {
  switch (spec.kind) {
    case 'module':
      return instantiate(spec.ref);
    case 'subset':
      return new Subset(buildDataset(spec.dataset) as Dataset, spec.indices);
    case 'concat':
      return new ConcatDataset(spec.datasets.map(buildDataset) as Dataset[]);
    case 'chain':
      return new ChainDataset(spec.datasets.map(buildDataset) as IterableDataset[]);
  }
}
