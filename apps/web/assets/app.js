// The Plexus playground page: reads the settings, starts runs on the server
// (POST /api/runs), follows them over Server-Sent Events, and shows the
// pictures, the curves and the doctor's findings with their fixes. The HTTP API
// is described in apps/web/server.hpp; drawing is in draw.js.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { run: null, status: "ready", events: null, scene: null, snapshot: null, rows: [], upload: null, extra: {}, ended: true };

// Form fields for each RunConfig setting ("section.key" -> [element id, kind]).
const FIELDS = {
  "data.samples": ["samples", "int?"], "data.noise": ["noise", "num?"], "data.classes": ["classes", "int?"],
  "data.target": ["target", "str"],
  "model.layers": ["layers", "str"], "model.activation": ["activation", "str"], "model.output": ["output", "str"],
  "model.loss": ["loss", "str"], "model.optimizer": ["optimizer", "str"], "model.lr": ["lr", "num?"],
  "model.clipnorm": ["clipnorm", "num?"],
  "fit.epochs": ["epochs", "int"], "fit.batch_size": ["batch-size", "int"], "fit.validation_split": ["validation-split", "num"],
  "fit.split": ["split", "str"], "fit.seed": ["seed", "int"], "fit.class_weight": ["class-weight", "str"],
  "fit.early_stopping": ["early-stopping", "int"], "fit.standardize": ["standardize", "bool"], "fit.shuffle": ["shuffle", "bool"],
  "fit.restore_best_weights": ["restore-best", "bool"],
};

function readField(id, kind) {
  const el = $(id);
  if (kind === "bool") return el.checked;
  const text = el.value.trim();
  if (kind === "str") return text;
  if (text === "") return kind.endsWith("?") ? null : text;  // the server names the setting
  const v = Number(text);
  return Number.isFinite(v) ? v : text;
}

function writeField(id, kind, value) {
  const el = $(id);
  if (kind === "bool") el.checked = Boolean(value);
  else el.value = value === null || value === undefined ? "" : String(value);
}

// The settings as RunConfig JSON (run/config.hpp), plus fix changes without a field.
function readConfig() {
  const config = { data: {}, model: {}, fit: {} };
  for (const [path, [id, kind]] of Object.entries(FIELDS)) {
    const [section, key] = path.split(".");
    config[section][key] = readField(id, kind);
  }
  config.data.data = state.upload ? "" : $("dataset").value;
  for (const [section, values] of Object.entries(state.extra)) Object.assign(config[section], values);
  return config;
}

function showError(message) { $("error").textContent = message || ""; }

function setStatus(text) {
  const el = $("status");
  el.textContent = text;
  el.className = "status " + text;
}

async function api(method, path, body, type) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.body = type ? body : JSON.stringify(body);
    init.headers["Content-Type"] = type || "application/json";
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch (e) { data = { error: text }; }
  if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
  return data;
}

function clearView() {
  state.scene = null; state.snapshot = null; state.rows = [];
  $("epoch").textContent = "0";
  $("epochs-total").textContent = "";
  for (const id of ["accuracy", "val-accuracy", "loss-value"]) $(id).textContent = "–";
  $("findings").innerHTML = "";
  $("no-findings").hidden = false;
  $("units").innerHTML = ""; delete $("units").dataset.shape;
  drawLegend($("legend"), null);
  $("command").textContent = "";
  for (const id of ["download-model", "download-report", "download-command"]) { $(id).classList.add("disabled"); $(id).removeAttribute("href"); }
  drawBoundary($("boundary"), null, null);
  drawCurves($("curves"), []);
}

async function forgetRun() {
  if (state.events) { state.events.close(); state.events = null; }
  const old = state.run;
  state.run = null;
  state.ended = true;
  if (old) { try { await api("DELETE", `/api/runs/${old}`); } catch (e) { /* already gone */ } }
}

// Starts a run with the form's settings (forgetting the current one), or continues a paused run.
async function start(step, restart) {
  showError("");
  if (state.run && state.status === "paused" && !step && !restart) {  // a paused run continues
    try { await api("POST", `/api/runs/${state.run}/resume`); return; } catch (e) { /* start afresh */ }
  }
  clearView();
  setStatus("starting");
  await forgetRun();
  const body = { config: readConfig(), step: Boolean(step) };
  if (state.upload) body.upload = state.upload.upload;
  try {
    const started = await api("POST", "/api/runs", body);
    state.run = started.id;
    state.ended = false;
    $("command").textContent = started.command;
    const cmd = $("download-command");
    cmd.href = `/api/runs/${started.id}/command.txt`;
    cmd.classList.remove("disabled");
    follow(started.id);
  } catch (e) {
    setStatus("ready");
    showError(e.message);
  }
}

function follow(id) {
  const es = new EventSource(`/api/runs/${id}/events`);
  state.events = es;
  const mine = (f) => (ev) => { if (state.run === id) f(JSON.parse(ev.data)); };
  es.addEventListener("scene", mine(onScene));
  es.addEventListener("epochs", mine(onEpochs));
  es.addEventListener("snapshot", mine(onSnapshot));
  es.addEventListener("finding", mine(onFinding));
  es.addEventListener("state", mine(onState));
  es.onerror = () => { if (state.ended || state.run !== id) es.close(); };
}

