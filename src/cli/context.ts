import { UsageError } from '../core/errors.js';
import { loadCompiledKb } from '../knowledge/bundled.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { colorLevel, loadStyle, type Style } from '../render/style.js';
import type { CliIo } from './io.js';

export interface GlobalOptions {
  color?: boolean;
  json?: boolean;
  kb?: string;
}

export interface Context {
  io: CliIo;
  style: Style;
  width: number;
  json: boolean;
}

/** Async because a colour style loads chalk first (see loadStyle); without colour it does not. */
export async function makeContext(io: CliIo, opts: GlobalOptions): Promise<Context> {
  const json = Boolean(opts.json);
  const level = json ? 0 : colorLevel({ flag: opts.color === false ? false : undefined, env: io.env, isTTY: Boolean(io.stdout.isTTY) });
  const columns = io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : 80;
  return { io, style: await loadStyle(level), width: Math.max(40, Math.min(columns, 100)) - 1, json };
}

/**
 * The bundled knowledge base plus --kb DIR or NDR_KB (an organisation's own
 * entries). The compiled form loads without the YAML parser; YAML (an
 * organisation's directory, or in a checkout a source edited since the build) is parsed and
 * validated by a module imported only then.
 */
export async function loadKb(io: CliIo, opts: GlobalOptions): Promise<KnowledgeBase> {
  const extra = opts.kb ?? (io.env.NDR_KB || undefined);
  if (extra !== undefined && !extra.trim()) throw new UsageError('--kb needs a directory');
  const compiled = extra ? null : loadCompiledKb();
  if (compiled) return compiled;
  const { loadKnowledgeBase } = await import('../knowledge/load.js');
  return loadKnowledgeBase({ extraDirs: extra ? [extra] : [] });
}
