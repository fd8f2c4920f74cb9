// The recurrence behind torch.quantized_lstm / torch.quantized_gru (ATen's RNN.cpp on CPU), step by
// step in the same tensor operations: each layer first applies its input weights to the whole
// sequence at once (so the activations are quantized with one range over all steps, as libtorch
// does), then runs the cell over the steps; bidirectional layers run the reverse direction over the
// reversed steps; packed sequences shrink and regrow the hidden state with the batch sizes. The
// fused aten ops take a list of CellParamsBase objects, which the generic dispatcher call cannot
// carry, hence this composition of the very operations they run.
import { Tensor } from '../../../tensor/tensor';
import { cat, stack } from '../../../tensor/functions';
import { dropout as functionalDropout } from '../../functional/dropout';
import { CellParams } from './cell-params';

export type LSTMState = [Tensor, Tensor];
export type Hidden = Tensor | LSTMState;

/** One step: the new hidden state from the (input-projected when precomputed) step input. */
export type Cell<H extends Hidden> = (input: Tensor, hidden: H, params: CellParams, preComputed: boolean) => H;

export const lstmCell: Cell<LSTMState> = (input, [hx, cx], params, preComputed) => {
  const gates = params.linearHh(hx).add_(preComputed ? input : params.linearIh(input));
  const [i, f, g, o] = gates.chunk(4, 1);
  const ingate = i.sigmoid_();
  const forgetgate = f.sigmoid_();
  const cellgate = g.tanh_();
  const outgate = o.sigmoid_();
  const cy = forgetgate.mul(cx).add_(ingate.mul(cellgate));
  const hy = outgate.mul(cy.tanh());
  return [hy, cy];
};

export const gruCell: Cell<Tensor> = (input, hidden, params, preComputed) => {
  const igates = (preComputed ? input : params.linearIh(input)).chunk(3, 1);
  const hgates = params.linearHh(hidden).chunk(3, 1);
  const resetGate = hgates[0].add_(igates[0]).sigmoid_();
  const inputGate = hgates[1].add_(igates[1]).sigmoid_();
  const newGate = igates[2].add(hgates[2].mul_(resetGate)).tanh_();
  return hidden.sub(newGate).mul_(inputGate).add_(newGate);
};

const output = (h: Hidden): Tensor => (Array.isArray(h) ? h[0] : h);
function slice<H extends Hidden>(h: H, start: number, end: number): H {
  return (Array.isArray(h) ? [h[0].narrow(0, start, end - start), h[1].narrow(0, start, end - start)] : h.narrow(0, start, end - start)) as H;
}
function concat<H extends Hidden>(hs: H[]): H {
  if (!Array.isArray(hs[0])) return cat(hs as Tensor[], 0) as H;
  return [cat((hs as LSTMState[]).map((h) => h[0]), 0), cat((hs as LSTMState[]).map((h) => h[1]), 0)] as H;
}

interface LayerOutput<H> {
  outputs: Tensor;
  hidden: H;
}

function runSteps<H extends Hidden>(cell: Cell<H>, steps: Tensor[], hidden: H, params: CellParams): { outputs: Tensor[]; hidden: H } {
  const outputs: Tensor[] = [];
  for (const step of steps) {
    hidden = cell(step, hidden, params, true);
    outputs.push(output(hidden));
  }
  return { outputs, hidden };
}

/** FullLayer: one direction over a (seq, batch, feature) tensor. */
function fullLayer<H extends Hidden>(cell: Cell<H>, input: Tensor, hidden: H, params: CellParams): LayerOutput<H> {
  const r = runSteps(cell, params.linearIh(input).unbind(0), hidden, params);
  return { outputs: stack(r.outputs, 0), hidden: r.hidden };
}

/** FullBidirectionalLayer: forward over the steps, then the reverse direction over them reversed. */
function fullBidirectionalLayer<H extends Hidden>(cell: Cell<H>, input: Tensor, hidden: [H, H], params: [CellParams, CellParams]): LayerOutput<[H, H]> {
  const fw = runSteps(cell, params[0].linearIh(input).unbind(0), hidden[0], params[0]);
  const fwOutput = stack(fw.outputs, 0);
  const rev = runSteps(cell, params[1].linearIh(input).unbind(0).reverse(), hidden[1], params[1]);
  const revOutput = stack(rev.outputs.reverse(), 0);
  return { outputs: cat([fwOutput, revOutput], fwOutput.dim() - 1), hidden: [fw.hidden, rev.hidden] };
}

