#!/usr/bin/env python3
"""XGBoost trainer for mlgate, exported to ONNX with onnxmltools (external trainer contract v2).

XGBoost takes one float matrix, so the ONNX graph has a single float32 input [N, columns]: the
numeric features as they are, then region one-hot, in the column order the manifest states. Seeded
and single-threaded, so the same input gives the same model.onnx bytes. XGBoost splits on float32
values, exactly as onnxruntime's tree ensemble compares them, so its scores match to float precision.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))

import xgboost  # noqa: E402
import numpy as np  # noqa: E402
import onnxmltools  # noqa: E402
from onnxmltools.convert.common.data_types import FloatTensorType  # noqa: E402

from mlgate_onnx import feature_entries, labels_of, read_input, write_classifier  # noqa: E402

OPSET = 15


def columns_of(features):
    cols = []
    for f in features:
        if f["kind"] == "numeric":
            cols.append({"feature": f["name"]})
        else:
            cols.extend({"feature": f["name"], "equals": c} for c in f["categories"])
    return cols


def matrix(rows, cols):
    return np.array([[float(r[c["feature"]]) if "equals" not in c else (1.0 if str(r[c["feature"]]) == c["equals"] else 0.0)
                      for c in cols] for r in rows], dtype=np.float32)


def main():
    params, train, test = read_input()
    p = params["params"]
    features = feature_entries(train, params)
    cols = columns_of(features)
    y, positive = labels_of(train, params)
    model = xgboost.XGBClassifier(n_estimators=int(p.get("nEstimators", 100)), max_depth=int(p.get("maxDepth", 4)),
                                  learning_rate=float(p.get("learningRate", 0.1)), random_state=params["seed"],
                                  tree_method="hist", n_jobs=1)
    model.fit(matrix(train, cols), np.array(y))
    print(f"fitted {model.n_estimators} boosting rounds on {len(train)} rows, {len(cols)} columns", flush=True)
    onx = onnxmltools.convert_xgboost(model, initial_types=[("input", FloatTensorType([None, len(cols)]))], target_opset=OPSET)
    x_test = matrix(test, cols)
    proba = model.predict_proba(x_test)[:, 1]
    predicted = model.predict(x_test)
    write_classifier(
        onx, algorithm="xgboost-gbtree", features=features, positive=positive,
        inputs={"kind": "single-tensor", "name": "input", "columns": cols},
        producer={"framework": "xgboost", "frameworkVersion": xgboost.__version__, "converter": "onnxmltools",
                  "converterVersion": onnxmltools.__version__, "opset": OPSET},
        proba=proba, predicted=predicted,
    )

if __name__ == "__main__":
    main()
