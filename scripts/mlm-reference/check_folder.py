"""
Loads a folder `agnews pretrain` wrote into transformers' *ForMaskedLM and fails when a weight of
the model is missing from it (a head or encoder tensor saved under the wrong name); by hand:

  PY=$(../shared/bench/torch-env.sh)
  $PY scripts/mlm-reference/check_folder.py OUT

The encoder's pooler, which BERT checkpoints carry for fine-tuning, is reported as unused.
"""

import sys

import torch
from transformers import AutoModelForMaskedLM, AutoTokenizer

folder = sys.argv[1]
model, info = AutoModelForMaskedLM.from_pretrained(folder, output_loading_info=True)
if info["missing_keys"]:
    sys.exit(f"{folder}: missing from model.safetensors: {sorted(info['missing_keys'])}")
tok = AutoTokenizer.from_pretrained(folder)
enc = tok([f"Stocks slide as oil {tok.mask_token} on supply worries"], return_tensors="pt")
model.eval()
with torch.no_grad():
    logits = model(**enc).logits
at = int((enc["input_ids"][0] == tok.mask_token_id).nonzero()[0])
top = logits[0, at].topk(5).indices.tolist()
print(type(model).__name__, "unused:", sorted(info["unexpected_keys"]), "top-5 for the mask:", tok.convert_ids_to_tokens(top))
