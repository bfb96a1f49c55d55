#!/usr/bin/env node
/**
 * Context for the batch budget (scripts/bench/batch.mjs): what Node itself costs
 * for a batch, with no parsing at all. It walks the folder as ndr does
 * (sorted names, lstat), reads every file, and writes, for each, the next
 * line of an output ndr made earlier (so the same bytes go out in as many
 * writes). Start-up plus this is a floor no parser in Node can go under.
 *
 *   node scripts/bench/io-floor.mjs <folder> <ndr-output.jsonl> > /dev/null
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const [folder, outputFile] = process.argv.slice(2);
if (!folder || !outputFile) {
  process.stderr.write('usage: io-floor.mjs <folder> <ndr-output.jsonl>\n');
  process.exit(2);
}

function readWhole(path) {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(fstatSync(fd).size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isDirectory()) walk(path, out);
    else if (st.isFile()) out.push(path);
  }
  return out;
}

const output = readWhole(outputFile);
let at = 0;
let bytes = 0;
for (const file of walk(folder, [])) {
  bytes += readWhole(file).length;
  const end = output.indexOf(0x0a, at);
  if (end < 0) continue;
  writeSync(1, output, at, end + 1 - at);
  at = end + 1;
}
// The summary lines after the last message.
if (at < output.length) writeSync(1, output, at, output.length - at);
process.stderr.write(`io-floor: ${bytes} bytes read\n`);
