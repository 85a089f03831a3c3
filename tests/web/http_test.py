#!/usr/bin/python3
"""HTTP-level tests of `plexus serve`: limits, errors, the run API, the event
stream, downloads, Stop/Step, and a clean Ctrl-C. Usage:
    http_test.py PLEXUS_BINARY WORK_DIR
Starts the server on a free loopback port and talks to it with the standard
library only (urllib, http.client)."""
import http.client
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PLEXUS, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def request(method, path, body=None, headers=None):
    """(status, headers, body bytes) of one request; never raises for HTTP errors."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        res = conn.getresponse()
        return res.status, dict(res.getheaders()), res.read()
    finally:
        conn.close()


def post_json(path, obj):
    return request("POST", path, json.dumps(obj).encode(), {"Content-Type": "application/json"})


def error_of(body):
    try:
        return json.loads(body).get("error", "")
    except ValueError:
        return ""


def config(data="seed-curves", **fit):
    c = {"data": {"data": data}, "model": {"layers": "4,4,4,4", "activation": "tanh", "optimizer": "sgd", "lr": 0.01},
         "fit": {"batch_size": 8, "epochs": 300, "split": "tail", "seed": 0}}
    c["fit"].update(fit)
    return c


def start_run(cfg, **extra):
    status, _, body = post_json("/api/runs", dict({"config": cfg}, **extra))
    return status, json.loads(body)


def status_of(run_id):
    return json.loads(request("GET", "/api/runs/" + run_id)[2])


def wait_state(run_id, states, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        s = status_of(run_id)
        if s["state"] in states:
            return s
        time.sleep(0.02)
    return status_of(run_id)


def events(run_id):
    """Reads the whole event stream of a run: a list of (event, data)."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    conn.request("GET", "/api/runs/%s/events" % run_id, headers={"Accept-Encoding": "gzip"})
    res = conn.getresponse()
    check(res.getheader("Content-Type", "").startswith("text/event-stream"), "events: text/event-stream")
    check(res.getheader("Content-Encoding") is None, "events: not compressed (events arrive as they happen)")
    out, name = [], None
    for raw in res:
        line = raw.decode().rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            out.append((name, json.loads(line[6:])))
    conn.close()
    return out


