"""Loads each adapter export-adapters.ts wrote with Python's PEFT (PeftModel.from_pretrained on
the same base) and compares its probabilities with the run's. Prints one JSON line per adapter."""
import json
import pathlib
import sys

import torch
from peft import PeftModel
from transformers import AutoModelForSequenceClassification, AutoTokenizer

worst = 0.0
for d in sorted(p for p in pathlib.Path(sys.argv[1]).iterdir() if p.is_dir()):
    exp = json.loads((d / "expected.json").read_text())
    base = AutoModelForSequenceClassification.from_pretrained(exp["base"])
    model = PeftModel.from_pretrained(base, str(d)).eval()
    tok = AutoTokenizer.from_pretrained(exp["base"])
    enc = tok(exp["texts"], padding=True, truncation=True, max_length=32, return_tensors="pt")
    with torch.no_grad():
        probs = torch.softmax(model(**enc).logits, -1)
    diff = (probs - torch.tensor(exp["probs"])).abs().max().item()
    worst = max(worst, diff)
    cfg = json.loads((d / "adapter_config.json").read_text())
    print(json.dumps({"adapter": d.name, "peft_type": cfg["peft_type"], "maxAbsDiffProbs": diff}))
print(json.dumps({"worstMaxAbsDiffProbs": worst, "ok": worst < 1e-4}))
sys.exit(0 if worst < 1e-4 else 1)
