// Drawing for the Plexus playground: decision regions (or a regression's values)
// with hatching outside the training support, the points, learning curves and
// one small picture per hidden unit. The data formats are described in
// apps/web/picture.hpp; everything here is plain canvas 2-D.
"use strict";

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

function hexRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
function classColor(k) { return PALETTE[k % PALETTE.length]; }

// A viridis-like ramp for t in [0, 1].
const RAMP = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
function ramp(t) {
  t = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(t)), f = t - i;
  return RAMP[i].map((v, j) => Math.round(v + f * (RAMP[i + 1][j] - v)));
}
function rgb(c) { return `rgb(${c[0]},${c[1]},${c[2]})`; }

// Data coordinates to canvas pixels.
function mapper(scene, width, height) {
  const [xmin, xmax, ymin, ymax] = scene.range;
  return {
    x: (v) => ((v - xmin) / (xmax - xmin)) * width,
    y: (v) => ((ymax - v) / (ymax - ymin)) * height,
  };
}

function drawRegions(ctx, scene, snapshot, width, height) {
  const n = scene.cells, cells = snapshot.cells;
  const off = document.createElement("canvas");
  off.width = n; off.height = n;
  const octx = off.getContext("2d"), img = octx.createImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    let color;
    if (scene.task === "classification") {
      const k = Math.floor(cells[i] / 100), confidence = (cells[i] % 100) / 99;
      const base = hexRgb(classColor(k)), w = 0.15 + 0.55 * confidence;
      color = base.map((v) => Math.round(255 * (1 - w) + v * w));
    } else {
      color = ramp(cells[i] / 999).map((v) => Math.round(0.25 * 255 + 0.75 * v));
    }
    img.data.set([color[0], color[1], color[2], 255], 4 * i);
  }
  octx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, width, height);
}

// Grey veil and diagonal hatching over the cells outside the training support.
function drawSupport(ctx, scene, width, height) {
  const n = scene.cells, cw = width / n, ch = height / n;
  const outside = new Path2D();
  let any = false;
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (scene.support[r * n + c] === "0") { outside.rect(c * cw, r * ch, cw + 0.5, ch + 0.5); any = true; }
  if (!any) return;
  ctx.save();
  ctx.clip(outside);
  ctx.fillStyle = "rgba(120,120,120,0.28)";
  ctx.fillRect(0, 0, width, height);
  ctx.strokeStyle = "rgba(70,70,70,0.35)";
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let d = -height; d < width; d += 9) { ctx.moveTo(d, height); ctx.lineTo(d + height, 0); }
  ctx.stroke();
  ctx.restore();
}

function drawPoints(ctx, scene, width, height) {
  const m = mapper(scene, width, height);
  const color = (p) => scene.task === "classification" ? classColor(p[2]) : rgb(ramp((p[2] - scene.value_range[0]) / (scene.value_range[1] - scene.value_range[0])));
  for (const p of scene.points.train) {
    ctx.beginPath();
    ctx.arc(m.x(p[0]), m.y(p[1]), 3.2, 0, 2 * Math.PI);
    ctx.fillStyle = color(p);
    ctx.fill();
    ctx.lineWidth = 0.8;
    ctx.strokeStyle = "rgba(0,0,0,0.6)";
    ctx.stroke();
  }
  for (const p of scene.points.validation) {
    ctx.beginPath();
    ctx.arc(m.x(p[0]), m.y(p[1]), 3.6, 0, 2 * Math.PI);
    ctx.fillStyle = "rgba(255,255,255,0.85)";
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = color(p);
    ctx.stroke();
  }
}

function drawAxes(ctx, scene, width, height) {
  const [xmin, xmax, ymin, ymax] = scene.range, names = scene.feature_names || ["x", "y"];
  ctx.fillStyle = "rgba(0,0,0,0.65)";
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "bottom";
  ctx.fillText(`${names[0]} ${xmin.toFixed(2)} … ${xmax.toFixed(2)}`, 6, height - 4);
  ctx.save();
  ctx.translate(14, height - 8);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(`${names[1]} ${ymin.toFixed(2)} … ${ymax.toFixed(2)}`, 110, 0);
  ctx.restore();
}

// The whole boundary picture; snapshot may be null (points only).
function drawBoundary(canvas, scene, snapshot) {
  const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  if (!scene || !scene.drawable) {
    ctx.fillStyle = "#f3f5f7";
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = "#5d6875";
    ctx.font = "14px system-ui, sans-serif";
    ctx.fillText(scene ? "The plane needs exactly two features: this data has " + scene.feature_names.length + "." : "Press Start to train.", 20, h / 2);
    return;
  }
  if (snapshot && snapshot.cells) drawRegions(ctx, scene, snapshot, w, h);
  else { ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h); }
  drawSupport(ctx, scene, w, h);
  drawPoints(ctx, scene, w, h);
  drawAxes(ctx, scene, w, h);
}

