// End-to-end test of the playground page in headless Chromium (Debian's chromium
// driven by puppeteer-core). Usage: node e2e.mjs URL CHROMIUM WORK_DIR [SCREENSHOT]
// Uses only the page's test contract (data-testid attributes, docs/web.md).
import puppeteer from "puppeteer-core";
import { writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";

const [url, chromium, work, docsScreenshot] = process.argv.slice(2);
const failures = [];
function check(ok, what) {
  console.log((ok ? "ok   " : "FAIL ") + what);
  if (!ok) failures.push(what);
}
const sel = (id) => `[data-testid="${id}"]`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage"],
});
const page = await browser.newPage();
await page.setViewport({ width: 1320, height: 980 });
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(e.message));

async function text(id) { return (await page.$eval(sel(id), (el) => el.textContent)).trim(); }
async function number(id) { return parseFloat(await text(id)); }
async function set(id, value) {
  await page.$eval(sel(id), (el, v) => {
    el.value = v;
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }, String(value));
}
async function waitFor(what, predicate, timeout = 30000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await predicate()) return true;
    await sleep(25);
  }
  check(false, `timed out waiting for ${what} (status "${await status()}", epoch "${await text("epoch")}", error "${await text("error")}")`);
  return false;
}
async function settings(values) { for (const [id, v] of Object.entries(values)) await set(id, v); }
const status = () => text("status");
// The grey-level variance of a screenshot of the boundary canvas (0 for a blank picture).
async function boundaryVariance(path) {
  const png = await (await page.$(sel("boundary"))).screenshot({ encoding: "base64" });
  if (path) writeFileSync(path, Buffer.from(png, "base64"));
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = "data:image/png;base64," + b64;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let sum = 0, sq = 0, n = 0;
    for (let i = 0; i < d.length; i += 4) { const g = (d[i] + d[i + 1] + d[i + 2]) / 3; sum += g; sq += g * g; n++; }
    const mean = sum / n;
    return sq / n - mean * mean;
  }, png);
}

