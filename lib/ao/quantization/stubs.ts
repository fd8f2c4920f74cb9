// torch.ao.quantization.QuantStub / DeQuantStub / QuantWrapper (stubs.py): identity placeholders
// marking where a float model's tensors enter and leave the quantized region; convert swaps them
// for nn.quantized.Quantize / DeQuantize.
import { Tensor } from '../../tensor/tensor';
import { Module } from '../../nn/module';
import { ArgsOf, signature } from '../../keywords';
import { setPyModule } from './partial';
import type { QConfig } from './qconfig';

const STUB = signature<{ qconfig?: QConfig | null }>()([], ['qconfig']);

export class QuantStub extends Module {
  declare qconfig?: QConfig | null;

  /** QuantStub(qconfig = null): the qconfig, when given, is this stub's own. */
  constructor(...args: ArgsOf<typeof STUB>) {
    super();
    const { qconfig } = STUB.bind('QuantStub', args);
    if (qconfig) this.qconfig = qconfig;
  }

  forward(x: Tensor): Tensor {
    return x;
  }
}

export class DeQuantStub extends Module {
  declare qconfig?: QConfig | null;

  /** DeQuantStub(qconfig = null) */
  constructor(...args: ArgsOf<typeof STUB>) {
    super();
    const { qconfig } = STUB.bind('DeQuantStub', args);
    if (qconfig) this.qconfig = qconfig;
  }

  forward(x: Tensor): Tensor {
    return x;
  }
}

const WRAPPER = signature<{ module: Module }>()(['module'], []);

/** QuantWrapper(module): quant -> module -> dequant, with the module's qconfig on both stubs. */
export class QuantWrapper extends Module {
  quant: QuantStub;
  dequant: DeQuantStub;
  module: Module;

  constructor(...args: ArgsOf<typeof WRAPPER>) {
    super();
    const { module } = WRAPPER.bind('QuantWrapper', args);
    const qconfig = (module as unknown as { qconfig?: QConfig | null }).qconfig ?? null;
    this.quant = new QuantStub(qconfig);
    this.dequant = new DeQuantStub(qconfig);
    this.module = module;
    this.train(module.training);
  }

  forward(x: Tensor): Tensor {
    return this.dequant(this.module(this.quant(x)) as Tensor);
  }
}

for (const cls of [QuantStub, DeQuantStub, QuantWrapper]) setPyModule(cls, 'torch.ao.quantization.stubs');
