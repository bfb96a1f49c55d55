import { describe, expect, it } from 'vitest';
import { explainText } from '../../src/knowledge/explain.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { lifetimeOf } from '../../src/render/finding-text.js';
import { plainStyle } from '../../src/render/style.js';

const kb = loadKnowledgeBase();
const plain = plainStyle;

describe('the lifetime in the headline', () => {
  // 4.4.7 arrives when the retrying is over: it must not say that the server retries.
  it.each([
    ['452 4.2.2 Mailbox full', 'temporary: the server retries'],
    ['4.4.7', 'failed: the server has stopped retrying'],
    ['#550 4.4.7 QUEUE.Expired; message expired ##', 'failed: the server has stopped retrying'],
    ['550 5.1.1 User unknown', 'permanent'],
  ])('%s: %s', (input, label) => {
    expect(lifetimeOf(explainText(kb, input).findings[0]!, plain)).toBe(label);
  });
});
