#!/usr/bin/python3
"""Writes the diabetes regression data set as CSV files for Plexus's tests.

Source: scikit-learn's bundled copy of the diabetes data of Efron, Hastie,
Johnstone and Tibshirani, "Least Angle Regression", Annals of Statistics 32(2),
2004 (https://www4.stat.ncsu.edu/~boos/var.select/diabetes.html). scikit-learn
is BSD-3-Clause licensed; the data ships with it (sklearn/datasets/data/).
442 patients, 10 baseline variables in their original units (scaled=False:
age in years, sex coded 1/2, BMI, blood pressure, six blood serum
measurements) and the target: a measure of disease progression one year later
(25 to 346).

Rows i with i % 5 == 0 go to diabetes_test.csv (89 rows), the others to
diabetes_train.csv (353 rows). Run offline: /usr/bin/python3 make_diabetes.py
"""
from sklearn.datasets import load_diabetes

d = load_diabetes(scaled=False)
names = list(d.feature_names) + ["progression"]
def fmt(v):
    return ("%.4f" % v).rstrip("0").rstrip(".")
with open("diabetes_train.csv", "w") as train, open("diabetes_test.csv", "w") as test:
    for f in (train, test):
        f.write(",".join(names) + "\n")
    for i, (row, y) in enumerate(zip(d.data, d.target)):
        (test if i % 5 == 0 else train).write(",".join(fmt(v) for v in list(row) + [y]) + "\n")
