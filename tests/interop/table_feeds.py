"""The inputs of an ONNX model exported with a Preprocessor, from raw CSV rows, as
docs/interop.md tells a user to make them: one (rows, 1) tensor per column named
in metadata_props "inputs"; a numeric cell is float32 (NaN when the cell is one of
"missing_spellings"), a categorical cell is its text.

usage: /usr/bin/python3 table_feeds.py MODEL.onnx DATA.csv OUT.json
OUT.json: {"columns": [{"name", "dtype": "float32"|"string", "values": [...]}]}
(NaN written as null).
"""
import csv
import json
import sys

import onnx

model_path, data_path, out_path = sys.argv[1:4]
meta = {p.key: p.value for p in onnx.load(model_path).metadata_props}
inputs, missing = json.loads(meta["inputs"]), set(json.loads(meta["missing_spellings"]))
names = [i.name for i in onnx.load(model_path).graph.input]
assert names == [i["name"] for i in inputs], (names, inputs)
rows = list(csv.DictReader(open(data_path, newline="")))
columns = []
for i in inputs:
    cells = [r[i["name"]] for r in rows]
    if i["dtype"] == "string":
        values = cells
    else:
        values = [None if c in missing else float(c) for c in cells]
    columns.append({"name": i["name"], "dtype": i["dtype"], "values": values})
json.dump({"columns": columns}, open(out_path, "w"))
