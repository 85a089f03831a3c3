// node run_onnx.js MODEL.onnx INPUTS.npy OUT.json: runs the model with
// onnxruntime-node (CPU) on the rows of INPUTS and writes {"outputs": rows}.
// INPUTS may instead be a JSON file of per-column feeds (tests/interop/
// table_feeds.py: {"columns": [{name, dtype, values}]}, null = NaN) for a model
// exported with a Preprocessor: one (rows, 1) input per column.
const fs = require('fs');
const ort = require('onnxruntime-node');
const { readNpy } = require('./npy.js');

(async () => {
  const [model, inputs, out] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model);
  const feeds = {};
  if (inputs.endsWith('.json')) {
    for (const c of JSON.parse(fs.readFileSync(inputs, 'utf8')).columns) {
      const values = c.dtype === 'string' ? c.values : Float32Array.from(c.values, (v) => (v === null ? NaN : v));
      feeds[c.name] = new ort.Tensor(c.dtype === 'string' ? 'string' : 'float32', values, [c.values.length, 1]);
    }
    if (session.inputNames.join() !== Object.keys(feeds).join()) throw new Error(`inputs ${session.inputNames} vs feeds ${Object.keys(feeds)}`);
  } else {
    const x = readNpy(inputs);
    if (session.inputNames[0] !== 'input') throw new Error(`names: inputs ${session.inputNames}`);
    feeds.input = new ort.Tensor('float32', x.values, [x.rows, x.cols]);
  }
  if (session.outputNames[0] !== 'output') throw new Error(`names: outputs ${session.outputNames}`);
  const result = await session.run(feeds);
  const y = result.output;
  const cols = y.dims[1], rows = [];
  for (let i = 0; i < y.dims[0]; ++i) rows.push(Array.from(y.data.subarray(i * cols, (i + 1) * cols)));
  fs.writeFileSync(out, JSON.stringify({ outputs: rows }));
})().catch((e) => { console.error(`run_onnx: ${e.message}`); process.exit(1); });
