// pytorch/examples word_language_model ported line by line (examples/pytorch-examples/
// word-language-model.ts), against the Python original run on the same tiny corpus: every batch's
// loss, validation losses, the annealed lr, log lines, the best model's state_dict, the test loss,
// the generated words, and the reprs. Python also opens the checkpoint the port saved.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ValueError } from '../lib/errors';
import { Args, RNNModel, generate, main } from '../examples/pytorch-examples/word-language-model';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

const close = closeWithin(2e-5);

// A tiny corpus: sentences from a 14-word vocabulary, drawn by a fixed LCG.
function corpusText(seed: number, nLines: number): string {
  const vocab = ['the', 'cat', 'dog', 'sat', 'on', 'mat', 'a', 'ran', 'to', 'house', 'big', 'small', 'red', 'and'];
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines: string[] = [];
  for (let i = 0; i < nLines; i++) {
    const n = 3 + Math.floor(next() * 6);
    lines.push(' ' + Array.from({ length: n }, () => vocab[Math.floor(next() * vocab.length)]).join(' ') + ' ');
  }
  return lines.join('\n') + '\n';
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wlm-'));
fs.writeFileSync(path.join(dir, 'train.txt'), corpusText(1, 40));
fs.writeFileSync(path.join(dir, 'valid.txt'), corpusText(2, 12));
fs.writeFileSync(path.join(dir, 'test.txt'), corpusText(3, 12));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const small = { data: dir, emsize: 8, nhid: 8, nlayers: 2, epochs: 4, batch_size: 4, bptt: 6, dropout: 0.2, log_interval: 4 };
const RUNS: Record<string, Partial<Args>> = {
  lstm: { ...small, model: 'LSTM', lr: 20 },
  gru_tied_adamw: { ...small, model: 'GRU', tied: true, use_optimizer: true, lr: 0.01 },
  transformer: { ...small, model: 'Transformer', nhid: 16, nhead: 2, lr: 5 },
  rnn_relu: { ...small, model: 'RNN_RELU', lr: 2, epochs: 2 },
};

// The Python original (model.py, data.py, main.py, generate.py), condensed to functions that take
// the same arguments; printed lines are collected.
const PY = `
import math, os, argparse, time
import torch.nn as nn
import torch.nn.functional as F
LOG = []
def print_(s): LOG.append(s)

class RNNModel(nn.Module):
    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5, tie_weights=False):
        super(RNNModel, self).__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        if rnn_type in ['LSTM', 'GRU']:
            self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
        else:
            try:
                nonlinearity = {'RNN_TANH': 'tanh', 'RNN_RELU': 'relu'}[rnn_type]
            except KeyError as e:
                raise ValueError("An invalid option for \`--model\` was supplied, options are ['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU']") from e
            self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity=nonlinearity, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            if nhid != ninp:
                raise ValueError('When using the tied flag, nhid must be equal to emsize')
            self.decoder.weight = self.encoder.weight
        self.init_weights()
        self.rnn_type = rnn_type
        self.nhid = nhid
        self.nlayers = nlayers
    def init_weights(self):
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)
    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output)
        decoded = decoded.view(-1, self.ntoken)
        return F.log_softmax(decoded, dim=1), hidden
    def init_hidden(self, bsz):
        weight = next(self.parameters())
        if self.rnn_type == 'LSTM':
            return (weight.new_zeros(self.nlayers, bsz, self.nhid), weight.new_zeros(self.nlayers, bsz, self.nhid))
        else:
            return weight.new_zeros(self.nlayers, bsz, self.nhid)

class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super(PositionalEncoding, self).__init__()
        self.dropout = nn.Dropout(p=dropout)
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        pe = pe.unsqueeze(0).transpose(0, 1)
        self.register_buffer('pe', pe)
    def forward(self, x):
        x = x + self.pe[:x.size(0), :]
        return self.dropout(x)

class TransformerModel(nn.Transformer):
    def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.5):
        super(TransformerModel, self).__init__(d_model=ninp, nhead=nhead, dim_feedforward=nhid, num_encoder_layers=nlayers)
        self.model_type = 'Transformer'
        self.src_mask = None
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.input_emb = nn.Embedding(ntoken, ninp)
        self.ninp = ninp
        self.decoder = nn.Linear(ninp, ntoken)
        self.init_weights()
    def _generate_square_subsequent_mask(self, sz):
        return torch.log(torch.tril(torch.ones(sz,sz)))
    def init_weights(self):
        initrange = 0.1
        nn.init.uniform_(self.input_emb.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)
    def forward(self, src, has_mask=True):
        if has_mask:
            device = src.device
            if self.src_mask is None or self.src_mask.size(0) != len(src):
                mask = self._generate_square_subsequent_mask(len(src)).to(device)
                self.src_mask = mask
        else:
            self.src_mask = None
        src = self.input_emb(src) * math.sqrt(self.ninp)
        src = self.pos_encoder(src)
        output = self.encoder(src, mask=self.src_mask)
        output = self.decoder(output)
        return F.log_softmax(output, dim=-1)

class Dictionary(object):
    def __init__(self):
        self.word2idx = {}
        self.idx2word = []
    def add_word(self, word):
        if word not in self.word2idx:
            self.idx2word.append(word)
            self.word2idx[word] = len(self.idx2word) - 1
        return self.word2idx[word]
    def __len__(self):
        return len(self.idx2word)

class Corpus(object):
    def __init__(self, path):
        self.dictionary = Dictionary()
        self.train = self.tokenize(os.path.join(path, 'train.txt'))
        self.valid = self.tokenize(os.path.join(path, 'valid.txt'))
        self.test = self.tokenize(os.path.join(path, 'test.txt'))
    def tokenize(self, path):
        assert os.path.exists(path)
        with open(path, 'r', encoding="utf8") as f:
            for line in f:
                for word in line.split() + ['<eos>']:
                    self.dictionary.add_word(word)
        with open(path, 'r', encoding="utf8") as f:
            idss = []
            for line in f:
                ids = [self.dictionary.word2idx[word] for word in line.split() + ['<eos>']]
                idss.append(torch.tensor(ids).type(torch.int64))
            ids = torch.cat(idss)
        return ids

def run_main(args):
    torch.manual_seed(args.seed)
    device = torch.device("cpu")
    corpus = Corpus(args.data)
    def batchify(data, bsz):
        nbatch = data.size(0) // bsz
        data = data.narrow(0, 0, nbatch * bsz)
        data = data.view(bsz, -1).t().contiguous()
        return data.to(device)
    eval_batch_size = 10
    train_data = batchify(corpus.train, args.batch_size)
    val_data = batchify(corpus.valid, eval_batch_size)
    test_data = batchify(corpus.test, eval_batch_size)
    ntokens = len(corpus.dictionary)
    if args.model == 'Transformer':
        model = TransformerModel(ntokens, args.emsize, args.nhead, args.nhid, args.nlayers, args.dropout).to(device)
    else:
        model = RNNModel(args.model, ntokens, args.emsize, args.nhid, args.nlayers, args.dropout, args.tied).to(device)
    criterion = nn.NLLLoss()
    if args.use_optimizer:
        optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    def repackage_hidden(h):
        if isinstance(h, torch.Tensor):
            return h.detach()
        else:
            return tuple(repackage_hidden(v) for v in h)
    def get_batch(source, i):
        seq_len = min(args.bptt, len(source) - 1 - i)
        data = source[i:i+seq_len]
        target = source[i+1:i+1+seq_len].view(-1)
        return data, target
    def evaluate(data_source):
        model.eval()
        total_loss = 0.
        ntokens = len(corpus.dictionary)
        if args.model != 'Transformer':
            hidden = model.init_hidden(eval_batch_size)
        with torch.no_grad():
            for i in range(0, data_source.size(0) - 1, args.bptt):
                data, targets = get_batch(data_source, i)
                if args.model == 'Transformer':
                    output = model(data)
                    output = output.view(-1, ntokens)
                else:
                    output, hidden = model(data, hidden)
                    hidden = repackage_hidden(hidden)
                total_loss += len(data) * criterion(output, targets).item()
        return total_loss / (len(data_source) - 1)
    train_losses = []
    def train():
        model.train()
        total_loss = 0.
        start_time = time.time()
        ntokens = len(corpus.dictionary)
        if args.model != 'Transformer':
            hidden = model.init_hidden(args.batch_size)
        for batch, i in enumerate(range(0, train_data.size(0) - 1, args.bptt)):
            data, targets = get_batch(train_data, i)
            if args.use_optimizer:
                optimizer.zero_grad()
            else:
                model.zero_grad()
            if args.model == 'Transformer':
                output = model(data)
                output = output.view(-1, ntokens)
            else:
                hidden = repackage_hidden(hidden)
                output, hidden = model(data, hidden)
            loss = criterion(output, targets)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            if args.use_optimizer:
                optimizer.step()
            else:
                for p in model.parameters():
                    p.data.add_(p.grad, alpha=-lr)
            total_loss += loss.item()
            train_losses.append(loss.item())
            if batch % args.log_interval == 0 and batch > 0:
                cur_loss = total_loss / args.log_interval
                elapsed = time.time() - start_time
                print_('| epoch {:3d} | {:5d}/{:5d} batches | lr {:02.2f} | ms/batch {:5.2f} | '
                        'loss {:5.2f} | ppl {:8.2f}'.format(
                    epoch, batch, len(train_data) // args.bptt, lr,
                    elapsed * 1000 / args.log_interval, cur_loss, math.exp(cur_loss)))
                total_loss = 0
                start_time = time.time()
            if args.dry_run:
                break
    lr = args.lr
    best_val_loss = None
    val_losses, lrs = [], []
    for epoch in range(1, args.epochs+1):
        epoch_start_time = time.time()
        lrs.append(lr)
        train()
        val_loss = evaluate(val_data)
        val_losses.append(val_loss)
        print_('-' * 89)
        print_('| end of epoch {:3d} | time: {:5.2f}s | valid loss {:5.2f} | '
                'valid ppl {:8.2f}'.format(epoch, (time.time() - epoch_start_time), val_loss, math.exp(val_loss)))
        print_('-' * 89)
        if not best_val_loss or val_loss < best_val_loss:
            with open(args.save + '.py', 'wb') as f:
                torch.save(model, f)
            best_val_loss = val_loss
        else:
            lr /= 4.0
    with open(args.save + '.py', 'rb') as f:
        model = torch.load(f)
        if args.model in ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU']:
            model.rnn.flatten_parameters()
    test_loss = evaluate(test_data)
    print_('=' * 89)
    print_('| End of training | test loss {:5.2f} | test ppl {:8.2f}'.format(test_loss, math.exp(test_loss)))
    print_('=' * 89)
    return model, corpus, dict(train_losses=train_losses, val_losses=val_losses, lrs=lrs, test_loss=test_loss)

def run_generate(model, corpus, words, seed, temperature):
    torch.manual_seed(seed)
    device = torch.device("cpu")
    model.eval()
    ntokens = len(corpus.dictionary)
    is_transformer_model = hasattr(model, 'model_type') and model.model_type == 'Transformer'
    if not is_transformer_model:
        hidden = model.init_hidden(1)
    input = torch.randint(ntokens, (1, 1), dtype=torch.long).to(device)
    out = []
    with torch.no_grad():
        for i in range(words):
            if is_transformer_model:
                output = model(input, False)
                word_weights = output[-1].squeeze().div(temperature).exp().cpu()
                word_idx = torch.multinomial(word_weights, 1)[0]
                word_tensor = torch.Tensor([[word_idx]]).long().to(device)
                input = torch.cat([input, word_tensor], 0)
            else:
                output, hidden = model(input, hidden)
                word_weights = output.squeeze().div(temperature).exp().cpu()
                word_idx = torch.multinomial(word_weights, 1)[0]
                input.fill_(word_idx)
            out.append(corpus.dictionary.idx2word[word_idx])
    return out

def sd_json(sd): return {k: v.reshape(-1).tolist() for k, v in sd.items()}
result = {}
for name, cfg in RUNS.items():
    defaults = dict(model='LSTM', lr=20, clip=0.25, tied=False, seed=1111, nhead=2, dry_run=False, use_optimizer=False)
    args = argparse.Namespace(**{**defaults, **cfg})
    LOG.clear()
    model, corpus, r = run_main(args)
    r['log'] = list(LOG)
    r['repr'] = repr(model)
    r['state_dict'] = sd_json(model.state_dict())
    ours = torch.load(args.save, weights_only=True)
    theirs = model.state_dict()
    r['opened_keys'] = list(ours.keys()) == list(theirs.keys())
    r['opened_max_diff'] = max((ours[k].double() - theirs[k].double()).abs().max().item() for k in theirs)
    r['generated'] = run_generate(model, corpus, 25, 7, 0.8)
    result[name] = r
try:
    RNNModel('LSTMX', 5, 4, 4, 1)
except ValueError as e:
    result['invalid'] = str(e)
try:
    RNNModel('LSTM', 5, 4, 6, 1, tie_weights=True)
except ValueError as e:
    result['tied'] = str(e)
`;

interface PyRun {
  train_losses: number[];
  val_losses: number[];
  lrs: number[];
  test_loss: number;
  log: string[];
  repr: string;
  state_dict: Record<string, number[]>;
  opened_keys: boolean;
  opened_max_diff: number;
  generated: string[];
}

// time-dependent fields of the log lines
const untimed = (lines: string[]) => lines.map((l) => l.replace(/time: +[\d.]+s/, 'time: Ts').replace(/ms\/batch +[\d.]+/, 'ms/batch T'));

const ours: Record<string, { r: Awaited<ReturnType<typeof main>>; log: string[]; generated: string[] }> = {};
let py: Record<string, PyRun> & { invalid: string; tied: string };

beforeAll(async () => {
  for (const [name, cfg] of Object.entries(RUNS)) {
    const log: string[] = [];
    const r = await main({ ...cfg, save: path.join(dir, `${name}.pt`) }, (l) => log.push(l));
    ours[name] = { r, log, generated: generate(r.model, r.corpus, { words: 25, seed: 7, temperature: 0.8 }) };
  }
  const runs = Object.fromEntries(Object.entries(RUNS).map(([n, c]) => [n, { ...c, save: path.join(dir, `${n}.pt`) }]));
  py = runPython(`RUNS = json.loads(${JSON.stringify(JSON.stringify(runs))})\n${PY}`);
}, 600000);

describe.each(Object.keys(RUNS))('%s', (name) => {
  test('every batch loss, validation loss, lr annealing and test loss equal Python\'s', () => {
    const { r } = ours[name];
    const p = py[name];
    expect(r.trainLosses.length).toBe(p.train_losses.length);
    close(r.trainLosses, p.train_losses);
    close(r.valLosses, p.val_losses);
    expect(r.lrs).toEqual(p.lrs);
    close(r.testLoss, p.test_loss);
    expect(untimed(ours[name].log)).toEqual(untimed(p.log));
  });

  test('the best model\'s state_dict equals Python\'s, and Python opens the saved checkpoint', () => {
    const sd = ours[name].r.model.stateDict();
    const p = py[name];
    expect(Object.keys(sd)).toEqual(Object.keys(p.state_dict));
    for (const [k, v] of Object.entries(sd)) close(Array.from(v.reshape(-1).toTypedArray() as Float32Array), p.state_dict[k], 2e-5, k);
    expect(p.opened_keys).toBe(true);
    expect(p.opened_max_diff).toBeLessThan(1e-5);
    expect(String(ours[name].r.model)).toBe(p.repr);
  });

  test('generate.py samples the same words', () => {
    expect(ours[name].generated).toEqual(py[name].generated);
  });
});

test('an unknown --model, and --tied with nhid != emsize, are ValueErrors with Python\'s messages', () => {
  expect(() => new RNNModel('LSTMX', 5, 4, 4, 1)).toThrow(ValueError);
  expect(() => new RNNModel('LSTMX', 5, 4, 4, 1)).toThrow(py.invalid);
  expect(() => new RNNModel('LSTM', 5, 4, 6, 1, 0.5, true)).toThrow(ValueError);
  expect(() => new RNNModel('LSTM', 5, 4, 6, 1, 0.5, true)).toThrow(py.tied);
});
