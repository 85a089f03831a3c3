#!/usr/bin/python3
"""Writes scikit-learn's wine data set as wine.csv for Plexus's tests.

Source: the UCI Wine data (Forina et al.; Aeberhard, Coomans and de Vel, 1992),
as bundled with scikit-learn (BSD-3-Clause; sklearn/datasets/data/wine_data.csv).
178 wines from three cultivars, 13 chemical measurements, target 'cultivar'
(class_0, class_1, class_2). Run offline: /usr/bin/python3 make_wine.py
"""
from sklearn.datasets import load_wine

d = load_wine()
with open("wine.csv", "w") as f:
    f.write(",".join(list(d.feature_names) + ["cultivar"]) + "\n")
    for row, y in zip(d.data, d.target):
        f.write(",".join(("%.4f" % v).rstrip("0").rstrip(".") for v in row) + ",class_%d\n" % y)
