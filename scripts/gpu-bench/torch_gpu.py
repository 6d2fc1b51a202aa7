#!/usr/bin/env python3
"""The GPU peer of driver.ts: PyTorch fine-tuning and inference throughput of the same shapes,
batches and lengths on the GPU, in strict fp32 (TF32 off, as WebGPU has no TF32), one JSON line
per case. Like ../shared/bench/peers_torch_finetune.py (which runs on the CPU only): random
weights from config.json, AdamW, random token ids. FLOPs are counted as src/core/models/pretrained/encoder-flops.ts
counts them (matrix products only; a training step is three forward passes).
Usage: torch_gpu.py SHAPES_DIR [--steps 10] [--budget-s 90] [--peak-tflops 67] [--quick]"""
import argparse, json, sys, time
import torch
from transformers import AutoConfig, AutoModelForSequenceClassification

ap = argparse.ArgumentParser(); ap.add_argument('shapes')
ap.add_argument('--steps', type=int, default=10); ap.add_argument('--budget-s', type=float, default=90)
ap.add_argument('--peak-tflops', type=float, default=67.0); ap.add_argument('--quick', action='store_true')
a = ap.parse_args()
dev = 'cuda' if torch.cuda.is_available() else 'cpu'
torch.backends.cuda.matmul.allow_tf32 = False; torch.backends.cudnn.allow_tf32 = False
torch.set_float32_matmul_precision('highest'); torch.manual_seed(0)
start = time.perf_counter()
print(json.dumps({"bench": "gpu-peer-device", "torch": torch.__version__, "device": torch.cuda.get_device_name(0) if dev == 'cuda' else 'cpu',
                  "tf32": False, "peak_fp32_tflops": a.peak_tflops}), flush=True)

def flops(cfg, batch, length, mode):
    h, i, n = cfg.hidden_size, cfg.intermediate_size, cfg.num_hidden_layers
    linear = 2 * n * (4 * h * h + 2 * h * i) * batch * length
    attention = n * batch * 2 * (2 * length * length * h)
    head = 2 * batch * (h * h + h * cfg.num_labels)
    return (3 if mode == 'train' else 1) * (linear + attention + head)

def rate(fn, batch):
    for _ in range(3): fn()
    if dev == 'cuda': torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(a.steps): fn()
    if dev == 'cuda': torch.cuda.synchronize()
    return batch * a.steps / (time.perf_counter() - t)

cases = [('minilm-l6-h384', 2, 16)] if a.quick else [('minilm-l6-h384', b, l) for l in (64, 128) for b in (16, 32, 64)] + [('bert-base', b, 128) for b in (16, 32, 64)]
models = {}
for shape, batch, length in cases:
    if time.perf_counter() - start > a.budget_s:
        print(json.dumps({"bench": "gpu-peer", "shape": shape, "batch": batch, "length": length, "skipped": f"time budget of {a.budget_s} s spent"}), flush=True); continue
    try:
        if shape not in models:
            cfg = AutoConfig.from_pretrained(f'{a.shapes}/{shape}', num_labels=4)
            m = AutoModelForSequenceClassification.from_config(cfg).to(dev)
            models[shape] = (cfg, m, torch.optim.AdamW(m.parameters(), lr=2e-5))
        cfg, m, opt = models[shape]
        ids = torch.randint(5, cfg.vocab_size, (batch, length), device=dev); mask = torch.ones_like(ids); y = torch.randint(0, 4, (batch,), device=dev)
        def train():
            out = m(input_ids=ids, attention_mask=mask, labels=y); opt.zero_grad(); out.loss.backward(); opt.step()
        def infer():
            with torch.no_grad(): m(input_ids=ids, attention_mask=mask)
        m.train(); tr = rate(train, batch)
        m.eval(); inf = rate(infer, batch)
        for mode, eps in (('train', tr), ('infer', inf)):
            fps = flops(cfg, batch, length, mode) / batch * eps
            print(json.dumps({"bench": "gpu-peer", "model": "torch_" + cfg.model_type, "shape": shape, "batch": batch, "length": length, "mode": mode,
                              "steps": a.steps, "examples_per_s": round(eps, 1), "tflops": round(fps / 1e12, 3),
                              "fraction_of_peak": round(fps / (a.peak_tflops * 1e12), 4)}), flush=True)
    except Exception as e:  # one failed case (out of memory, say) must not hide the others
        print(json.dumps({"bench": "gpu-peer", "shape": shape, "batch": batch, "length": length, "error": str(e).splitlines()[0][:300]}), flush=True)
sys.exit(0)