// The legend under the picture (built with the DOM: the page's CSP allows no inline styles).
function drawLegend(container, scene) {
  container.textContent = "";
  if (!scene) return;
  const item = (color, label) => {
    const span = document.createElement("span");
    if (color) {
      const dot = document.createElement("i");
      dot.style.background = color;
      span.appendChild(dot);
    }
    span.appendChild(document.createTextNode(label));
    container.appendChild(span);
  };
  if (scene.task === "classification") scene.class_names.forEach((name, k) => item(classColor(k), "class " + name));
  else item(null, `value ${scene.value_range[0].toFixed(2)} (dark) … ${scene.value_range[1].toFixed(2)} (light)`);
  item(null, "filled: training · hollow: validation · hatched: outside the training data");
}

// Learning curves: loss on the left, the first metric on the right; validation dashed.
function drawCurves(canvas, rows) {
  const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  if (!rows.length) return;
  const keys = Object.keys(rows[rows.length - 1]).filter((k) => k !== "epoch" && k !== "learning_rate" && !k.startsWith("val_"));
  const metric = keys.find((k) => k !== "loss");
  const panels = [["loss", "val_loss"], metric ? [metric, "val_" + metric] : null].filter(Boolean);
  const pw = w / panels.length;
  panels.forEach((keysOf, i) => drawPanel(ctx, rows, keysOf, i * pw, 0, pw, h));
}

function drawPanel(ctx, rows, keys, x0, y0, w, h) {
  const pad = { l: 40, r: 8, t: 16, b: 18 };
  const values = rows.flatMap((r) => keys.map((k) => r[k]).filter((v) => typeof v === "number" && isFinite(v)));
  if (!values.length) return;
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (hi - lo < 1e-9) { hi += 0.5; lo -= 0.5; }
  const n = rows[rows.length - 1].epoch;
  const px = (e) => x0 + pad.l + ((e - 1) / Math.max(1, n - 1)) * (w - pad.l - pad.r);
  const py = (v) => y0 + pad.t + ((hi - v) / (hi - lo)) * (h - pad.t - pad.b);
  ctx.strokeStyle = "#d5dbe2"; ctx.lineWidth = 1; ctx.setLineDash([]);
  ctx.strokeRect(x0 + pad.l, y0 + pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
  ctx.fillStyle = "#5d6875"; ctx.font = "11px system-ui, sans-serif";
  ctx.fillText(keys[0], x0 + pad.l, y0 + 12);
  ctx.fillText(hi.toPrecision(3), x0 + 2, py(hi) + 8);
  ctx.fillText(lo.toPrecision(3), x0 + 2, py(lo));
  ctx.fillText(String(n), x0 + w - pad.r - 24, y0 + h - 4);
  keys.forEach((key, i) => {
    ctx.beginPath();
    let started = false;
    for (const r of rows) {
      const v = r[key];
      if (typeof v !== "number" || !isFinite(v)) { started = false; continue; }
      if (started) ctx.lineTo(px(r.epoch), py(v)); else { ctx.moveTo(px(r.epoch), py(v)); started = true; }
    }
    ctx.strokeStyle = i === 0 ? "#2463b5" : "#d9480f";
    ctx.setLineDash(i === 0 ? [] : [5, 3]);
    ctx.lineWidth = 1.6;
    ctx.stroke();
  });
  ctx.setLineDash([]);
}

// One small picture per hidden unit: blue negative, white 0, orange positive.
function drawUnits(container, scene, snapshot) {
  if (!scene || !snapshot || !snapshot.units) return;
  const n = scene.unit_cells;
  const layers = snapshot.units;
  if (container.dataset.shape !== layers.map((l) => l.units.length).join(",")) {
    container.innerHTML = "";
    for (const layer of layers) {
      const row = document.createElement("div");
      row.className = "layer";
      const label = document.createElement("span");
      label.className = "name";
      label.textContent = layer.layer + (layer.total > layer.units.length ? ` (${layer.units.length} of ${layer.total})` : "");
      row.appendChild(label);
      for (let u = 0; u < layer.units.length; u++) {
        const c = document.createElement("canvas");
        c.width = n; c.height = n;
        row.appendChild(c);
      }
      container.appendChild(row);
    }
    container.dataset.shape = layers.map((l) => l.units.length).join(",");
  }
  const rows = container.querySelectorAll(".layer");
  layers.forEach((layer, l) => {
    const canvases = rows[l].querySelectorAll("canvas");
    layer.units.forEach((values, u) => {
      const ctx = canvases[u].getContext("2d"), img = ctx.createImageData(n, n);
      for (let i = 0; i < n * n; i++) {
        const t = values[i] / 99;
        const c = t >= 0 ? [255, 255 - 120 * t, 255 - 230 * t] : [255 + 200 * t, 255 + 110 * t, 255];
        img.data.set([c[0], c[1], c[2], 255], 4 * i);
      }
      ctx.putImageData(img, 0, 0);
    });
  });
}
