// pytorch/examples word_language_model, line by line: model.py (RNNModel with LSTM/GRU/RNN,
// PositionalEncoding, TransformerModel built on nn.Transformer), data.py (Corpus), main.py
// (batchify, get_batch, repackage_hidden, clip_grad_norm_, manual SGD with lr annealing) and
// generate.py (multinomial sampling). Where the port had to differ from Python it says why.
// Run: node dist/examples/pytorch-examples/word-language-model.js --data <dir with train/valid/test.txt>
import * as fs from 'fs';
import * as torch from '../../lib';
import { nn, Tensor } from '../../lib';
import { ValueError } from '../../lib/errors';

const F = torch.nn.functional;

// ---------------------------------------------------------------- model.py

export type Hidden = Tensor | Tensor[];

export class RNNModel extends nn.Module {
  ntoken: number;
  drop: nn.Dropout;
  encoder: nn.Embedding;
  rnn: nn.RNNBase;   // a union of LSTM | GRU | RNN is not callable in TypeScript: their common base is
  decoder: nn.Linear;
  rnn_type: string;
  nhid: number;
  nlayers: number;

  constructor(rnn_type: string, ntoken: number, ninp: number, nhid: number, nlayers: number, dropout = 0.5, tie_weights = false) {
    super();
    this.ntoken = ntoken;
    this.drop = new nn.Dropout(dropout);
    this.encoder = new nn.Embedding(ntoken, ninp);
    if (rnn_type === 'LSTM' || rnn_type === 'GRU') {
      this.rnn = new nn[rnn_type](ninp, nhid, nlayers, { dropout });   // getattr(nn, rnn_type)
    } else {
      const nonlinearity = ({ RNN_TANH: 'tanh', RNN_RELU: 'relu' } as Record<string, 'tanh' | 'relu'>)[rnn_type];
      if (nonlinearity === undefined) {
        throw new ValueError("An invalid option for `--model` was supplied, options are ['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU']");
      }
      this.rnn = new nn.RNN(ninp, nhid, nlayers, { nonlinearity, dropout });
    }
    this.decoder = new nn.Linear(nhid, ntoken);
    // Optionally tie weights (Press & Wolf 2016; Inan et al. 2016)
    if (tie_weights) {
      if (nhid !== ninp) throw new ValueError('When using the tied flag, nhid must be equal to emsize');
      this.decoder.weight = this.encoder.weight;
    }
    this.init_weights();
    this.rnn_type = rnn_type;
    this.nhid = nhid;
    this.nlayers = nlayers;
  }

  init_weights(): void {
    const initrange = 0.1;
    nn.init.uniform_(this.encoder.weight, -initrange, initrange);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -initrange, initrange);
  }

  forward(input: Tensor, hidden: Hidden): [Tensor, Hidden] {
    const emb = this.drop(this.encoder(input));
    let [output, newHidden] = this.rnn(emb, hidden) as [Tensor, Hidden];
    output = this.drop(output);
    let decoded = this.decoder(output);
    decoded = decoded.view(-1, this.ntoken);
    return [F.logSoftmax(decoded, { dim: 1 }), newHidden];
  }

  init_hidden(bsz: number): Hidden {
    const weight = this.parameters().next().value!;   // next(self.parameters())
    if (this.rnn_type === 'LSTM') {
      return [weight.newZeros(this.nlayers, bsz, this.nhid), weight.newZeros(this.nlayers, bsz, this.nhid)];
    }
    return weight.newZeros(this.nlayers, bsz, this.nhid);
  }
}

export class PositionalEncoding extends nn.Module {
  dropout: nn.Dropout;
  declare pe: Tensor;

  constructor(d_model: number, dropout = 0.1, max_len = 5000) {
    super();
    this.dropout = new nn.Dropout({ p: dropout });
    let pe = torch.zeros(max_len, d_model);
    const position = torch.arange(0, max_len, { dtype: torch.float }).unsqueeze(1);
    const div_term = torch.exp(torch.arange(0, d_model, 2).float().mul(-Math.log(10000.0) / d_model));
    pe.indexPut_([':', torch.slice(0, null, 2)], torch.sin(position.mul(div_term)));
    pe.indexPut_([':', torch.slice(1, null, 2)], torch.cos(position.mul(div_term)));
    pe = pe.unsqueeze(0).transpose(0, 1);
    this.registerBuffer('pe', pe);
  }

