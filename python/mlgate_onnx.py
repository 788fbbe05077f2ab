"""Shared by the example ONNX trainers: the external trainer contract v2 (docs/external-trainer.md).

A trainer reads MLGATE_TRAIN_INPUT/{train.jsonl,test.jsonl,params.json} and writes, to
MLGATE_TRAIN_OUTPUT, `model.onnx`, the `bundle.json` manifest (format onnx/v1) and
`test-predictions.jsonl`: its own framework's scores on test.jsonl, which mlgate compares row by
row with onnxruntime's (the training-serving parity check).
"""
import hashlib
import json
import os
import platform


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_input():
    src = os.environ["MLGATE_TRAIN_INPUT"]
    params = json.load(open(os.path.join(src, "params.json"), encoding="utf-8"))
    return params, read_jsonl(os.path.join(src, "train.jsonl")), read_jsonl(os.path.join(src, "test.jsonl"))


def labels_of(rows, params):
    """0/1 targets: 1 where the label equals the spec's positive label."""
    positive = str(params.get("positiveLabel") or "1")
    return [1 if str(r[params["label"]]) == positive else 0 for r in rows], positive


def feature_entries(rows, params):
    """The manifest's features: numeric ones with the training mean (the fill for a missing value)."""
    out = []
    for name in params["features"]:
        if name in params["categorical"]:
            out.append({"name": name, "kind": "categorical", "categories": sorted({str(r[name]) for r in rows})})
        else:
            xs = [float(r[name]) for r in rows]
            out.append({"name": name, "kind": "numeric", "fill": sum(xs) / len(xs)})
    return out


def canonical_bytes(model):
    """The ModelProto's bytes with its opset imports in a fixed order. Converters fill them from a
    Python set, whose order changes with the process's hash seed: without this, the same model
    would serialize differently from run to run, and get a different artifact id."""
    ordered = sorted(model.opset_import, key=lambda o: (o.domain, o.version))
    del model.opset_import[:]
    model.opset_import.extend(ordered)
    return model.SerializeToString()


def write_output(onnx_bytes, manifest, test_scores, test_labels):
    """Writes model.onnx, bundle.json (with the model's sha256 and size) and test-predictions.jsonl."""
    out = os.environ["MLGATE_TRAIN_OUTPUT"]
    with open(os.path.join(out, "model.onnx"), "wb") as f:
        f.write(onnx_bytes)
    manifest = dict(manifest)
    manifest["model"] = {"file": "model.onnx", "sha256": hashlib.sha256(onnx_bytes).hexdigest(), "bytes": len(onnx_bytes)}
    manifest["producer"] = dict(manifest["producer"], python=platform.python_version())
    with open(os.path.join(out, "bundle.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
    with open(os.path.join(out, "test-predictions.jsonl"), "w", encoding="utf-8") as f:
        for score, label in zip(test_scores, test_labels):
            f.write(json.dumps({"score": float(score), "label": str(label)}) + "\n")
