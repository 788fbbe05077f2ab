#!/usr/bin/env python3
"""Example external trainer for mlgate (pure Python, no numpy).

Contract (docs/external-trainer.md): read MLGATE_TRAIN_INPUT/{train.jsonl, params.json},
write MLGATE_TRAIN_OUTPUT/bundle.json in the mlgate-linear/v1 format. Fits logistic regression
(binary classification) or linear regression (regression) with full-batch gradient descent and
L2, on standardized numeric features and one-hot categories fitted on the training rows only.
"""
import json
import math
import os
import sys


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def fit_transforms(rows, features, categorical):
    out = []
    for name in features:
        if name in categorical:
            out.append({"name": name, "kind": "categorical", "categories": sorted({str(r[name]) for r in rows})})
        else:
            xs = [float(r[name]) for r in rows]
            mean = sum(xs) / len(xs)
            std = math.sqrt(sum((x - mean) ** 2 for x in xs) / len(xs))
            out.append({"name": name, "kind": "numeric", "mean": mean, "std": std if std > 0 else 1.0})
    return out


def vectorize(transforms, row):
    x = []
    for t in transforms:
        if t["kind"] == "numeric":
            x.append((float(row[t["name"]]) - t["mean"]) / t["std"])
        else:
            x.extend(1.0 if str(row[t["name"]]) == c else 0.0 for c in t["categories"])
    return x


def sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def fit(xs, ys, logistic, lr, epochs, l2):
    d = len(xs[0])
    w, b, n = [0.0] * d, 0.0, len(xs)
    for epoch in range(1, epochs + 1):
        grad, gb = [0.0] * d, 0.0
        for x, y in zip(xs, ys):
            z = b + sum(wj * xj for wj, xj in zip(w, x))
            err = (sigmoid(z) if logistic else z) - y
            for j in range(d):
                grad[j] += err * x[j]
            gb += err
        w = [wj - lr * (g / n + l2 * wj) for wj, g in zip(w, grad)]
        b -= lr * gb / n
        if epoch % 50 == 0 or epoch == epochs:
            print(f"epoch {epoch}", flush=True)
    return w, b


def main():
    inp, out = os.environ["MLGATE_TRAIN_INPUT"], os.environ["MLGATE_TRAIN_OUTPUT"]
    with open(os.path.join(inp, "params.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    params = cfg["params"]
    rows = read_jsonl(os.path.join(inp, "train.jsonl"))
    if not rows:
        print("no training rows", file=sys.stderr)
        return 2
    logistic = cfg["task"] == "binary-classification"
    transforms = fit_transforms(rows, cfg["features"], set(cfg["categorical"]))
    xs = [vectorize(transforms, r) for r in rows]
    ys = [(1.0 if str(r[cfg["label"]]) == cfg["positiveLabel"] else 0.0) if logistic else float(r[cfg["label"]]) for r in rows]
    w, b = fit(xs, ys, logistic, float(params.get("learningRate", 0.1)), int(params.get("epochs", 200)), float(params.get("l2", 0.001)))
    bundle = {
        "format": "mlgate-linear/v1",
        "task": cfg["task"],
        "algorithm": "python-logistic-regression" if logistic else "python-linear-regression",
        "features": transforms,
        "weights": w,
        "bias": b,
        "threshold": 0.5,
    }
    if logistic:
        negatives = sorted({str(r[cfg["label"]]) for r in rows} - {cfg["positiveLabel"]})
        bundle["labels"] = {"positive": cfg["positiveLabel"], "negative": negatives[0] if negatives else "0"}
    with open(os.path.join(out, "bundle.json"), "w", encoding="utf-8") as f:
        json.dump(bundle, f)
    print(f"wrote bundle with {len(w)} weights", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