function onScene(scene) {
  state.scene = scene;
  $("epochs-total").textContent = ` / ${scene.epochs}`;
  drawLegend($("legend"), scene);
  drawBoundary($("boundary"), scene, state.snapshot);
}

const fmt = (v) => (typeof v === "number" && isFinite(v) ? v.toFixed(4) : "–");

function onEpochs(data) {
  state.rows.push(...data.rows);
  const last = state.rows[state.rows.length - 1];
  $("epoch").textContent = String(last.epoch);
  $("loss-value").textContent = fmt(last.loss);
  $("accuracy").textContent = fmt(last.accuracy);
  $("val-accuracy").textContent = fmt(last.val_accuracy);
  drawCurves($("curves"), state.rows);
}

function onSnapshot(snapshot) {
  state.snapshot = snapshot;
  drawBoundary($("boundary"), state.scene, snapshot);
  drawUnits($("units"), state.scene, snapshot);
}

function onFinding(f) {
  $("no-findings").hidden = true;
  const li = document.createElement("li");
  li.className = f.severity;
  li.dataset.findingId = f.id;
  li.innerHTML = `<span class="id"></span><span class="severity"></span><div class="message"></div><div class="fix"></div>` +
    `<details><summary>evidence</summary><pre></pre></details>`;
  li.querySelector(".id").textContent = f.id;
  li.querySelector(".severity").textContent = f.severity + (f.epoch !== undefined ? ` · epoch ${f.epoch + 1}` : "");
  li.querySelector(".message").textContent = f.message;
  li.querySelector(".fix").textContent = f.fix ? "fix: " + f.fix : "";
  li.querySelector("pre").textContent = JSON.stringify(f.evidence, null, 1);
  const button = document.createElement("button");
  button.dataset.testid = "apply-fix";
  button.setAttribute("data-testid", "apply-fix");
  if (f.apply) {
    button.textContent = "apply fix: " + f.apply_label;
    button.addEventListener("click", () => applyFix(f.apply));
  } else {
    button.textContent = "no setting fixes this";
    button.disabled = true;
  }
  li.appendChild(button);
  $("findings").appendChild(li);
}

function applyFix(change) {
  for (const [section, values] of Object.entries(change)) {
    for (const [key, value] of Object.entries(values)) {
      const field = FIELDS[`${section}.${key}`];
      if (field) writeField(field[0], field[1], value);
      else (state.extra[section] = state.extra[section] || {})[key] = value;
    }
  }
  start(false, true);
}

function onState(s) {
  state.status = s.state;
  setStatus(s.state);
  const ended = ["finished", "stopped", "failed"].includes(s.state);
  if (s.state === "failed") showError(s.message);
  else if (s.message) showError(s.message);
  if (!ended) return;
  state.ended = true;
  if (state.events) { state.events.close(); state.events = null; }
  if (s.downloads) {
    for (const [id, file] of [["download-model", "model.plexus"], ["download-report", "report.json"]]) {
      $(id).href = `/api/runs/${state.run}/${file}`;
      $(id).classList.remove("disabled");
    }
  }
}

async function control(action) {
  if (!state.run || state.ended) return;
  try { await api("POST", `/api/runs/${state.run}/${action}`); } catch (e) { showError(e.message); }
}

async function uploadFile(file) {
  showError("");
  try {
    const info = await api("POST", `/api/upload?name=${encodeURIComponent(file.name)}`, await file.text(), "text/csv");
    state.upload = info;
    $("upload-info").textContent = `${info.name}: ${info.rows} rows, ${info.features} features (${info.feature_names.join(", ")}), ` +
      (info.task === "classification" ? `${info.class_names.length} classes` : "regression") + ". Choose a dataset above to go back.";
  } catch (e) {
    state.upload = null;
    $("upload-info").textContent = "";
    $("upload").value = "";
    showError(e.message);
  }
}

function datasetDefaults() {
  const option = $("dataset").selectedOptions[0];
  if (!option) return;
  $("samples").placeholder = option.dataset.samples;
  $("noise").placeholder = option.dataset.noise;
  $("classes").placeholder = option.dataset.classes === "0" ? "–" : option.dataset.classes;
}

function init() {
  $("start").addEventListener("click", () => start(false));
  $("step").addEventListener("click", () => (state.run && !state.ended ? control("step") : start(true)));
  $("stop").addEventListener("click", () => control("stop"));
  $("reset").addEventListener("click", async () => { await forgetRun(); state.extra = {}; clearView(); setStatus("ready"); showError(""); });
  $("upload").addEventListener("change", () => { if ($("upload").files.length) uploadFile($("upload").files[0]); });
  $("dataset").addEventListener("change", () => {
    state.upload = null; $("upload").value = ""; $("upload-info").textContent = "";
    datasetDefaults();
  });
  datasetDefaults();
  clearView();
  window.addEventListener("beforeunload", () => { if (state.run && !state.ended) navigator.sendBeacon && fetch(`/api/runs/${state.run}/stop`, { method: "POST", keepalive: true }); });
}

init();
