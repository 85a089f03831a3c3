// node compare.js EXPECTED.json ACTUAL.json [LABEL]: both hold rows of outputs,
// as {"outputs": [[...]]} or `plexus predict --json` output ("probabilities" or
// "predictions"; a binary model's [1-p, p] rows are compared on p when the
// expected rows have one column). Fails unless |a - e| <= 1e-5 + 1e-5 |e| everywhere.
const fs = require('fs');
const rowsOf = (j) => j.outputs || j.probabilities || j.predictions;
const [expectedFile, actualFile, label = actualFile] = process.argv.slice(2);
const expectedRows = rowsOf(JSON.parse(fs.readFileSync(expectedFile, 'utf8')));
let actual = rowsOf(JSON.parse(fs.readFileSync(actualFile, 'utf8')));
if (!expectedRows || !actual) { console.error(`${label}: no rows of outputs`); process.exit(1); }
// A binary classifier: plexus predict gives [1 - p, p], Keras and ONNX give p.
let exp = expectedRows;
if (exp.length && actual.length && exp[0].length === 1 && actual[0].length === 2) actual = actual.map((r) => [r[1]]);
if (exp.length && actual.length && exp[0].length === 2 && actual[0].length === 1) exp = exp.map((r) => [r[1]]);
const expected = exp;
if (expected.length !== actual.length) { console.error(`${label}: ${actual.length} rows, expected ${expected.length}`); process.exit(1); }
let worst = 0, bad = null;
expected.forEach((row, i) => {
  if (row.length !== actual[i].length) { console.error(`${label}: row ${i} has ${actual[i].length} columns, expected ${row.length}`); process.exit(1); }
  row.forEach((e, k) => {
    const d = Math.abs(actual[i][k] - e), excess = d - (1e-5 + 1e-5 * Math.abs(e));
    if (!(excess <= 0) && !bad) bad = `row ${i} column ${k}: ${actual[i][k]} vs expected ${e}`;
    worst = Math.max(worst, d);
  });
});
if (bad) { console.error(`${label}: outputs differ: ${bad} (max |diff| ${worst})`); process.exit(1); }
console.log(`${label}: ${expected.length} rows agree (max |diff| ${worst.toExponential(2)})`);