  forward(x: Tensor): Tensor {
    x = x.add(this.pe.index(torch.slice(null, x.size(0)), ':'));
    return this.dropout(x);
  }
}

export class TransformerModel extends nn.Transformer {
  // nn.Transformer's decoder is replaced by a Linear below, as in Python (same place in the state_dict)
  declare decoder: nn.Linear;
  model_type: string;
  src_mask: Tensor | null;
  pos_encoder: PositionalEncoding;
  input_emb: nn.Embedding;
  ninp: number;

  constructor(ntoken: number, ninp: number, nhead: number, nhid: number, nlayers: number, dropout = 0.5) {
    super({ dModel: ninp, nhead, dimFeedforward: nhid, numEncoderLayers: nlayers });
    this.model_type = 'Transformer';
    this.src_mask = null;
    this.pos_encoder = new PositionalEncoding(ninp, dropout);
    this.input_emb = new nn.Embedding(ntoken, ninp);
    this.ninp = ninp;
    this.decoder = new nn.Linear(ninp, ntoken);
    this.init_weights();
  }

  _generate_square_subsequent_mask(sz: number): Tensor {
    return torch.log(torch.tril(torch.ones(sz, sz)));
  }

  init_weights(): void {
    const initrange = 0.1;
    nn.init.uniform_(this.input_emb.weight, -initrange, initrange);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -initrange, initrange);
  }

  // nn.Transformer.forward takes (src, tgt, ...): TypeScript wants an override to accept those,
  // so the Python signature forward(src, has_mask=True) is typed through `...args`.
  forward(...args: [src: Tensor, has_mask?: boolean] | [Tensor, Tensor, ...unknown[]]): Tensor {
    let src = args[0];
    const has_mask = (args[1] ?? true) as boolean;
    if (has_mask) {
      const device = src.device;
      if (this.src_mask === null || this.src_mask.size(0) !== src.length) {
        const mask = this._generate_square_subsequent_mask(src.length).to(device);
        this.src_mask = mask;
      }
    } else {
      this.src_mask = null;
    }
    src = this.input_emb(src).mul(Math.sqrt(this.ninp));
    src = this.pos_encoder(src);
    let output = this.encoder(src, { mask: this.src_mask }) as Tensor;
    output = this.decoder(output);
    return F.logSoftmax(output, { dim: -1 });
  }
}

// ---------------------------------------------------------------- data.py

export class Dictionary {
  word2idx = new Map<string, number>();
  idx2word: string[] = [];

  add_word(word: string): number {
    if (!this.word2idx.has(word)) {
      this.idx2word.push(word);
      this.word2idx.set(word, this.idx2word.length - 1);
    }
    return this.word2idx.get(word)!;
  }

  get length(): number {
    return this.idx2word.length;
  }
}

// Python's str.split(): runs of whitespace, no empty words
const words = (line: string): string[] => line.split(/\s+/).filter((w) => w.length > 0);
// Python iterates a file's lines keeping their '\n'; an empty last piece is not a line
const lines = (text: string): string[] => text.split(/(?<=\n)/).filter((l) => l.length > 0);

export class Corpus {
  dictionary = new Dictionary();
  train: Tensor;
  valid: Tensor;
  test: Tensor;

  constructor(path: string) {
    this.train = this.tokenize(`${path}/train.txt`);
    this.valid = this.tokenize(`${path}/valid.txt`);
    this.test = this.tokenize(`${path}/test.txt`);
  }

  tokenize(path: string): Tensor {
    if (!fs.existsSync(path)) throw new Error(`AssertionError: ${path}`);
    const text = fs.readFileSync(path, 'utf8');
    for (const line of lines(text)) for (const word of [...words(line), '<eos>']) this.dictionary.add_word(word);
    const idss: Tensor[] = [];
    for (const line of lines(text)) {
      const ids = [...words(line), '<eos>'].map((word) => this.dictionary.word2idx.get(word)!);
      idss.push(torch.tensor(ids).type(torch.int64));
    }
    return torch.cat(idss);
  }
}

// ---------------------------------------------------------------- main.py

export interface Args {
  data: string;
  model: string;
  emsize: number;
  nhid: number;
  nlayers: number;
  lr: number;
  clip: number;
  epochs: number;
  batch_size: number;
  bptt: number;
  dropout: number;
  tied: boolean;
  seed: number;
  log_interval: number;
  save: string;
  nhead: number;
  dry_run: boolean;
  use_optimizer: boolean;
}