/** PackedLayer: steps of decreasing batch; the finished sequences' hidden states are set aside. */
function packedLayer<H extends Hidden>(cell: Cell<H>, data: Tensor, batchSizes: number[], hidden: H, params: CellParams): LayerOutput<H> {
  const inputW = params.linearIh(data);
  const outputs: Tensor[] = [];
  const finished: H[] = [];
  let offset = 0;
  let last = batchSizes[0];
  for (const batch of batchSizes) {
    const step = inputW.narrow(0, offset, batch);
    offset += batch;
    const dec = last - batch;
    if (dec > 0) {
      finished.push(slice(hidden, last - dec, last));
      hidden = slice(hidden, 0, last - dec);
    }
    last = batch;
    hidden = cell(step, hidden, params, true);
    outputs.push(output(hidden));
  }
  finished.push(hidden);
  return { outputs: cat(outputs, 0), hidden: concat(finished.reverse()) };
}

/** ReversedPackedLayer: from the last step back, the hidden state growing as sequences join. */
function reversedPackedLayer<H extends Hidden>(cell: Cell<H>, data: Tensor, batchSizes: number[], inputHidden: H, params: CellParams): LayerOutput<H> {
  const inputW = params.linearIh(data);
  const outputs: Tensor[] = [];
  let offset = data.size(0) as number;
  let last = batchSizes[batchSizes.length - 1];
  let hidden = slice(inputHidden, 0, last);
  for (let i = batchSizes.length - 1; i >= 0; i--) {
    const batch = batchSizes[i];
    if (batch - last > 0) hidden = concat([hidden, slice(inputHidden, last, batch)]);
    const step = inputW.narrow(0, offset - batch, batch);
    offset -= batch;
    last = batch;
    hidden = cell(step, hidden, params, true);
    outputs.push(output(hidden));
  }
  return { outputs: cat(outputs.reverse(), 0), hidden };
}

export interface StackOptions {
  numLayers: number;
  dropout: number;
  train: boolean;
  bidirectional: boolean;
  /** the packed input's batch sizes, or null for a (seq, batch, feature) tensor */
  batchSizes: number[] | null;
}

/**
 * apply_layer_stack: the layers in turn, dropout between them in training; returns the last layer's
 * output (packed data when batchSizes is given) and every layer's (and direction's) final hidden state.
 */
export function applyLayerStack<H extends Hidden>(cell: Cell<H>, input: Tensor, hiddens: H[], params: CellParams[], o: StackOptions): { output: Tensor; hiddens: H[] } {
  const finals: H[] = [];
  let x = input;
  const dirs = o.bidirectional ? 2 : 1;
  for (let l = 0; l < o.numLayers; l++) {
    const h = hiddens.slice(l * dirs, l * dirs + dirs);
    const p = params.slice(l * dirs, l * dirs + dirs);
    if (o.batchSizes === null) {
      const r = o.bidirectional ? fullBidirectionalLayer(cell, x, h as [H, H], p as [CellParams, CellParams]) : fullLayer(cell, x, h[0], p[0]);
      x = r.outputs;
      finals.push(...(o.bidirectional ? (r.hidden as [H, H]) : [r.hidden as H]));
    } else if (o.bidirectional) {
      const fw = packedLayer(cell, x, o.batchSizes, h[0], p[0]);
      const rev = reversedPackedLayer(cell, x, o.batchSizes, h[1], p[1]);
      x = cat([fw.outputs, rev.outputs], -1);
      finals.push(fw.hidden, rev.hidden);
    } else {
      const r = packedLayer(cell, x, o.batchSizes, h[0], p[0]);
      x = r.outputs;
      finals.push(r.hidden);
    }
    if (o.dropout !== 0 && o.train && l < o.numLayers - 1) x = functionalDropout(x, o.dropout, true);
  }
  return { output: x, hiddens: finals };
}
