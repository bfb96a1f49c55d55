import { existsSync, readFileSync, statSync } from 'node:fs';
import { InputError, InputTooLargeError, UsageError } from '../../core/errors.js';
import { explainText, type TextExplanation } from '../../knowledge/explain.js';
import { findingToJson } from '../../render/entry-json.js';
import { renderFindingText, type Audience } from '../../render/finding-text.js';
import { safeJson, sanitize } from '../../render/sanitize.js';
import { loadKb, makeContext, type Context, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit.js';
import { writeLine, type CliIo } from '../io.js';
import { DEFAULT_MAX_BYTES, readStream } from '../read-input.js';

export interface ExplainOptions extends GlobalOptions {
  audience?: Audience;
}

export const SCHEMA_VERSION = 1;

const NOTHING_FOUND =
  'no status code or known NDR text found in the input. Give a code such as 5.7.1, a reply such as "550 5.1.10", or paste the diagnostic line of the bounce.';

async function readInputText(args: string[], io: CliIo): Promise<string> {
  if (args.length === 0) {
    if (io.stdin.isTTY) throw new UsageError('explain needs a code, NDR text or "-" for standard input (see ndr explain --help)');
    return (await readStream(io.stdin)).toString('utf8');
  }
  if (args.length === 1 && args[0] === '-') return (await readStream(io.stdin)).toString('utf8');
  if (args.length === 1 && existsSync(args[0]!)) {
    const path = args[0]!;
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(`${path}: not a file`);
    if (st.size > DEFAULT_MAX_BYTES) throw new InputTooLargeError(`${path}: larger than ${DEFAULT_MAX_BYTES} bytes`);
    return readFileSync(path).toString('utf8');
  }
  if (args.length === 1 && /\.(eml|msg|mbox|txt)$/i.test(args[0]!)) throw new InputError(`${args[0]}: no such file`);
  return args.join(' ');
}

function printText(ex: TextExplanation, ctx: Context, audience: Audience): void {
  const rule = ctx.style.dim('-'.repeat(Math.min(ctx.width, 72)));
  ex.findings.forEach((f, i) => {
    if (i > 0) writeLine(ctx.io.stdout, `\n${rule}\n`);
    writeLine(ctx.io.stdout, renderFindingText(f, { style: ctx.style, width: ctx.width, audience }));
  });
}

export async function runExplain(args: string[], opts: ExplainOptions, io: CliIo): Promise<number> {
  const ctx = makeContext(io, opts);
  const kb = loadKb(io, opts);
  const input = await readInputText(args, io);
  const ex = explainText(kb, input);
  if (ctx.json) {
    writeLine(io.stdout, safeJson({ schemaVersion: SCHEMA_VERSION, input: ex.input, kind: ex.kind, findings: ex.findings.map(findingToJson) }, 2));
  } else if (ex.findings.length) {
    printText(ex, ctx, opts.audience ?? 'all');
  }
  if (!ex.findings.length) {
    writeLine(io.stderr, `ndr: ${sanitize(NOTHING_FOUND)}`);
    return EXIT.notFound;
  }
  return EXIT.ok;
}