export const defaults: Args = {
  data: './data/wikitext-2', model: 'LSTM', emsize: 200, nhid: 200, nlayers: 2, lr: 20, clip: 0.25, epochs: 40,
  batch_size: 20, bptt: 35, dropout: 0.2, tied: false, seed: 1111, log_interval: 200, save: 'model.pt', nhead: 2,
  dry_run: false, use_optimizer: false,
};

export type Model = RNNModel | TransformerModel;

export interface TrainResult {
  trainLosses: number[];   // every batch's loss.item()
  valLosses: number[];
  lrs: number[];           // lr at the start of each epoch
  testLoss: number;
  model: Model;
  corpus: Corpus;
}

const f2 = (x: number, width: number) => x.toFixed(2).padStart(width);

export async function main(argv: Partial<Args> = {}, log: (line: string) => void = console.log): Promise<TrainResult> {
  const args: Args = { ...defaults, ...argv };
  torch.manualSeed(args.seed);
  const device = torch.device('cpu');

  const corpus = new Corpus(args.data);

  function batchify(data: Tensor, bsz: number): Tensor {
    const nbatch = Math.floor(data.size(0) / bsz);
    data = data.narrow(0, 0, nbatch * bsz);
    data = data.view(bsz, -1).t().contiguous();
    return data.to(device);
  }

  const eval_batch_size = 10;
  const train_data = batchify(corpus.train, args.batch_size);
  const val_data = batchify(corpus.valid, eval_batch_size);
  const test_data = batchify(corpus.test, eval_batch_size);

  const ntokens = corpus.dictionary.length;
  let model: Model = args.model === 'Transformer'
    ? new TransformerModel(ntokens, args.emsize, args.nhead, args.nhid, args.nlayers, args.dropout).to(device)
    : new RNNModel(args.model, ntokens, args.emsize, args.nhid, args.nlayers, args.dropout, args.tied).to(device);

  const criterion = new nn.NLLLoss();
  const optimizer = args.use_optimizer ? new torch.optim.AdamW(model.parameters(), { lr: args.lr }) : null;

  const repackage_hidden = (h: Hidden): Hidden => (h instanceof Tensor ? h.detach() : h.map((v) => repackage_hidden(v) as Tensor));

  function get_batch(source: Tensor, i: number): [Tensor, Tensor] {
    const seq_len = Math.min(args.bptt, source.length - 1 - i);
    const data = source.index(torch.slice(i, i + seq_len));
    const target = source.index(torch.slice(i + 1, i + 1 + seq_len)).view(-1);
    return [data, target];
  }

  function evaluate(data_source: Tensor): number {
    model.eval();
    let total_loss = 0;
    const ntokens = corpus.dictionary.length;
    let hidden = model instanceof RNNModel ? model.init_hidden(eval_batch_size) : null;
    torch.noGrad(() => {
      for (let i = 0; i < data_source.size(0) - 1; i += args.bptt) {
        const [data, targets] = get_batch(data_source, i);
        let output: Tensor;
        if (model instanceof TransformerModel) {
          output = model(data);
          output = output.view(-1, ntokens);
        } else {
          [output, hidden] = model(data, hidden!);
          hidden = repackage_hidden(hidden);
        }
        total_loss += data.length * criterion(output, targets).item();
      }
    });
    return total_loss / (data_source.length - 1);
  }

  const trainLosses: number[] = [];
  function train(epoch: number): void {
    model.train();
    let total_loss = 0;
    let start_time = Date.now();
    const ntokens = corpus.dictionary.length;
    let hidden = model instanceof RNNModel ? model.init_hidden(args.batch_size) : null;
    for (let batch = 0, i = 0; i < train_data.size(0) - 1; batch++, i += args.bptt) {
      const [data, targets] = get_batch(train_data, i);
      if (optimizer) optimizer.zeroGrad();
      else model.zeroGrad();
      let output: Tensor;
      if (model instanceof TransformerModel) {
        output = model(data);
        output = output.view(-1, ntokens);
      } else {
        hidden = repackage_hidden(hidden!);
        [output, hidden] = model(data, hidden);
      }
      const loss = criterion(output, targets);
      loss.backward();

      // `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
      nn.utils.clipGradNorm_(model.parameters(), args.clip);
      if (optimizer) optimizer.step();
      else for (const p of model.parameters()) p.data.add_(p.grad!, { alpha: -lr });

      total_loss += loss.item();
      trainLosses.push(loss.item());

      if (batch % args.log_interval === 0 && batch > 0) {
        const cur_loss = total_loss / args.log_interval;
        const elapsed = (Date.now() - start_time) / 1000;
        log(`| epoch ${String(epoch).padStart(3)} | ${String(batch).padStart(5)}/${String(Math.floor(train_data.length / args.bptt)).padStart(5)} batches | ` +
          `lr ${lr.toFixed(2)} | ms/batch ${f2((elapsed * 1000) / args.log_interval, 5)} | loss ${f2(cur_loss, 5)} | ppl ${f2(Math.exp(cur_loss), 8)}`);
        total_loss = 0;
        start_time = Date.now();
      }
      if (args.dry_run) break;
    }
  }

  // Loop over epochs.
  let lr = args.lr;
  let best_val_loss: number | null = null;
  const valLosses: number[] = [];
  const lrs: number[] = [];
  for (let epoch = 1; epoch < args.epochs + 1; epoch++) {
    const epoch_start_time = Date.now();
    lrs.push(lr);
    train(epoch);
    const val_loss = evaluate(val_data);
    valLosses.push(val_loss);
    log('-'.repeat(89));
    log(`| end of epoch ${String(epoch).padStart(3)} | time: ${f2((Date.now() - epoch_start_time) / 1000, 5)}s | valid loss ${f2(val_loss, 5)} | valid ppl ${f2(Math.exp(val_loss), 8)}`);
    log('-'.repeat(89));
    if (!best_val_loss || val_loss < best_val_loss) {
      // Python pickles the whole module (torch.save(model, f)); here the state_dict is saved
      await torch.save(model.stateDict(), args.save);
      best_val_loss = val_loss;
    } else {
      lr /= 4.0;
    }
  }

  // Load the best saved model (a new one, as torch.load(f) would build).
  model = args.model === 'Transformer'
    ? new TransformerModel(ntokens, args.emsize, args.nhead, args.nhid, args.nlayers, args.dropout)
    : new RNNModel(args.model, ntokens, args.emsize, args.nhid, args.nlayers, args.dropout, args.tied);
  model.loadStateDict(await torch.load(args.save));
  if (model instanceof RNNModel) model.rnn.flattenParameters();

  const test_loss = evaluate(test_data);
  log('='.repeat(89));
  log(`| End of training | test loss ${f2(test_loss, 5)} | test ppl ${f2(Math.exp(test_loss), 8)}`);
  log('='.repeat(89));
  return { trainLosses, valLosses, lrs, testLoss: test_loss, model, corpus };
}

