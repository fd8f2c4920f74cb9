// torch.profiler.ExecutionGraphObserver: libtorch's observer (native/profiler.cc) writes every op
// run while it is started (name, schema, inputs and outputs with their shapes and types, the
// parent op) as a JSON execution graph. One per process, as in libtorch.
import { TorchError } from '../errors';
import { native } from '../native';

/** Python's ExecutionGraphObserver: registerCallback(path), start() / stop(), unregisterCallback(). */
export class ExecutionGraphObserver {
  private registered = false;
  private running = false;
  private outputFilePath: string | undefined;

  /** Adds the observer, writing to outputFilePath; again while registered: nothing. */
  registerCallback(outputFilePath: string): void {
    if (this.registered) return;
    this.outputFilePath = outputFilePath;
    this.registered = native.executionGraphObserverAdd(outputFilePath);
  }

  /**
   * Stops, removes the observer and completes its file (Python does it when the observer is
   * collected too: here, call it when done).
   */
  unregisterCallback(): void {
    if (!this.registered) return;
    this.stop();
    native.executionGraphObserverRemove();
    this.registered = false;
  }

  /** Starts recording the ops run (once registered). */
  start(): void {
    if (!this.registered || this.running) return;
    native.executionGraphObserverEnable();
    this.running = true;
  }

  stop(): void {
    if (!this.running) return;
    native.executionGraphObserverDisable();
    this.running = false;
  }

  getOutputFilePath(): string {
    if (this.outputFilePath === undefined) throw new TorchError("'ExecutionGraphObserver' object has no attribute '_output_file_path'");
    return this.outputFilePath;
  }
}
