#!/usr/bin/env python3
"""scikit-learn trainer for mlgate, exported to ONNX with skl2onnx (external trainer contract v2).

A Pipeline: a ColumnTransformer that scales the numeric columns and one-hot encodes the categorical
ones, then a GradientBoostingClassifier (params.nEstimators trees, 100 by default), seeded so the
same input gives the same model.onnx bytes, hence the same artifact id. The ONNX graph takes one
tensor per column: float32 [N, 1] for numbers, string [N, 1] for categories.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
import skl2onnx  # noqa: E402
from skl2onnx import to_onnx  # noqa: E402
from skl2onnx.common.data_types import FloatTensorType, StringTensorType  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import GradientBoostingClassifier  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402

from mlgate_onnx import canonical_bytes, feature_entries, labels_of, read_input, write_output  # noqa: E402

OPSET = 17


def frame(rows, numeric, categorical):
    cols = {c: np.array([float(r[c]) for r in rows], dtype=np.float32) for c in numeric}
    cols.update({c: np.array([str(r[c]) for r in rows], dtype=object) for c in categorical})
    return pd.DataFrame(cols)


def main():
    params, train, test = read_input()
    p = params["params"]
    categorical = [f for f in params["features"] if f in params["categorical"]]
    numeric = [f for f in params["features"] if f not in categorical]
    y, positive = labels_of(train, params)
    model = Pipeline([
        ("prep", ColumnTransformer([("num", StandardScaler(), numeric), ("cat", OneHotEncoder(handle_unknown="ignore"), categorical)])),
        ("gb", GradientBoostingClassifier(n_estimators=int(p.get("nEstimators", 100)), max_depth=int(p.get("maxDepth", 3)),
                                          learning_rate=float(p.get("learningRate", 0.1)), random_state=params["seed"])),
    ])
    x_train = frame(train, numeric, categorical)
    model.fit(x_train, np.array(y))
    print(f"fitted {model.named_steps['gb'].n_estimators_} trees on {len(train)} rows", flush=True)
    initial = [(c, FloatTensorType([None, 1])) for c in numeric] + [(c, StringTensorType([None, 1])) for c in categorical]
    onx = to_onnx(model, initial_types=initial, options={id(model): {"zipmap": False}}, target_opset=OPSET)
    x_test = frame(test, numeric, categorical)
    proba = model.predict_proba(x_test)[:, 1]
    predicted = model.predict(x_test)
    negative = "0" if positive != "0" else "1"
    manifest = {
        "format": "onnx/v1",
        "task": "binary-classification",
        "algorithm": "sklearn-gradient-boosting",
        "features": feature_entries(train, params),
        "inputs": {"kind": "per-column", "tensors": [{"name": c, "feature": c, "type": "float32"} for c in numeric]
                   + [{"name": c, "feature": c, "type": "string"} for c in categorical]},
        "outputs": {"label": "label", "probabilities": "probabilities"},
        # The classes the label tensor and the probability columns are in: 0 = negative, 1 = positive.
        "labels": [negative, positive],
        "threshold": 0.5,
        "producer": {"framework": "scikit-learn", "frameworkVersion": sklearn.__version__, "converter": "skl2onnx",
                     "converterVersion": skl2onnx.__version__, "opset": OPSET},
    }
    write_output(canonical_bytes(onx), manifest, proba, [positive if v == 1 else negative for v in predicted])


if __name__ == "__main__":
    main()
