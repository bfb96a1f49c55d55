/**
 * readSource marks a message whose whole bytes were sniffed as one, so that
 * parseBounce does not sniff them again; everything else is checked there.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sniffContent } from '../../src/bounce/bytes.js';
import { parseBounce } from '../../src/bounce/parse.js';
import type { CliIo } from '../../src/core/io.js';
import { readSource } from '../../src/input/items.js';
import { planInputs } from '../../src/input/plan.js';
import type { Item } from '../../src/input/types.js';
import { ROOT } from '../helpers/cli.js';
import { testTempDir } from '../helpers/tmp.js';

const io = (): CliIo => ({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} });
const fixture = (name: string) => join(ROOT, 'test/fixtures/eml', name);

async function itemsOf(args: string[]): Promise<Item[]> {
  const plan = planInputs(args, io());
  const items: Item[] = [];
  for (const source of plan.sources) items.push(...(await readSource(source, io(), 25 * 1024 * 1024)));
  return items;
}

describe('readSource: which messages were sniffed whole', () => {
  it('marks a message file, and the mark is true of its bytes', async () => {
    const [item] = await itemsOf([fixture('backscatter.eml')]);
    expect(item?.kind).toBe('message');
    if (item?.kind !== 'message') return;
    expect(item.sniffed).toBe(true);
    expect(sniffContent(item.bytes)).toBe('message');
  });

  it('marks the messages of a folder walk the same way', async () => {
    const dir = testTempDir('ndr-inputs-');
    writeFileSync(
      join(dir, 'a'),
      'From: MAILER-DAEMON@mx.contoso.example\nTo: anna@contoso.example\nSubject: Undeliverable\n\n550 5.1.1 user unknown\n',
    );
    writeFileSync(join(dir, 'notes.txt'), 'just some words\n');
    const items = await itemsOf([dir]);
    expect(items.map((i) => [i.kind, i.kind === 'message' && i.sniffed])).toEqual([['message', true]]);
  });

  it('leaves the messages cut from an mbox unmarked: parseBounce checks each', async () => {
    const items = await itemsOf([fixture('bounces.mbox')]);
    expect(items.length).toBeGreaterThan(1);
    for (const item of items) {
      expect(item.kind).toBe('message');
      if (item.kind === 'message') expect(item.sniffed).toBeUndefined();
    }
  });
});

describe('parseBounce with sniffedAsMessage', () => {
  it('gives the same result as with its own check', async () => {
    const [item] = await itemsOf([fixture('backscatter.eml')]);
    if (item?.kind !== 'message') throw new Error('expected a message');
    expect(await parseBounce(item.bytes, { sniffedAsMessage: true })).toEqual(await parseBounce(item.bytes));
  });

  it('still refuses what is no message when the caller did not sniff it', async () => {
    await expect(parseBounce(Buffer.from('just some words'), { sniffedAsMessage: false })).rejects.toThrow(/not an e-mail message/);
  });
});
