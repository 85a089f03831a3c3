#!/usr/bin/python3
"""The torch peer of the tabular workload (issue 11; BENCHMARKS.md): the same run as

    plexus train --data X.npy --labels y.npy --layers 300,300,300 --activation relu \\
        --output softmax --optimizer adam --batch-size 512 --epochs 1 --out RUN

i.e. load the NPY files, hold out the validation rows (plexus train's default
--validation-split 0.2), train a 28-300-300-300-2 ReLU network with softmax
cross-entropy and Adam (lr 0.001, Keras's default as in Plexus) on shuffled
batches of 512, evaluate loss and accuracy on the training and validation rows
(plexus train's `final`: at most --final-train-rows training rows, a random sample
when there are more, as plexus train's default of 20000; 0 = all of them), and
save the model. float32 throughout; the best
settings measured for this machine size: torch.set_num_threads(2) (--threads),
inference_mode for evaluation, batches gathered by index from the loaded arrays.

Prints one JSON line: phase times (import, load, train, evaluate, save, total
since the script started), samples/s, final metrics and peak RSS (bytes, from
getrusage), and the BLAS libraries torch loaded (Debian's torch uses the system
libblas.so.3: check that it is OpenBLAS, not the reference BLAS). X.npy/y.npy
from bench/make_tabular.py.

    /usr/bin/python3 bench/torch_tabular.py --data X.npy --labels y.npy --out /tmp/torch_run
"""
import time

T0 = time.perf_counter()
import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

T_IMPORTED = time.perf_counter()


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="X.npy: (n, 28) float32")
    ap.add_argument("--labels", required=True, help="y.npy: (n,) or (n, 1) class indices")
    ap.add_argument("--layers", default="300,300,300")
    ap.add_argument("--batch-size", type=int, default=512)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--lr", type=float, default=0.001)
    ap.add_argument("--validation-split", type=float, default=0.2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-batch", type=int, default=65536, help="rows per forward pass when evaluating")
    ap.add_argument("--final-train-rows", type=int, default=20000,
                    help="training rows evaluated at the end (a random sample when there are more; 0: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True, help="folder for model.pt")
    return ap.parse_args()


def build_model(inputs, hidden, classes):
    layers, width = [], inputs
    for units in hidden:
        layers += [torch.nn.Linear(width, units), torch.nn.ReLU()]
        width = units
    layers.append(torch.nn.Linear(width, classes))
    return torch.nn.Sequential(*layers)


def evaluate(model, x, y, batch):
    loss_sum, correct = 0.0, 0
    with torch.inference_mode():
        for start in range(0, x.shape[0], batch):
            logits = model(x[start:start + batch])
            target = y[start:start + batch]
            loss_sum += torch.nn.functional.cross_entropy(logits, target, reduction="sum").item()
            correct += (logits.argmax(dim=1) == target).sum().item()
    n = max(1, x.shape[0])
    return {"loss": loss_sum / n, "accuracy": correct / n}


def blas_libraries():
    """The BLAS/LAPACK shared libraries loaded (torch's Debian build calls the system libblas.so.3,
    whichever alternative it points to: reference BLAS is ~50x slower than OpenBLAS)."""
    found = set()
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            for line in maps:
                path = line.split()[-1]
                name = os.path.basename(path)
                if "blas" in name or "lapack" in name or "mkl" in name:
                    found.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(found)


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)

    t = time.perf_counter()
    x_all = torch.from_numpy(np.ascontiguousarray(np.load(args.data), dtype=np.float32))
    y_all = torch.from_numpy(np.load(args.labels).reshape(-1).astype(np.int64))
    if x_all.ndim != 2 or x_all.shape[0] != y_all.shape[0]:
        raise SystemExit(f"torch_tabular.py: X {tuple(x_all.shape)} and y {tuple(y_all.shape)} do not match")
    order = torch.randperm(x_all.shape[0], generator=generator)
    n_val = int(round(x_all.shape[0] * args.validation_split))
    val_idx, train_idx = order[:n_val], order[n_val:]
    x_val, y_val = x_all[val_idx], y_all[val_idx]
    x_train, y_train = x_all[train_idx], y_all[train_idx]
    del x_all, y_all, order
    load_seconds = time.perf_counter() - t

    classes = int(max(y_train.max().item(), y_val.max().item() if n_val else 0)) + 1
    hidden = [int(u) for u in args.layers.split(",") if u.strip()]
    model = build_model(x_train.shape[1], hidden, classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()

    t = time.perf_counter()
    n = x_train.shape[0]
    for _ in range(args.epochs):
        perm = torch.randperm(n, generator=generator)
        for start in range(0, n, args.batch_size):
            idx = perm[start:start + args.batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
    train_seconds = time.perf_counter() - t

    t = time.perf_counter()
    if 0 < args.final_train_rows < n:  # as plexus train: a sample of the training rows, kept in order
        sample = torch.randperm(n, generator=generator)[:args.final_train_rows].sort().values
        final = {"train": evaluate(model, x_train[sample], y_train[sample], args.eval_batch)}
        final["train"]["sample_of"] = int(n)
    else:
        final = {"train": evaluate(model, x_train, y_train, args.eval_batch)}
    if n_val:
        final["validation"] = evaluate(model, x_val, y_val, args.eval_batch)
    eval_seconds = time.perf_counter() - t

    t = time.perf_counter()
    os.makedirs(args.out, exist_ok=True)
    model_path = os.path.join(args.out, "model.pt")
    torch.save(model.state_dict(), model_path)
    save_seconds = time.perf_counter() - t

    print(json.dumps({
        "peer": "torch", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "rows": int(n + n_val), "train_rows": int(n), "features": int(x_train.shape[1]), "classes": classes,
        "layers": hidden, "batch_size": args.batch_size, "epochs": args.epochs,
        "import_seconds": T_IMPORTED - T0, "load_seconds": load_seconds, "train_seconds": train_seconds,
        "evaluate_seconds": eval_seconds, "save_seconds": save_seconds,
        "total_seconds": time.perf_counter() - T0,
        "train_samples_per_s": n * args.epochs / train_seconds if train_seconds > 0 else None,
        "final": final, "model_bytes": os.path.getsize(model_path),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "blas": blas_libraries(), "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),
    }))


if __name__ == "__main__":
    main()
