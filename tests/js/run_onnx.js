// node run_onnx.js MODEL.onnx INPUTS.npy OUT.json: runs the model with
// onnxruntime-node (CPU) on the rows of INPUTS and writes {"outputs": rows}.
const fs = require('fs');
const ort = require('onnxruntime-node');
const { readNpy } = require('./npy.js');

(async () => {
  const [model, inputs, out] = process.argv.slice(2);
  const x = readNpy(inputs);
  const session = await ort.InferenceSession.create(model);
  if (session.inputNames[0] !== 'input' || session.outputNames[0] !== 'output')
    throw new Error(`names: inputs ${session.inputNames}, outputs ${session.outputNames}`);
  const result = await session.run({ input: new ort.Tensor('float32', x.values, [x.rows, x.cols]) });
  const y = result.output;
  const cols = y.dims[1], rows = [];
  for (let i = 0; i < y.dims[0]; ++i) rows.push(Array.from(y.data.subarray(i * cols, (i + 1) * cols)));
  fs.writeFileSync(out, JSON.stringify({ outputs: rows }));
})().catch((e) => { console.error(`run_onnx: ${e.message}`); process.exit(1); });
