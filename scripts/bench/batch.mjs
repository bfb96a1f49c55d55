// 2. Batch throughput of `ndr explain --json` over the corpus against sisimai, with
// accuracy; the context rows of where the batch time goes; and the batch budget's
// verdict in the quick mode (judged in 3., on one large mbox).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NDR, QUICK, ROOT, listFiles, ms, pct, row, say, x } from './common.mjs';
import { median, repeatWithRssInterleaved, timeWithRss } from './harness.mjs';

function readJsonLines(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

function corpusFloor() {
  // The levels the corpus test guards (test/bounce/corpus.test.ts FLOOR).
  const text = readFileSync(join(ROOT, 'test', 'bounce', 'corpus.test.ts'), 'utf8');
  const get = (name) => {
    const m = new RegExp(`\\b${name}: (\\d+) / (\\d+)`).exec(text);
    return m ? Number(m[1]) / Number(m[2]) : null;
  };
  return { status: get('status'), recipient: get('recipient') };
}

/**
 * Scores per-file recipient lists with the scoring of `npm run corpus`:
 * scoreCorpus walks the manifest in order and asks for each message of each
 * file (mbox files split as ndr splits them); we answer from `byFile`.
 */
async function scoreFromOutput(h, corpusDir, byFile) {
  const manifest = JSON.parse(readFileSync(join(corpusDir, 'manifest.json'), 'utf8'));
  const queue = [];
  for (const entry of manifest) {
    const path = resolve(corpusDir, entry.file);
    const bytes = readFileSync(path);
    const count = h.isMbox(bytes) ? h.splitMbox(bytes).length : 1;
    const perMessage = byFile.get(path) ?? [];
    for (let i = 0; i < count; i++) queue.push(perMessage[i] ?? []);
  }
  let next = 0;
  return h.scoreCorpus(corpusDir, async () => ({ recipients: queue[next++] ?? [] }));
}

export async function benchBatch(h, tmp) {
  const corpusDir = h.locateCorpus(ROOT);
  const maildir = join(corpusDir, 'maildir');
  const files = listFiles(maildir);
  const runs = QUICK ? 1 : 5;
  say(`batch: ${files.length} files, ${runs} run(s) each of ndr and sisimai, in turns`);

  const ndrOut = join(tmp, 'ndr-batch.jsonl');
  const sisOut = join(tmp, 'sisimai.tsv');
  const haveSisimai = spawnSync('perl', ['-MSisimai', '-e', '1']).status === 0;
  const commands = [
    {
      cmd: process.execPath,
      args: [NDR, 'explain', '--json', maildir],
      options: { cwd: ROOT, stdoutFile: ndrOut, env: { NO_COLOR: '1' } },
    },
  ];
  if (haveSisimai)
    commands.push({
      cmd: 'perl',
      args: [join(ROOT, 'scripts', 'bench', 'sisimai-batch.pl')],
      options: { cwd: ROOT, input: `${files.join('\n')}\n`, stdoutFile: sisOut },
    });
  // Context (full mode): bare Node, and Node doing a batch's I/O with no parsing (after ndr in
  // each round, so ndr's output of that round is there to write again).
  const context = !QUICK && haveSisimai;
  if (context) {
    commands.push({ cmd: process.execPath, args: ['-e', '0'], options: { cwd: ROOT } });
    commands.push({
      cmd: process.execPath,
      args: [join(ROOT, 'scripts', 'bench', 'io-floor.mjs'), maildir, ndrOut],
      options: { cwd: ROOT, stdoutFile: join(tmp, 'io-floor.jsonl') },
    });
  }
  const [ndr, sisimaiRun, bare, ioFloor] = repeatWithRssInterleaved(commands, { runs });
  if (ndr.status !== 0 && ndr.status !== 1 && ndr.status !== 3)
    throw new Error(`ndr explain --json exited ${ndr.status}: ${ndr.stderr.slice(0, 300)}`);
  const ndrByFile = new Map();
  for (const o of readJsonLines(ndrOut)) {
    const path = resolve(ROOT, o.file);
    const list = ndrByFile.get(path) ?? [];
    list[(o.message ?? 1) - 1] = (o.findings ?? []).map((f) => ({
      recipient: f.recipient,
      status: f.status,
      statusInferred: f.statusInferred,
    }));
    ndrByFile.set(path, list);
  }

  let sisimai = null;
  let sisimaiByFile = null;
  if (sisimaiRun) {
    sisimai = sisimaiRun;
    if (sisimai.status !== 0) throw new Error(`sisimai exited ${sisimai.status}: ${sisimai.stderr.slice(0, 300)}`);
    sisimaiByFile = new Map();
    for (const line of readFileSync(sisOut, 'utf8').split('\n')) {
      if (!line) continue;
      const [path, recipient, status] = line.split('\t');
      const list = sisimaiByFile.get(path) ?? [[]];
      // sisimai does not say which message of an mbox a recipient came from: all go to the first.
      list[0].push({ recipient, status: status || null, statusInferred: true });
      sisimaiByFile.set(path, list);
    }
  } else say('sisimai not installed (apt-get install libsisimai-perl): no baseline');

  const ndrScore = await scoreFromOutput(h, corpusDir, ndrByFile);
  const sisScore = sisimaiByFile ? await scoreFromOutput(h, corpusDir, sisimaiByFile) : null;
  const floor = corpusFloor();

  const ndrRate = files.length / (ndr.median / 1000);
  const sisRate = sisimai ? files.length / (sisimai.median / 1000) : null;
  const ratio = sisRate ? ndrRate / sisRate : null;
  const sec = '2. batch (corpus, one process)';
  row(
    sec,
    `sisimai (baseline), ${files.length} files`,
    sisimai
      ? `${ms(sisimai.median)}, ${sisRate.toFixed(0)} msg/s, ${(sisimai.maxRssKb / 1024).toFixed(0)} MB`
      : 'not measured: sisimai not installed',
    '',
    '',
  );
  // Tracked, not a budget: over 514 small files V8's warm-up is most of the time (the context rows
  // below); the batch budget is judged on a long run, the 20,000-message mailbox of 3.
  row(
    sec,
    `ndr explain --json, ${files.length} files`,
    `${ms(ndr.median)}, ${ndrRate.toFixed(0)} msg/s = ${ratio ? x(ratio) : '?'}, ${(ndr.maxRssKb / 1024).toFixed(0)} MB`,
    '(tracked)',
    '',
    'the batch budget (>= 2x sisimai) is judged in 3., on 20,000 messages',
  );
  const acc = (name, s, f) => {
    const r = h.rate(s[name]);
    return { r, text: `${pct(r)} (${s[name].hit}/${s[name].total})`, ok: f === null || r >= f - 1e-9 };
  };
  const ns = acc('status', ndrScore, floor.status);
  const nr = acc('recipient', ndrScore, floor.recipient);
  const ss = sisScore ? acc('status', sisScore, null) : null;
  const sr = sisScore ? acc('recipient', sisScore, null) : null;
  // Accuracy has no "gross": below the corpus test's floor is a regression the tests already fail on.
  row(
    sec,
    'ndr status accuracy',
    ns.text,
    `>= ${pct(floor.status)} (corpus test)`,
    ns.ok ? 'met' : 'missed',
    ss ? `sisimai ${ss.text}` : '',
  );
  row(
    sec,
    'ndr recipient accuracy',
    nr.text,
    `>= ${pct(floor.recipient)} (corpus test)`,
    nr.ok ? 'met' : 'missed',
    sr ? `sisimai ${sr.text}` : '',
  );
  const limits = context ? batchLimits({ maildir, tmp, ndr, sisimai, bare, ioFloor, sec }) : null;
  return {
    limits,
    files: files.length,
    ndr: { median: ndr.median, rate: ndrRate, rss: ndr.maxRssKb },
    sisimai: sisimai && { median: sisimai.median, rate: sisRate, rss: sisimai.maxRssKb },
    ratio,
    ndrScore,
    sisScore,
    floor,
  };
}

/**
 * Where the batch time goes, as context for its budget: how much of what 2x
 * sisimai allows Node takes before any parsing, and a bound no run of ndr can
 * beat: Node's start plus one pass at warm speed (JIT warm-up and loading free).
 */
function batchLimits({ maildir, tmp, sisimai, bare, ioFloor, sec }) {
  const allowed = sisimai.median / 2;
  const share = (t) => `${((t / allowed) * 100).toFixed(0)}% of the ${ms(allowed)} that 2x sisimai allows`;
  row(sec, 'node -e 0', `${ms(bare.median)}`, '(context)', '', share(bare.median));
  row(sec, "node: walk, read the files, write ndr's output, no parsing", `${ms(ioFloor.median)}`, '(context)', '', share(ioFloor.median));
  const runs = 3;
  const passes = 8;
  const first = [];
  const warm = [];
  for (let i = 0; i < runs; i++) {
    const r = timeWithRss(process.execPath, [join(ROOT, 'scripts', 'bench', 'passes.mjs'), maildir, String(passes)], {
      cwd: ROOT,
      stdoutFile: join(tmp, 'passes.jsonl'),
      env: { NO_COLOR: '1' },
    });
    const line = r.stderr.split('\n').find((l) => l.startsWith('{"times"'));
    if (r.status !== 0 || !line) throw new Error(`passes.mjs exited ${r.status}: ${r.stderr.slice(0, 300)}`);
    const { times } = JSON.parse(line);
    first.push(times[0]);
    warm.push(Math.min(...times.slice(1)));
  }
  const cold = median(first);
  const hot = median(warm);
  row(
    sec,
    `ndr explain --json ${passes} times in one process`,
    `pass 1 ${ms(cold)}; best later pass ${ms(hot)}`,
    '(context)',
    '',
    `median of ${runs} processes`,
  );
  // No ndr run can take less than Node's start plus one pass at warm speed (loading not even counted).
  const bound = bare.median + hot;
  row(
    sec,
    'node -e 0 + the best later pass',
    `${ms(bound)} = ${x(sisimai.median / bound)} sisimai`,
    '(context)',
    '',
    "as if ndr's first pass were as fast as a warm one: a bound",
  );
  return { allowed, bare: bare.median, ioFloor: ioFloor.median, cold, hot, bound, boundRatio: sisimai.median / bound };
}

/**
 * The quick mode's 2,000 messages are over before V8 has warmed up (ndr and
 * sisimai are near 1x there when the 20,000-message run is near 2x or more),
 * so the budget is not judged there (decided, issue 16: the full run's
 * 20,000 messages judge it): the row is tracked, and it is a gross miss, which
 * fails CI, only below QUICK_MBOX_GROSS, a collapse rather than a level.
 */
export const QUICK_MBOX_GROSS = 0.5;
export function quickMboxVerdict(ratio) {
  return ratio >= QUICK_MBOX_GROSS ? 'tracked' : 'gross';
}
