#!/usr/bin/python3
"""The done-when check of issue 19: scikit-learn's ColumnTransformer(SimpleImputer
+ StandardScaler on numbers, SimpleImputer + OneHotEncoder on text) +
MLPClassifier with the same hidden layers, trained on the rows Plexus trained
on (all but its held-out test rows, from report.json) and scored on the same
test rows. Exits 77 (skipped) without scikit-learn, 1 if Plexus's test accuracy
is more than TOLERANCE away from scikit-learn's.

    /usr/bin/python3 sklearn_compare.py TABLE.csv RUN/report.json
"""
import csv
import json
import sys

TOLERANCE = 0.02

try:
    import numpy as np
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
except ImportError as e:
    print(f"skipped: {e} (install python3-sklearn)")
    sys.exit(77)

MISSING = {"", "NA", "NaN", "?"}


def main():
    table, report_path = sys.argv[1], sys.argv[2]
    report = json.load(open(report_path))
    with open(table) as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    target = report["data"]["target"]
    columns = [c for c in report["columns"] if c["type"] != "target"]
    numeric = [c["name"] for c in columns if c["type"] == "numeric"]
    categorical = [c["name"] for c in columns if c["type"] == "categorical"]
    idx = {name: header.index(name) for name in header}

    def cell(r, name, number):
        v = r[idx[name]]
        if v in MISSING:
            return np.nan
        return float(v) if number else v

    x_num = np.array([[cell(r, n, True) for n in numeric] for r in rows], dtype=float)
    x_cat = np.array([[cell(r, n, False) for n in categorical] for r in rows], dtype=object)
    x = np.concatenate([x_num.astype(object), x_cat], axis=1)
    y = np.array([r[idx[target]] for r in rows])
    test = np.zeros(len(rows), dtype=bool)
    test[report["test"]["row_indices"]] = True
    k = len(numeric)
    pre = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), list(range(k))),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
         list(range(k, k + len(categorical)))),
    ])
    hidden = tuple(int(w) for w in report["config"]["model"]["layers"].split(","))
    model = make_pipeline(pre, MLPClassifier(hidden_layer_sizes=hidden, activation=report["config"]["model"]["activation"],
                                             max_iter=300, random_state=0))
    model.fit(x[~test], y[~test])
    sk = float((model.predict(x[test]) == y[test]).mean())
    px = report["test"]["evaluation"]["metrics"]["accuracy"]
    print(f"held-out accuracy on {int(test.sum())} rows: plexus {px:.4f}, scikit-learn {sk:.4f}, difference {px - sk:+.4f}")
    sys.exit(0 if abs(px - sk) <= TOLERANCE else 1)


if __name__ == "__main__":
    main()
