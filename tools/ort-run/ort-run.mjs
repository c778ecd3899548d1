#!/usr/bin/env node
// ort-run: reference runner for tests and benchmarks. Runs an ONNX model with
// ONNX Runtime (npm onnxruntime-node, CPU execution provider) on numpy .npy
// inputs, optionally writes the outputs as .npy files and times the model.
//
//   node tools/ort-run/ort-run.mjs model.onnx -i in0.npy -i in1.npy
//        [--output-dir DIR] [--bench N] [--warmup W] [--threads T]
//
// Inputs are fed in the order of session.inputNames. onnxruntime-node is
// loaded from <repo>/build-ort/node_modules (install it with
// scripts/install-ort.sh) or from $IQC_ORT_MODULES when set.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const USAGE = 'usage: ort-run.mjs model.onnx -i in0.npy [-i in1.npy ...] ' +
  '[--output-dir DIR] [--bench N] [--warmup W] [--threads T]';

class UsageError extends Error {}

// numpy descr (without byte-order char) <-> ORT tensor type and typed array.
const DTYPES = [
  ['f4', 'float32', Float32Array], ['f8', 'float64', Float64Array],
  ['f2', 'float16', Uint16Array],
  ['i1', 'int8', Int8Array], ['i2', 'int16', Int16Array],
  ['i4', 'int32', Int32Array], ['i8', 'int64', BigInt64Array],
  ['u1', 'uint8', Uint8Array], ['u2', 'uint16', Uint16Array],
  ['u4', 'uint32', Uint32Array], ['u8', 'uint64', BigUint64Array],
  ['b1', 'bool', Uint8Array],
];
const BY_DESCR = new Map(DTYPES.map(([d, t, a]) => [d, { type: t, Array: a }]));
const BY_TYPE = new Map(DTYPES.map(([d, t, a]) => [t, { descr: d, Array: a }]));

function parseArgs(argv) {
  const opts = { model: null, inputs: [], outputDir: null, bench: 0, warmup: 3, threads: 1 };
  const int = (flag, v, min) => {
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < min)
      throw new UsageError(`${flag} expects an integer >= ${min}`);
    return Number(v);
  };
  for (let k = 0; k < argv.length; ++k) {
    const a = argv[k];
    const val = () => {
      if (k + 1 >= argv.length) throw new UsageError(`${a} expects a value`);
      return argv[++k];
    };
    if (a === '-h' || a === '--help') { console.log(USAGE); process.exit(0); }
    else if (a === '-i' || a === '--input') opts.inputs.push(val());
    else if (a === '--output-dir') opts.outputDir = val();
    else if (a === '--bench') opts.bench = int(a, val(), 1);
    else if (a === '--warmup') opts.warmup = int(a, val(), 0);
    else if (a === '--threads') opts.threads = int(a, val(), 1);
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (opts.model === null) opts.model = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (opts.model === null) throw new UsageError('no model given');
  return opts;
}

function loadOrt() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dir = process.env.IQC_ORT_MODULES || path.resolve(here, '../../build-ort/node_modules');
  const pkg = path.join(dir, 'onnxruntime-node');
  if (!fs.existsSync(path.join(pkg, 'package.json')))
    throw new Error(`onnxruntime-node not found in ${dir}; run scripts/install-ort.sh`);
  return createRequire(import.meta.url)(pkg);
}

// Reads a .npy file (format 1.x/2.x/3.x, little-endian, C order).
function readNpy(ort, file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY')
    throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const [hlen, hstart] = major === 1 ? [buf.readUInt16LE(8), 10]
    : major <= 3 ? [buf.readUInt32LE(8), 12] : [-1, 0];
  if (hlen < 0) throw new Error(`${file}: unsupported .npy version ${major}`);
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', hstart, hstart + hlen);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape) throw new Error(`${file}: malformed .npy header`);
  if (fortran[1] === 'True') throw new Error(`${file}: Fortran-order arrays are not supported`);
  const m = /^([<|=]?)([a-z]\d+)$/.exec(descr[1]);
  const dt = m && BY_DESCR.get(m[2]);
  if (!dt || (m[1] === '|' && !/[ub]1|i1/.test(m[2])))
    throw new Error(`${file}: unsupported dtype '${descr[1]}'`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const start = buf.byteOffset + hstart + hlen;
  const nbytes = count * dt.Array.BYTES_PER_ELEMENT;
  if (hstart + hlen + nbytes > buf.length) throw new Error(`${file}: truncated data`);
  // Copy into a fresh (aligned) ArrayBuffer.
  const data = new dt.Array(buf.buffer.slice(start, start + nbytes));
  return new ort.Tensor(dt.type, data, dims);
}

function writeNpy(file, tensor) {
  const dt = BY_TYPE.get(tensor.type);
  if (!dt) throw new Error(`cannot write output of type ${tensor.type} as .npy`);
  const descr = (dt.descr.endsWith('1') ? '|' : '<') + dt.descr;
  const dims = tensor.dims.map(Number);
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1; pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const d = tensor.data;
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'),
    Buffer.from(d.buffer, d.byteOffset, d.byteLength)]));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const ort = loadOrt();
  const session = await ort.InferenceSession.create(opts.model, {
    intraOpNumThreads: opts.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionProviders: ['cpu'],
  });
  const names = session.inputNames;
  if (opts.inputs.length !== names.length)
    throw new Error(`model has ${names.length} input(s) (${names.join(', ')}), ` +
      `got ${opts.inputs.length} .npy file(s)`);
  const feeds = {};
  names.forEach((n, k) => { feeds[n] = readNpy(ort, opts.inputs[k]); });

  const results = await session.run(feeds);
  if (opts.outputDir) fs.mkdirSync(opts.outputDir, { recursive: true });
  for (const name of session.outputNames) {
    const t = results[name];
    console.log(`  ${name}: ${t.type} [${t.dims.join(', ')}]`);
    if (opts.outputDir)
      writeNpy(path.join(opts.outputDir, name.replace(/[^A-Za-z0-9]/g, '_') + '.npy'), t);
  }

  if (opts.bench > 0) {
    for (let k = 0; k < opts.warmup; ++k) await session.run(feeds);
    const ms = [];
    for (let k = 0; k < opts.bench; ++k) {
      const t0 = process.hrtime.bigint();
      await session.run(feeds);
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    ms.sort((a, b) => a - b);
    const n = ms.length;
    const median = n % 2 ? ms[(n - 1) / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
    const mean = ms.reduce((a, b) => a + b, 0) / n;
    console.log(`ort latency over ${n} runs on ${opts.threads} thread(s): ` +
      `median ${median.toFixed(3)} ms, min ${ms[0].toFixed(3)} ms, mean ${mean.toFixed(3)} ms`);
  }
  await session.release?.();
}

main().catch((e) => {
  process.stderr.write(`ort-run: error: ${e && e.message ? e.message : e}\n`);
  if (e instanceof UsageError) process.stderr.write(USAGE + '\n');
  process.exit(1);
});
