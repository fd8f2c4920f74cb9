// Python's _DDPSink: DDP's forward passes its outputs through this autograd Function when the
// Reducer must see backward reach them (findUnusedParameters: outputs left out of the loss get no
// gradient rather than an error) or when a static graph's first backward must end with one
// delayed all-reduce of every bucket (queued on the autograd engine from the sink's backward).
import { AutogradFunction, FunctionCtx } from '../../autograd/function';
import type { ReducerHandle } from '../../native';
import { Tensor } from '../../tensor/tensor';
import { c10d } from '../../distributed/native-c10d';

export interface SinkState {
  staticGraph: boolean;
  numIterations: number;
}

export class _DDPSink extends AutogradFunction {
  static forward(ctx: FunctionCtx, reducer: ReducerHandle, state: SinkState, ...inputs: Tensor[]): Tensor[] {
    ctx.setMaterializeGrads(false); // outputs without a gradient stay null for the Reducer
    ctx.reducer = reducer;
    ctx.state = state;
    return inputs.map((t) => t.clone());
  }

  static backward(ctx: FunctionCtx, ...grads: (Tensor | null)[]): (Tensor | null)[] {
    const state = ctx.state as SinkState;
    if (state.staticGraph && state.numIterations === 1) c10d().reducerCall(ctx.reducer as ReducerHandle, 'queueDelayAllReduce');
    return [null, null, ...grads];
  }
}