try {
  await page.goto(url, { waitUntil: "load" });
  const datasets = await page.$$eval(`${sel("dataset")} option`, (os) => os.map((o) => o.value));
  check(["seed-curves", "moons", "circles", "spirals", "xor", "gaussians", "linear", "regression-2d"].every((d) => datasets.includes(d)),
    "dataset options are the built-in names: " + datasets.join(" "));
  for (const id of ["upload", "layers", "activation", "optimizer", "lr", "batch-size", "epochs", "validation-split", "split", "seed",
    "start", "stop", "reset", "epoch", "accuracy", "val-accuracy", "boundary", "findings", "download-model", "download-command"])
    check((await page.$(sel(id))) !== null, `data-testid="${id}" exists`);
  const untrained = await boundaryVariance();
  check(untrained < 100, `before training the boundary is blank (variance ${untrained.toFixed(0)}): the check below can fail`);

  // The seed with Keras's tail split: the doctor flags split.label_shift, validation fails.
  const seed = { dataset: "seed-curves", layers: "4,4,4,4", activation: "tanh", optimizer: "sgd", lr: "0.01", "batch-size": "8",
    epochs: "300", "validation-split": "0.2", split: "tail", seed: "0" };
  await settings(seed);
  const t0 = Date.now();
  await page.click(sel("start"));
  let maxVal = 0;
  await waitFor("300 epochs of the tail run", async () => {
    const v = await number("val-accuracy");
    if (!isNaN(v)) maxVal = Math.max(maxVal, v);
    return (await text("epoch")) === "300" && (await status()) === "finished";
  });
  const shift = `${sel("findings")} [data-finding-id="split.label_shift"]`;
  check((await page.$(shift)) !== null, "split.label_shift appears in the findings");
  check(maxVal < 0.1 && (await number("val-accuracy")) < 0.1, `val-accuracy stays below 0.1 (max ${maxVal})`);
  check((await number("accuracy")) > 0.95, "training accuracy is high: " + (await text("accuracy")));
  check((await page.$(`${shift} ${sel("apply-fix")}`)) !== null, "the finding has an apply-fix button");
  const command = await text("command");
  check(command.includes("--split tail") && command.includes("--layers 4,4,4,4"), "the command line: " + command);
  const href = await page.$eval(sel("download-model"), (a) => a.href);
  const model = await page.evaluate(async (h) => (await (await fetch(h)).text()).slice(0, 6), href);
  check(model === "PLEXUS", "download-model links the model file");
  const commandHref = await page.$eval(sel("download-command"), (a) => a.href);
  const downloaded = await page.evaluate(async (h) => (await fetch(h)).text(), commandHref);
  check(downloaded.trim() === command, "download-command gives the command line");
  const shot = join(work, "playground.png");
  await page.screenshot({ path: shot });
  if (docsScreenshot) copyFileSync(shot, docsScreenshot);

  // Apply the fix: stratified split, retrain, validation now passes.
  await page.click(`${shift} ${sel("apply-fix")}`);
  check((await page.$eval(sel("split"), (s) => s.value)) === "stratified", "apply-fix sets split = stratified");
  await waitFor("the retrained run", async () => (await text("epoch")) === "300" && (await status()) === "finished");
  const val = await number("val-accuracy");
  check(val >= 0.95, `after the fix val-accuracy ${val} >= 0.95`);
  check((await page.$(shift)) === null, "split.label_shift is gone after the fix");
  console.log(`     (both seed runs took ${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  // A screenshot of the boundary is not blank: the pixel variance of the PNG Chromium made.
  const variance = await boundaryVariance(join(work, "boundary.png"));
  check(variance > 100, `the boundary screenshot is not blank (grey variance ${variance.toFixed(0)})`);

  // Upload a CSV and train on it.
  const csv = ["u,v,side"];
  for (let i = 0; i < 200; i++) {
    const u = ((i * 37) % 100) / 50 - 1, v = ((i * 61) % 100) / 50 - 1;
    csv.push(`${u},${v},${u + v > 0.05 ? "east" : u + v < -0.05 ? "west" : u > 0 ? "east" : "west"}`);
  }
  const csvPath = join(work, "halves.csv");
  writeFileSync(csvPath, csv.join("\n") + "\n");
  await (await page.$(sel("upload"))).uploadFile(csvPath);
  await waitFor("the upload", async () => (await text("upload-info")).includes("halves.csv"));
  await settings({ epochs: "40", split: "auto", optimizer: "adam", lr: "0.01", "batch-size": "16" });
  await page.click(sel("start"));
  await waitFor("the uploaded data's run", async () => (await text("epoch")) === "40" && (await status()) === "finished");
  check((await text("command")).includes("--data halves.csv"), "the run trained on halves.csv: " + (await text("command")));
  check((await number("accuracy")) > 0.8, "and learned it: accuracy " + (await text("accuracy")));

  // Three classes, and a regression (a value heat map): the picture is drawn for both.
  for (const [dataset, metric] of [["gaussians", "accuracy"], ["regression-2d", null]]) {
    await settings({ dataset, epochs: "30", layers: "8,8", optimizer: "adam", "batch-size": "16" });
    await page.click(sel("start"));
    await waitFor(dataset, async () => (await text("epoch")) === "30" && (await status()) === "finished");
    const v = await boundaryVariance();
    check(v > 100 && (metric === null || (await number("accuracy")) > 0.8),
      `${dataset}: trained and drawn (variance ${v.toFixed(0)}, accuracy ${await text("accuracy")})`);
  }

  // Stop stops within a second.
  await settings({ dataset: "moons", samples: "4000", layers: "32,32", epochs: "10000", "batch-size": "1", optimizer: "sgd" });
  await page.click(sel("start"));
  await waitFor("a few epochs", async () => (await status()) === "training" && (await number("epoch")) >= 3);
  // Timed inside the page (from the click to the status showing that training stopped), so that
  // the test's own polling on a loaded machine does not count.
  await page.evaluate(() => {
    window.stopTiming = {};
    document.querySelector('[data-testid="stop"]').addEventListener("click", () => { window.stopTiming.clicked = performance.now(); }, { capture: true });
    new MutationObserver(() => {
      const s = document.querySelector('[data-testid="status"]').textContent;
      if ((s === "stopping" || s === "stopped") && window.stopTiming.stopped === undefined) window.stopTiming.stopped = performance.now();
    }).observe(document.querySelector('[data-testid="status"]'), { childList: true, characterData: true, subtree: true });
  });
  await page.click(sel("stop"));
  await waitFor("the run to be saved", async () => (await status()) === "stopped", 10000);
  const timing = await page.evaluate(() => window.stopTiming);
  const took = Math.round(timing.stopped - timing.clicked);
  const at = await text("epoch");
  await sleep(500);
  check(took < 1000 && (await text("epoch")) === at, `Stop stopped training within ${took} ms at epoch ${at}`);

  // Bad settings: the server's message is shown in the page.
  await settings({ layers: "4,x", epochs: "5" });
  await page.click(sel("start"));
  await waitFor("an error message", async () => (await text("error")) !== "", 5000);
  const error = await text("error");
  check(error.includes("4,x") && error.includes("fix"), "a bad setting shows Plexus's message: " + error);
  await settings({ layers: "4,4" });

  // Step trains one epoch and pauses; Start continues.
  await page.click(sel("step"));
  await waitFor("epoch 1, paused", async () => (await status()) === "paused" && (await text("epoch")) === "1");
  await page.click(sel("step"));
  await waitFor("epoch 2, paused", async () => (await status()) === "paused" && (await text("epoch")) === "2");
  await page.click(sel("start"));
  await waitFor("the stepped run to finish", async () => (await status()) === "finished" && (await text("epoch")) === "5");
  check((await text("epoch")) === "5", "Step, Step, Start: epochs 1, 2, then on to 5");

  // Reset clears the view.
  await page.click(sel("reset"));
  await waitFor("reset", async () => (await text("epoch")) === "0" && (await page.$$(`${sel("findings")} li`)).length === 0, 5000);
  check(pageErrors.length === 0, "no errors in the page: " + pageErrors.join("; "));
} catch (e) {
  check(false, "exception: " + (e.stack || e));
} finally {
  await browser.close();
}
if (failures.length) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("all checks passed");
