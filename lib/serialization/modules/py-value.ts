// A Python value that writes its own pickle opcodes (a GLOBAL, a partial, a lazy module's hook);
// save.ts hands such values to their write method. Its own file, so that the module savers can
// share it without import cycles.
import { Pickler } from '../pickler';

/** A Python value the pickler writes by itself. */
export abstract class PyValue {
  abstract write(p: Pickler): void;
}
