// The output of the benchmark: the machine it ran on, the table printed, and
// BENCHMARKS.md (the tables, how they are measured, and the hand-written history kept).
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model?.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: (totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    os: `${process.platform} ${process.arch}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    // Removed from the environment of every command measured (scripts/bench/harness.mjs benchEnv).
    extraCaCerts: Boolean(process.env.NODE_EXTRA_CA_CERTS),
  };
}

export function table(rs) {
  const head = ['', 'figure (median)', 'budget', 'verdict', 'note'];
  const body = rs.map((r) => [r.what, r.figure, r.budgetText, r.verdict, r.note]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const lines = [];
  let section = null;
  rs.forEach((r, k) => {
    if (r.section !== section) {
      section = r.section;
      lines.push('', section);
    }
    lines.push(
      `  ${body[k]
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd()}`,
    );
  });
  return lines.join('\n');
}

export function markdown(m, rs) {
  const esc = (s) => s.replace(/\|/g, '\\|');
  const out = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (scripts/bench.mjs); do not edit by hand. Each figure is a median over several runs and, where it says so, a ratio against a baseline measured in the same run, so that the numbers compare across machines. `npm run bench -- --quick` runs a smaller set in CI and fails only on a gross regression (worse than twice a budget).',
    '',
    `- Date: ${m.date}`,
    `- CPU: ${m.cpu}, ${m.cores} cores`,
    `- Memory: ${m.memoryGiB} GiB`,
    `- Node: ${m.node} (${m.os})`,
    ...(m.extraCaCerts
      ? [
          "- NODE_EXTRA_CA_CERTS is set on this machine and removed for every command measured: with it, each Node start parses a whole CA bundle (~40 ms here), which users do not pay and which would hide ndr's own start-up in the ratios.",
        ]
      : []),
    '',
  ];
  let section = null;
  for (const r of rs) {
    if (r.section !== section) {
      section = r.section;
      out.push('', `## ${section.replace(/^\d+\. /, '')}`, '', '| | figure (median) | budget | verdict | note |', '|---|---|---|---|---|');
    }
    out.push(`| ${esc(r.what)} | ${esc(r.figure)} | ${esc(r.budgetText)} | ${r.verdict} | ${esc(r.note)} |`);
  }
  out.push(
    '',
    '## How these are measured',
    '',
    '- Cold start: whole `node bin/ndr.js ...` processes (after `npm run build`), warm-up runs then the median wall time, divided by the median of `node -e 0`; the baseline and the cases run in turns (one run of each, then the next round), so that the machine\'s drift does not become a ratio. "installed:" is the same build as users get it: `npm pack`, then `npm install -g --omit=dev` of the tarball into a temp prefix (scripts/pack-install.mjs), run as `node <prefix>/lib/node_modules/ndr/bin/ndr.js`; the package has no code cache, its first run (a warm-up run) writes it, as a user\'s first run does.',
    '- Batch: `ndr explain --json` over `../shared/corpus/maildir` in one process, against `scripts/bench/sisimai-batch.pl` (Debian libsisimai-perl) over the same files in one process, the two in turns; messages per second are files per second for both. The ratio is tracked, not a budget: over 514 small files most of ndr\'s time is V8 warming up (the context rows); the batch budget (at least 2x sisimai) is judged on the 20,000-message mailbox under "scale". Accuracy is computed from each tool\'s output with the scoring of `npm run corpus` (scripts/corpus-score.ts) against `manifest.json`; the budget is the floor the corpus test guards.',
    "- Batch, context rows (full mode): `node -e 0` and `scripts/bench/io-floor.mjs` (walk the folder, read every file, write ndr's output of that round again; no parsing) run in the same rounds as ndr and sisimai. `scripts/bench/passes.mjs` runs the same `explain --json` 8 times in one process through ndr's entry, 3 processes; pass 1 pays for loading the parser and for V8's warm-up. \"node -e 0 + the best later pass\" is a bound no run of ndr can beat: Node has to start, and a first pass cannot be faster than a warm one (loading ndr's code is not even counted).",
    "- Scale: an mbox built from the corpus messages (`From ` separator lines, mboxrd `>From ` quoting, LF line ends) in a temp dir; `ndr explain --json --max-size 4G` over it once; peak RSS is GNU time `%M`. The largest mailbox is then read by sisimai and by ndr in three turns, in alternating order (sisimai first, then ndr first, then sisimai first: the run that follows a long one is slower on this VM, by 20-30% for ndr after sisimai, and a fixed order made that part of the ratio): the batch budget, at least twice sisimai's messages per second, is judged on that long run (20,000 messages) as the median of the three turns' ratios, the two runs of a turn having met the same machine (one turn each gave 1.37x to 2.22x on this VM, whose speed drifts by a third within a minute); the quick mode's 2,000 messages, where warm-up weighs more, are tracked and fail only below 0.5x.",
    '- DNS: nsd serves test/fixtures/zones and scripts/bench/zones on 127.0.0.1; the test relay (test/helpers/dns-server.ts) forwards to it and adds 100 ms to every answer. A second relay in the same run adds nothing; round trips are (median wall time with the latency minus median wall time without) / 100 ms, so start-up and work are not counted. The raw wall / 100 ms is shown too, and the number of rounds ndr itself reports (`rounds` in the JSON).',
    '',
  );
  return out.join('\n');
}

/** The hand-written "Before and after" section (profiles and fixes), kept when the tables are rewritten. */
const HISTORY_HEADING = '## Before and after';
export function keptHistory(file) {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(`\n${HISTORY_HEADING}`);
  return at < 0 ? '' : text.slice(at);
}
