// What a worker thread needs to rebuild the loader's dataset: a library dataset (TensorDataset,
// the vision datasets, with library transforms: see library-ref.ts), a module reference
// (fromModule), or a Subset / ConcatDataset / ChainDataset of such datasets (e.g. the parts of
// randomSplit).
import { moduleRefOf } from './module-ref';
import { Subset, ConcatDataset, ChainDataset, Dataset, IterableDataset } from './dataset';
import { isPlainObject } from './kinds';
import {
  Encoded, EncodedRef, encodeLibraryValue, decodeLibraryValue, encodeModuleRef, instantiateEncodedRef, NotRebuildable, describeValue,
} from './library-ref';

export type DatasetSpec =
  | { kind: 'module'; ref: EncodedRef }
  | { kind: 'library'; value: Encoded }
  | { kind: 'subset'; dataset: DatasetSpec; indices: number[] }
  | { kind: 'concat'; datasets: DatasetSpec[] }
  | { kind: 'chain'; datasets: DatasetSpec[] };

/** The spec of a dataset, or why worker threads cannot rebuild it (a phrase naming the culprit). */
export type DatasetSpecResult = { spec: DatasetSpec } | { problem: string };

const className = (x: unknown): string => (x as { constructor?: { name?: string } } | null)?.constructor?.name || 'dataset';

function resolve(ds: unknown, where: string): DatasetSpecResult {
  const ref = moduleRefOf(ds);
  if (ref) {
    try {
      return { spec: { kind: 'module', ref: encodeModuleRef(ref) } };
    } catch (e) {
      if (!(e instanceof NotRebuildable)) throw e;
      const at = where === 'dataset' ? '' : ` (at ${where})`;
      return {
        problem:
          `argument ${e.where} of data.fromModule's ${ref.export} dataset${at} is ${e.what}, which a worker thread cannot rebuild: ` +
          'use a library transform or function, or name your own with data.moduleFunction(modulePath, exportName)',
      };
    }
  }
  const all = (list: Iterable<unknown>, kind: 'concat' | 'chain'): DatasetSpecResult => {
    const datasets: DatasetSpec[] = [];
    for (const [i, d] of [...list].entries()) {
      const r = resolve(d, `${where}.datasets[${i}]`);
      if ('problem' in r) return r;
      datasets.push(r.spec);
    }
    return { spec: { kind, datasets } };
  };
  if (ds instanceof Subset) {
    const inner = resolve(ds.dataset, `${where}.dataset`);
    return 'problem' in inner ? inner : { spec: { kind: 'subset', dataset: inner.spec, indices: [...ds.indices] } };
  }
  if (ds instanceof ConcatDataset) return all(ds.datasets, 'concat');
  if (ds instanceof ChainDataset) return all(ds.datasets, 'chain');
  const at = where === 'dataset' ? '' : ` (at ${where})`;
  const notLibrary = { problem: `the dataset${at} is ${describeValue(ds)}, not a library dataset: create it with data.fromModule` };
  // A plain array (Python's list as a dataset) crosses as its items do: numbers, tensors, library values.
  if (isPlainObject(ds)) return notLibrary;
  try {
    return { spec: { kind: 'library', value: encodeLibraryValue(ds) } };
  } catch (e) {
    if (!(e instanceof NotRebuildable)) throw e;
    if (e.where === '') return notLibrary;
    return {
      problem:
        `argument ${e.where} of the ${className(ds)} dataset${at} is ${e.what}, which a worker thread cannot rebuild: use a ` +
        'library transform or function, name your own with data.moduleFunction(modulePath, exportName), or create the ' +
        'whole dataset with data.fromModule',
    };
  }
}

/** The spec of `ds`, or why worker threads cannot rebuild it. */
export function resolveDatasetSpec(ds: unknown): DatasetSpecResult {
  return resolve(ds, 'dataset');
}

/** The spec of `ds`, or undefined when worker threads cannot rebuild it. */
export function datasetSpec(ds: unknown): DatasetSpec | undefined {
  const r = resolveDatasetSpec(ds);
  return 'spec' in r ? r.spec : undefined;
}

/** Builds the dataset a spec describes, in this thread. */
export function buildDataset(spec: DatasetSpec): unknown {
  switch (spec.kind) {
    case 'module':
      return instantiateEncodedRef(spec.ref);
    case 'library':
      return decodeLibraryValue(spec.value);
    case 'subset':
      return new Subset(buildDataset(spec.dataset) as Dataset, spec.indices);
    case 'concat':
      return new ConcatDataset(spec.datasets.map(buildDataset) as Dataset[]);
    case 'chain':
      return new ChainDataset(spec.datasets.map(buildDataset) as IterableDataset[]);
  }
}
