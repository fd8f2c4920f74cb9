# One Python rank of a torch.distributed test world: joins the gloo group through the TCPStore at
# 127.0.0.1:port (served by rank 0, Node or Python), runs a program of distributed_programs.py and
# writes what it returns as JSON. Usage: distributed_oracle.py PROGRAM RANK WORLD PORT ARGS_JSON OUT
# (PROGRAM: a function of distributed_programs.py, or module.function for another module here)
import json
import os
import sys
from datetime import timedelta

import torch
import torch.distributed as dist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib  # noqa: E402

program, rank, world, port, args, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), json.loads(sys.argv[5]), sys.argv[6]
torch.set_num_threads(1)
store = dist.TCPStore('127.0.0.1', port, world, rank == 0, timedelta(seconds=60), wait_for_workers=False)
dist.init_process_group('gloo', store=store, rank=rank, world_size=world, timeout=timedelta(seconds=60))
module, _, function = program.rpartition('.')
result = getattr(importlib.import_module(module or 'distributed_programs'), function)(rank, world, **args)
with open(out + '.tmp', 'w') as f:
    json.dump(result, f)
os.rename(out + '.tmp', out)
# Leave without tearing down: PyTorch 1.13's gloo ranks now and then abort in their destructors
# under load ("terminate called without an active exception"), in Python-only worlds too.
os._exit(0)
