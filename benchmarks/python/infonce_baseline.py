#!/usr/bin/env python3
"""PyTorch baseline for InMemoryTrainingBenchmark: same model, loss, batch and optimiser.

784-256-128 MLP backbone, 128-128-64 projection head (SimCLR), two-view InfoNCE / NT-Xent (tau 0.2),
batch 512, Adam lr 1e-3, random uniform pixels (4 pre-generated batches, cycled). Prints one JSON line
and torch.__config__.show() (BLAS / threading build information) to stderr. cpuPerWall is the process's CPU
time (all threads) over the timed loop's wall time: torch.set_num_threads does not bound the threads of an external
BLAS (a system OpenBLAS starts one per core unless OPENBLAS_NUM_THREADS or OMP_NUM_THREADS says otherwise), so a
value well above 1 means the matrix products used more than one core.

Usage: /usr/bin/python3 benchmarks/python/infonce_baseline.py [warmup] [steps] [threads]
(threads: torch.set_num_threads; default leaves PyTorch's own choice, which reports 1 on this machine)
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def info_nce(z, views, temperature):
    z = F.normalize(z, dim=1)
    rows = z.shape[0]
    n = rows // views
    sim = z @ z.t() / temperature
    self_mask = torch.eye(rows, dtype=torch.bool)
    ids = torch.arange(rows) % n
    positives = (ids[:, None] == ids[None, :]) & ~self_mask
    logits = sim.masked_fill(self_mask, float("-inf"))
    log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    return -(log_prob.masked_fill(~positives, 0).sum(1) / positives.sum(1)).mean()


def main():
    warmup = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    if len(sys.argv) > 3:
        torch.set_num_threads(int(sys.argv[3]))
    batch, views = 512, 2
    torch.manual_seed(42)
    model = nn.Sequential(
        nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128),  # backbone
        nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 64))  # projection head
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = [torch.rand(views * batch, 1, 28, 28) for _ in range(4)]

    def step(x):
        optimizer.zero_grad(set_to_none=True)
        loss = info_nce(model(x), views, 0.2)
        loss.backward()
        optimizer.step()
        return loss.item()

    for i in range(warmup):
        step(batches[i % len(batches)])
    start = time.perf_counter()
    cpu_start = time.process_time()  # every thread of the process (torch's BLAS may run its own threads)
    loss = float("nan")
    for i in range(steps):
        loss = step(batches[i % len(batches)])
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    print(torch.__config__.show(), file=sys.stderr)
    print(json.dumps({
        "impl": "pytorch-" + torch.__version__, "device": "cpu", "threads": torch.get_num_threads(),
        "model": "mlp-784-256-128+head-128-64", "loss": "infonce-2view", "batch": batch, "views": views,
        "warmupSteps": warmup, "steps": steps, "seconds": round(seconds, 3),
        "stepsPerSecond": round(steps / seconds, 3), "samplesPerSecond": round(steps * batch / seconds, 1),
        "viewsPerSecond": round(steps * batch * views / seconds, 1), "lastLoss": round(loss, 4),
        "processCpuSeconds": round(cpu_seconds, 3), "cpuPerWall": round(cpu_seconds / seconds, 2)}))


if __name__ == "__main__":
    main()
