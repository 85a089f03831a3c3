"""Checks an exported ONNX file with Debian's onnx: the full checker, strict
shape inference, and Plexus's conventions (names, dynamic batch, metadata).

usage: /usr/bin/python3 check_onnx.py MODEL.onnx SUMMARY.json
SUMMARY.json is `plexus summary --json` of the exported model.
"""
import json
import sys

import onnx
from onnx import shape_inference

path, summary = sys.argv[1], json.load(open(sys.argv[2]))
model = onnx.load(path)
onnx.checker.check_model(model, full_check=True)
inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
opset = {o.domain: o.version for o in model.opset_import}
assert opset.get("", 0) >= 13, f"opset {opset}"
(out,) = model.graph.output
assert out.name == "output", out.name
dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
meta = {p.key: p.value for p in model.metadata_props}
if "preprocessor" in summary:  # one (batch, 1) input per raw column, float32 or string
    columns = summary["preprocessor"]["columns"]
    assert [i.name for i in model.graph.input] == [c["name"] for c in columns], [i.name for i in model.graph.input]
    for i, c in zip(model.graph.input, columns):
        want = onnx.TensorProto.STRING if c["type"] == "categorical" else onnx.TensorProto.FLOAT
        assert i.type.tensor_type.elem_type == want and dims(i) == ["batch", 1], (i.name, dims(i))
    assert opset.get("ai.onnx.ml", 0) >= 2 or all(c["type"] == "numeric" for c in columns), opset
    assert [i["name"] for i in json.loads(meta["inputs"])] == [c["name"] for c in columns], meta["inputs"]
    inp = model.graph.input[0]
else:
    (inp,) = model.graph.input
    assert inp.name == "input", inp.name
    assert dims(inp) == ["batch", len(summary["feature_names"])], dims(inp)
outputs = [d for d in dims(inferred.graph.output[0])]
assert outputs[0] == "batch" and outputs[1] == summary.get("outputs", outputs[1]), outputs
assert json.loads(meta["class_names"]) == summary["class_names"], meta
assert "feature_names" in meta and "plexus_version" in meta, meta
print(f"{path}: checker ok, shapes {dims(inp)} -> {outputs}, opset {opset['']}, ir {model.ir_version}, "
      f"ops {sorted({n.op_type for n in model.graph.node})}")
