// Minimal .npy reading and writing (float32, C order) for the interop tests.
const fs = require('fs');

function writeNpy(file, rows, cols, values) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(head, 0);
  head[6] = 1; head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.from(new Float32Array(values).buffer);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), data]));
}

function readNpy(file) {
  const b = fs.readFileSync(file);
  const len = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + len).toString('latin1');
  if (!header.includes("'<f4'")) throw new Error(`${file}: expected float32, header ${header}`);
  const shape = header.match(/\((\d+), (\d+)\)/).slice(1).map(Number);
  const start = 10 + len;
  const values = new Float32Array(b.buffer.slice(b.byteOffset + start, b.byteOffset + start + shape[0] * shape[1] * 4));
  return { rows: shape[0], cols: shape[1], values };
}

module.exports = { writeNpy, readNpy };
