// node make_tfjs_models.js OUT_DIR: builds random Keras models with
// TensorFlow.js layers (a JavaScript Keras; CPU backend, no tfjs-node) and
// saves each as OUT_DIR/<name>/model.json + weights.bin (tfjs's own format),
// with inputs.npy and Keras's predictions for them in expected.json.
// Models whose name starts with "refuse_" are ones Plexus must refuse.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');
const { writeNpy } = require('./npy.js');

const FEATURES = 3, ROWS = 16;
const biasInit = () => tfl.initializers.randomNormal({ mean: 0, stddev: 0.5, seed: 7 });
const dense = (units, activation, extra = {}) =>
  tfl.layers.dense({ units, activation, biasInitializer: biasInit(), ...extra });

function models() {
  const m = {};
  for (const a of ['linear', 'tanh', 'sigmoid', 'relu', 'elu', 'selu', 'softplus', 'swish', 'gelu'])
    m[`act_${a}`] = () => tfl.sequential({ layers: [dense(6, a, { inputShape: [FEATURES] }), dense(5, a), dense(2, 'linear')] });
  m.softmax_out = () => tfl.sequential({ layers: [dense(8, 'tanh', { inputShape: [FEATURES] }), dense(4, 'softmax')] });
  m.sigmoid_out = () => tfl.sequential({ layers: [dense(8, 'relu', { inputShape: [FEATURES] }), dense(1, 'sigmoid')] });
  m.no_bias = () => tfl.sequential({ layers: [
    tfl.layers.dense({ units: 6, activation: 'tanh', useBias: false, inputShape: [FEATURES] }),
    tfl.layers.dense({ units: 3, activation: 'softmax', useBias: false })] });
  m.dropout = () => tfl.sequential({ layers: [dense(8, 'relu', { inputShape: [FEATURES] }), tfl.layers.dropout({ rate: 0.4 }),
    dense(8, 'elu'), tfl.layers.dropout({ rate: 0.2 }), dense(2, 'softmax')] });
  m.layer_activations = () => tfl.sequential({ layers: [
    tfl.layers.inputLayer({ inputShape: [FEATURES] }),
    dense(6, 'linear'), tfl.layers.leakyReLU({ alpha: 0.25 }),
    dense(6, 'linear'), tfl.layers.reLU(),
    dense(5, 'linear'), tfl.layers.activation({ activation: 'selu' }),
    dense(5, 'linear'), tfl.layers.leakyReLU(),  // Keras's default slope 0.3
    dense(3, 'linear'), tfl.layers.softmax()] });
  m.functional_chain = () => {
    const input = tfl.input({ shape: [FEATURES] });
    const h = dense(7, 'tanh').apply(input);
    const d = tfl.layers.dropout({ rate: 0.1 }).apply(h);
    return tfl.model({ inputs: input, outputs: dense(2, 'sigmoid').apply(d) });
  };
  m.compiled_adam = () => {
    const model = tfl.sequential({ layers: [dense(6, 'relu', { inputShape: [FEATURES] }), dense(3, 'softmax')] });
    model.compile({ optimizer: tf.train.adam(0.005), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  };
  // Normalization layers with non-trivial statistics (as after training) and noise.
  const uniform = (minval, maxval, seed) => tfl.initializers.randomUniform({ minval, maxval, seed });
  const bn = (extra = {}) => tfl.layers.batchNormalization({
    gammaInitializer: uniform(0.5, 1.5, 11), betaInitializer: uniform(-0.5, 0.5, 12),
    movingMeanInitializer: uniform(-1, 1, 13), movingVarianceInitializer: uniform(0.2, 2, 14), ...extra });
  const ln = (extra = {}) => tfl.layers.layerNormalization({
    gammaInitializer: uniform(0.5, 1.5, 15), betaInitializer: uniform(-0.5, 0.5, 16), ...extra });
  m.batchnorm = () => tfl.sequential({ layers: [dense(8, 'relu', { inputShape: [FEATURES] }), bn(),
    dense(6, 'tanh'), bn({ momentum: 0.9, epsilon: 0.01 }), dense(3, 'softmax')] });
  m.batchnorm_variants = () => tfl.sequential({ layers: [bn({ inputShape: [FEATURES] }), dense(5, 'elu'),
    bn({ center: false }), bn({ scale: false }), bn({ center: false, scale: false, epsilon: 0.1 }), dense(2, 'linear')] });
  m.layernorm = () => tfl.sequential({ layers: [dense(8, 'linear', { inputShape: [FEATURES] }), ln(), dense(5, 'relu'),
    ln({ epsilon: 1e-5, center: false }), dense(4, 'linear'), ln({ scale: false }), dense(2, 'sigmoid')] });
  m.gaussian_noise = () => tfl.sequential({ layers: [tfl.layers.gaussianNoise({ stddev: 0.5, inputShape: [FEATURES] }),
    dense(6, 'tanh'), tfl.layers.gaussianNoise({ stddev: 0.2 }), bn(), ln(), dense(2, 'softmax')] });
  m.refuse_branching = () => {
    const input = tfl.input({ shape: [FEATURES] });
    const a = dense(4, 'relu').apply(input), b = dense(4, 'tanh').apply(input);
    return tfl.model({ inputs: input, outputs: dense(2, 'linear').apply(tfl.layers.concatenate().apply([a, b])) });
  };
  m.refuse_prelu = () => tfl.sequential({ layers: [dense(4, 'relu', { inputShape: [FEATURES] }), tfl.layers.prelu(), dense(2)] });
  m.refuse_activation = () => tfl.sequential({ layers: [dense(4, 'hardSigmoid', { inputShape: [FEATURES] }), dense(2)] });
  return m;
}

// mulberry32: seeded inputs in [-3, 3].
function inputs(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: ROWS * FEATURES }, () => 6 * next() - 3);
}

(async () => {
  const out = process.argv[2];
  await tf.setBackend('cpu');
  let seed = 1;
  for (const [name, build] of Object.entries(models())) {
    const dir = path.join(out, name);
    fs.mkdirSync(dir, { recursive: true });
    const model = build();
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      const manifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }];
      // The model.json that tfjs's file and browser savers write (getModelJSONForModelArtifacts, not exported).
      const json = { modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy,
                     convertedBy: artifacts.convertedBy, weightsManifest: manifest };
      if (artifacts.trainingConfig != null) json.trainingConfig = artifacts.trainingConfig;
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(artifacts.weightData));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }), { includeOptimizer: true });
    const x = inputs(seed++);
    writeNpy(path.join(dir, 'inputs.npy'), ROWS, FEATURES, x);
    const y = model.predict(tf.tensor2d(x, [ROWS, FEATURES]));
    fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify({ outputs: await y.array() }));
  }
  console.log(Object.keys(models()).join(' '));
})().catch((e) => { console.error(`make_tfjs_models: ${e.stack}`); process.exit(1); });
