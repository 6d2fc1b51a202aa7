"""
Makes the MLM parity fixtures the TypeScript tests compare against (not run by CI):

  PY=$(../shared/bench/torch-env.sh)
  $PY scripts/mlm-reference/make_reference.py

For each tiny checkpoint in ../shared/models (BERT, DistilBERT, RoBERTa; all *ForSequenceClassification,
so without an MLM head), it loads the encoder into *ForMaskedLM with dropout 0, draws the head
from a fixed torch seed (transformers' init, plus a non-zero decoder bias so the test also checks
the bias is applied), masks 8 AG News train texts with DataCollatorForLanguageModeling (15%,
80/10/10, seeded) and writes:

  head.safetensors  the head's own tensors (the decoder weight is tied to the word embeddings)
  reference.json    the batch (ids before and after masking, labels with -100, attention mask),
                    the optimizer, and the MLM loss before each of 3 torch AdamW steps
"""

import csv
import json
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import AutoConfig, AutoModelForMaskedLM, AutoTokenizer, DataCollatorForLanguageModeling

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(ROOT, "..", "shared", "models")
DATA = os.path.join(ROOT, "..", "shared", "data", "ag_news", "train.csv")
OUT = os.path.join(ROOT, "src", "core", "models", "pretrained", "mlm", "test-fixtures")

# The head's own tensors by model type (tied decoder weights are not listed).
HEADS = {
    "bert": ["cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
             "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias",
             "cls.predictions.bias"],
    "distilbert": ["vocab_transform.weight", "vocab_transform.bias", "vocab_layer_norm.weight",
                   "vocab_layer_norm.bias", "vocab_projector.bias"],
    "roberta": ["lm_head.dense.weight", "lm_head.dense.bias", "lm_head.layer_norm.weight",
                "lm_head.layer_norm.bias", "lm_head.bias"],
}
BIAS = {"bert": "cls.predictions.bias", "distilbert": "vocab_projector.bias", "roberta": "lm_head.bias"}

LR = 3e-3
WEIGHT_DECAY = 0.1
STEPS = 3
MAX_LENGTH = 32


def texts(n):
    with open(DATA, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))[:n]
    return [f"{r[1]} {r[2]}" for r in rows]


def no_dropout(config):
    for k in list(config.to_dict()):
        if k.endswith("dropout") or k.endswith("dropout_prob"):
            setattr(config, k, 0.0)
    return config


def make(name):
    folder = os.path.join(MODELS, name)
    config = no_dropout(AutoConfig.from_pretrained(folder))
    config.architectures = None
    torch.manual_seed(0)
    model = AutoModelForMaskedLM.from_pretrained(folder, config=config)
    kind = config.model_type
    params = dict(model.named_parameters())
    with torch.no_grad():
        params[BIAS[kind]].copy_(torch.randn(config.vocab_size, generator=torch.Generator().manual_seed(1)) * 0.02)
    head = {n: params[n].detach().clone().contiguous() for n in HEADS[kind]}

    tok = AutoTokenizer.from_pretrained(folder)
    batch_texts = texts(8)
    enc = tok(batch_texts, truncation=True, max_length=MAX_LENGTH, padding=True, return_tensors="pt")
    collator = DataCollatorForLanguageModeling(tok, mlm_probability=0.15, seed=7, return_tensors="pt")
    masked = collator([{"input_ids": ids, "attention_mask": m} for ids, m in zip(enc["input_ids"], enc["attention_mask"])])
    inputs, labels = masked["input_ids"], masked["labels"]

    model.train()  # dropout is 0: train mode only matters for parity of the code path
    decay = [p for n, p in model.named_parameters() if not (n.endswith(".bias") or "LayerNorm" in n or "layer_norm" in n)]
    rest = [p for n, p in model.named_parameters() if n.endswith(".bias") or "LayerNorm" in n or "layer_norm" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": rest, "weight_decay": 0.0}], lr=LR, betas=(0.9, 0.999), eps=1e-8)
    losses = []
    for _ in range(STEPS + 1):
        out = model(input_ids=inputs, attention_mask=enc["attention_mask"], labels=labels)
        losses.append(out.loss.item())
        if len(losses) > STEPS:
            break
        opt.zero_grad()
        out.loss.backward()
        opt.step()

    dest = os.path.join(OUT, name)
    os.makedirs(dest, exist_ok=True)
    save_file(head, os.path.join(dest, "head.safetensors"))
    ref = {
        "model": name,
        "texts": batch_texts,
        "max_length": MAX_LENGTH,
        "input_ids": enc["input_ids"].tolist(),
        "attention_mask": enc["attention_mask"].tolist(),
        "masked_input_ids": inputs.tolist(),
        "labels": labels.tolist(),
        "mask_token_id": tok.mask_token_id,
        "optimizer": {"name": "AdamW (torch)", "lr": LR, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": WEIGHT_DECAY,
                      "no_decay": "biases and LayerNorm weights", "schedule": "constant"},
        "dropout": 0.0,
        "losses": losses,
        "head": HEADS[kind],
    }
    with open(os.path.join(dest, "reference.json"), "w") as f:
        json.dump(ref, f)
    print(name, "masked", int((labels != -100).sum()), "losses", losses, file=sys.stderr)


if __name__ == "__main__":
    for name in sys.argv[1:] or ["tiny-bert", "tiny-distilbert", "tiny-roberta"]:
        make(name)
