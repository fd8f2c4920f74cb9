# One Python rank kept for a whole test file (test/helpers/distributed-session.ts): joins the
# TCPStore the Node test process serves at 127.0.0.1:PORT, then runs the programs Node posts under
# cmd/0, cmd/1, ... one after another, each in a fresh default gloo group (its store: the prefix
# case<i>/), and posts what each returns under result/<i>/<rank>. torch is imported once, not once
# per test. Usage: distributed_session.py RANK PORT
import importlib
import json
import os
import sys
import traceback
from datetime import timedelta

import torch
import torch.distributed as dist
from torch.distributed import distributed_c10d as c10d

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

rank, port = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(1)
store = dist.TCPStore('127.0.0.1', port, None, False, timedelta(seconds=60), wait_for_workers=False)
# Finished groups are kept, never destroyed: PyTorch 1.13's gloo groups now and then abort in their
# destructors under load ("terminate called without an active exception").
finished = []


def next_command(key):
    while True:
        try:
            store.wait([key], timedelta(seconds=300))
            return json.loads(store.get(key))
        except RuntimeError as e:
            if 'timeout' not in str(e).lower():  # the Node side is gone
                os._exit(1)


def run(case, program, world, args):
    dist.init_process_group('gloo', store=dist.PrefixStore(f'case{case}', store), rank=rank, world_size=world,
                            timeout=timedelta(seconds=60))
    try:
        module, _, function = program.rpartition('.')
        return getattr(importlib.import_module(module or 'distributed_programs'), function)(rank, world, **args)
    finally:
        finished.extend(c10d._pg_map.keys())
        dist.destroy_process_group()


case = 0
while True:
    command = next_command(f'cmd/{case}')
    if command is None:
        break
    if rank < command['world']:
        try:
            reply = {'ok': run(case, command['program'], command['world'], command['args'])}
        except BaseException:  # noqa: B902 -- the program's failure goes to the test
            reply = {'error': traceback.format_exc()}
        store.set(f'result/{case}/{rank}', json.dumps(reply))
    case += 1
# Leave without tearing down (see `finished`).
os._exit(0)