// ---------------------------------------------------------------- generate.py

export interface GenerateArgs {
  words: number;
  seed: number;
  temperature: number;
}

/** generate.py's loop over a loaded model (model.eval() first); returns the words it wrote. */
export function generate(model: Model, corpus: Corpus, { words, seed, temperature }: GenerateArgs): string[] {
  torch.manualSeed(seed);
  model.eval();
  const ntokens = corpus.dictionary.length;
  const is_transformer_model = model instanceof TransformerModel && model.model_type === 'Transformer';
  let hidden = model instanceof RNNModel ? model.init_hidden(1) : null;
  let input = torch.randint(ntokens, [1, 1], { dtype: torch.long });
  const out: string[] = [];
  torch.noGrad(() => {
    for (let i = 0; i < words; i++) {
      let word_idx: Tensor;
      if (is_transformer_model) {
        const output = (model as TransformerModel)(input, false);
        const word_weights = output.index(-1).squeeze().div(temperature).exp().cpu();
        word_idx = torch.multinomial(word_weights, 1).index(0);
        const word_tensor = torch.Tensor([[word_idx]]).long();
        input = torch.cat([input, word_tensor], 0);
      } else {
        let output: Tensor;
        [output, hidden] = (model as RNNModel)(input, hidden!);
        const word_weights = output.squeeze().div(temperature).exp().cpu();
        word_idx = torch.multinomial(word_weights, 1).index(0);
        input.fill_(word_idx);
      }
      out.push(corpus.dictionary.idx2word[word_idx.item()]);   // idx2word[tensor] in Python
    }
  });
  return out;
}

if (require.main === module) {
  const [flag, dir] = process.argv.slice(2);
  void main(flag === '--data' && dir ? { data: dir } : {});
}