server = subprocess.Popen([PLEXUS, "serve", "--port", "0", "--max-runs", "2"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
first = server.stdout.readline()
check(first.startswith("plexus serve: http://127.0.0.1:"), "prints the URL: " + first.strip())
HOST, PORT = "127.0.0.1", int(first.split(":")[3].split("/")[0])

# The page and the asset table.
status, headers, body = request("GET", "/")
check(status == 200 and b'data-testid="dataset"' in body and b'<option value="seed-curves"' in body,
      "GET / serves the page with the built-in datasets")
check("default-src 'self'" in headers.get("Content-Security-Policy", ""), "the page forbids other origins (CSP)")
check(b"http://" not in body and b"https://" not in body, "the page links nothing outside the server")
status, headers, _ = request("GET", "/app.js")
check(status == 200 and headers["Content-Type"].startswith("text/javascript"), "GET /app.js")
for path in ["/nope", "/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fapp.js", "/api/../app.js/..",
             "/assets/../../CMakeLists.txt", "/app.js/../../../etc/passwd", "//etc/passwd"]:
    status, _, body = request("GET", path)
    check(status == 404 and "no such page" in error_of(body), "GET %s -> 404 with a message" % path)
status, _, body = request("GET", "/", headers={"Host": "evil.example:%d" % PORT})
check(status == 403, "a foreign Host header is refused (DNS rebinding) -> %d" % status)

# 400: malformed JSON and bad settings, with Plexus's messages.
status, _, body = request("POST", "/api/runs", b"{x", {"Content-Type": "application/json"})
check(status == 400 and "not valid JSON" in error_of(body) and "fix:" in error_of(body), "malformed JSON -> 400: " + error_of(body)[:80])
bad = [
    ({"config": dict(config(), model={"activation": "tanhh"})}, "did you mean 'tanh'"),
    ({"config": {"fit": {"epoch": 3}, "data": {"data": "moons"}}}, "did you mean 'fit.epochs'"),
    ({"config": {"fit": {"epochs": "many"}, "data": {"data": "moons"}}}, "fit.epochs must be an integer"),
    ({"config": {"data": {"data": "/etc/passwd"}}}, "not a built-in dataset"),
    ({"config": {"data": {"data": "moons", "samples": 10 ** 7}}}, "cap"),
    ({"config": {"data": {"data": "moons"}, "model": {"layers": "2000,2000"}}}, "parameters"),
    ({"config": {"data": {"data": "moons"}, "fit": {"epochs": 10 ** 6}}}, "cap"),
    ({"config": {"data": {"data": "moons"}, "model": {"model_spec": "/etc/passwd"}}}, "files on the server"),
    ({"config": {"data": {"data": "moons"}}, "upload": "0" * 32}, "upload it again"),
    ({"config": {"data": {"data": "moons"}}, "extra": 1}, "unknown field"),
    ([1, 2], "JSON object"),
]
for payload, expected in bad:
    status, _, body = post_json("/api/runs", payload)
    check(status == 400 and expected in error_of(body), "bad request -> 400 '%s': %s" % (expected, error_of(body)[:100]))

# 413: bodies over the limit (50 MB by default).
big = b"x" * (50 * 1024 * 1024 + 1)
for path in ["/api/upload?name=big.csv", "/api/runs"]:
    status, _, body = request("POST", path, big, {"Content-Type": "text/csv"})
    check(status == 413 and "too large" in error_of(body), "POST %s with 50 MB + 1 byte -> 413" % path)

# Uploads: a good CSV loads; a bad one is named as the user named it.
rows_csv = ["a,b,label"] + ["%g,%g,%s" % (x / 50.0, (x % 7) / 7.0, "left" if x < 60 else "right") for x in range(120)]
status, _, body = request("POST", "/api/upload?name=../../mine.csv", "\n".join(rows_csv).encode(), {"Content-Type": "text/csv"})
upload = json.loads(body)
check(status == 201 and upload["rows"] == 120 and upload["features"] == 2 and upload["class_names"] == ["left", "right"]
      and upload["name"] == "mine.csv", "upload a CSV -> 201 %s" % body[:120])
status, _, body = request("POST", "/api/upload?name=broken.csv", b"a,b,label\n1,2,0\n3,oops,1\n", {"Content-Type": "text/csv"})
check(status == 400 and "broken.csv" in error_of(body) and "plexus-serve" not in error_of(body),
      "a bad CSV -> 400 naming broken.csv: " + error_of(body)[:120])
status, run = start_run(dict(config(data=""), fit={"epochs": 20, "batch_size": 16}), upload=upload["upload"])
check(status == 201 and "--data mine.csv" in run["command"], "train on the upload: " + str(run)[:160])
final = wait_state(run["id"], ["finished", "failed"])
check(final["state"] == "finished" and final["epoch"] == 20, "the upload's run finishes: %s" % final)

# A whole run over the event stream: the seed with Keras's tail split.
status, run = start_run(config())
check(status == 201 and run["parameters"] == 82, "start the seed run -> 201")
stream = events(run["id"])
names = [n for n, _ in stream]
check(names.count("scene") == 1 and names[-1] == "state", "stream: one scene, the state last: " + " ".join(names[:8]))
scene = next(d for n, d in stream if n == "scene")
check(scene["drawable"] and scene["cells"] ** 2 == len(scene["support"]) and "0" in scene["support"] and "1" in scene["support"],
      "scene: a plane with support inside and outside")
findings = [d for n, d in stream if n == "finding"]
shift = [f for f in findings if f["id"] == "split.label_shift"]
check(len(shift) == 1 and shift[0]["apply"] == {"fit": {"split": "stratified"}}, "split.label_shift with its fix {fit: {split: stratified}}")
rows = [r for n, d in stream if n == "epochs" for r in d["rows"]]
check(len(rows) == 300 and rows[-1]["epoch"] == 300 and rows[-1]["val_accuracy"] < 0.1, "300 epochs, val_accuracy %.4f < 0.1" % rows[-1]["val_accuracy"])
snapshots = [d for n, d in stream if n == "snapshot"]
check(snapshots and len(snapshots[-1]["cells"]) == scene["cells"] ** 2 and len(set(snapshots[-1]["cells"])) > 10
      and len(snapshots[-1]["units"]) == 4, "snapshots: decision cells and 4 hidden layers of units")
end = stream[-1][1]
check(end["state"] == "finished" and end["downloads"], "the run finishes with downloads")

# Downloads, and the command line reproduces the run.
status, _, model = request("GET", "/api/runs/%s/model.plexus" % run["id"])
check(status == 200 and model.startswith(b"PLEXUS"), "download model.plexus")
status, _, report = request("GET", "/api/runs/%s/report.json" % run["id"])
report = json.loads(report)
status, _, command = request("GET", "/api/runs/%s/command.txt" % run["id"])
command = command.decode().strip()
check(command == run["command"] and command.startswith("plexus train --data seed-curves"), "download the command: " + command)
out = os.path.join(WORK, "cli-run")
shutil.rmtree(out, ignore_errors=True)  # a previous run of this test
args = shlex.split(command)
subprocess.run([PLEXUS] + args[1:] + ["--out", out, "--verbose", "0"], check=True, stdout=subprocess.DEVNULL)
with open(os.path.join(out, "report.json")) as f:
    cli = json.load(f)
same = all(abs(cli["final"][part]["metrics"][k] - report["final"][part]["metrics"][k]) < 1e-6
           for part in ("train", "validation") for k in report["final"][part]["metrics"])
check(same, "the command line reproduces the run's final metrics")
with open(os.path.join(out, "model.plexus"), "rb") as f:
    check(f.read() == model, "and writes the same model file, byte for byte")

# Stop within a second; Step pauses after each epoch; Resume continues.
LONG = dict(config(data="moons", epochs=10000, batch_size=1), data={"data": "moons", "samples": 4000})
LONG["model"]["layers"] = "32,32"
status, run = start_run(LONG)
while status_of(run["id"])["epoch"] < 2:
    time.sleep(0.02)
t0 = time.time()
request("POST", "/api/runs/%s/stop" % run["id"])
s = wait_state(run["id"], ["stopping", "stopped", "finished", "failed"], timeout=5)
took = time.time() - t0
check(s["state"] in ("stopping", "stopped") and took < 1.0, "stop -> training stopped in %.2f s at epoch %d" % (took, s["epoch"]))
s = wait_state(run["id"], ["stopped", "finished", "failed"], timeout=10)
check(s["state"] == "stopped" and s["epoch"] < 10000, "then the run is saved as stopped at epoch %d" % s["epoch"])
check(request("GET", "/api/runs/%s/model.plexus" % run["id"])[0] == 200, "a stopped run's model can be downloaded")

status, run = start_run(config(epochs=50), step=True)
s = wait_state(run["id"], ["paused"])
check(s["state"] == "paused" and s["epoch"] == 1, "step mode pauses after epoch 1")
request("POST", "/api/runs/%s/step" % run["id"])
time.sleep(0.3)
s = wait_state(run["id"], ["paused"])
check(s["state"] == "paused" and s["epoch"] == 2, "step trains one more epoch: %s" % s)
request("POST", "/api/runs/%s/resume" % run["id"])
s = wait_state(run["id"], ["finished"])
check(s["state"] == "finished" and s["epoch"] == 50, "resume trains to the end")

# 429 beyond the cap of 2 runs; the server survives and frees the slots.
long_runs = [start_run(LONG)[1]["id"] for _ in range(2)]
status, _, body = post_json("/api/runs", {"config": config()})
check(status == 429 and "busy" in error_of(body) and "fix:" in error_of(body), "a third run -> 429: " + error_of(body)[:80])
for run_id in long_runs:
    check(request("DELETE", "/api/runs/" + run_id)[0] == 204, "DELETE a run -> 204")
check(request("GET", "/api/runs/" + long_runs[0])[0] == 404, "a deleted run is gone (404)")
status, run = start_run(config(epochs=5))
check(status == 201, "after the cap, a run starts again")
check(request("GET", "/")[0] == 200, "the server survived everything")

# Ctrl-C: the server stops cleanly and removes its folder.
TMP = tempfile.gettempdir()
folders_before = [d for d in os.listdir(TMP) if d.startswith("plexus-serve-%d-" % server.pid)]
server.send_signal(signal.SIGINT)
try:
    code = server.wait(timeout=10)
except subprocess.TimeoutExpired:
    server.kill()
    code = "hung"
rest = server.stdout.read()
check(code == 0 and "stopped" in rest, "SIGINT stops the server (exit %s)" % code)
check(folders_before and not any(d.startswith("plexus-serve-%d-" % server.pid) for d in os.listdir(TMP)),
      "its temporary folder is removed")
print("stderr:", server.stderr.read().strip()[:500])

# Idle runs and uploads are stopped and removed (a second server, idle after 1 s).
server = subprocess.Popen([PLEXUS, "serve", "--port", "0", "--idle-seconds", "1"], stdout=subprocess.PIPE, text=True)
PORT = int(server.stdout.readline().split(":")[3].split("/")[0])
status, _, body = request("POST", "/api/upload?name=idle.csv", "\n".join(rows_csv).encode(), {"Content-Type": "text/csv"})
upload_id = json.loads(body)["upload"]
status, run = start_run(config(epochs=50), step=True)
check(wait_state(run["id"], ["paused"])["state"] == "paused", "a paused run")
folder = [d for d in os.listdir(TMP) if d.startswith("plexus-serve-%d-" % server.pid)][0]
check(os.path.isdir(os.path.join(TMP, folder, run["id"])), "has its folder")
time.sleep(3.5)
check(request("GET", "/api/runs/" + run["id"])[0] == 404, "an idle run is removed")
check(not os.path.exists(os.path.join(TMP, folder, run["id"])), "with its folder")
status, _, body = post_json("/api/runs", {"config": config(data=""), "upload": upload_id})
check(status == 400 and "upload it again" in error_of(body), "an idle upload is removed")
server.send_signal(signal.SIGINT)
check(server.wait(timeout=10) == 0, "the second server stops")

if failures:
    print("%d check(s) failed:\n  %s" % (len(failures), "\n  ".join(failures)))
    sys.exit(1)
print("all checks passed")
