import { describe, expect, it } from 'vitest';
import { fitLines } from '../../src/render/fit.js';
import { renderSteps } from '../../src/render/steps.js';
import { wrap } from '../../src/render/wrap.js';

describe('renderSteps: numbered steps, lettered substeps, each wrapped under itself', () => {
  const steps = ['Open the settings.', { text: 'Check the rule', substeps: ['its name', 'its \u001b[31mtarget'] }];
  it('numbers, letters and the sanitiser', () =>
    expect(renderSteps(steps, { width: 80, indent: '  ' })).toEqual([
      '  1. Open the settings.',
      '  2. Check the rule',
      '     a. its name',
      '     b. its \\x1b[31mtarget',
    ]));
  it('fills each text first (explain puts the domain into ndr check-mx <domain>)', () =>
    expect(
      renderSteps(['Run ndr check-mx <domain>.'], { width: 80, indent: '', fill: (t) => t.replace('<domain>', 'contoso.com') }),
    ).toEqual(['1. Run ndr check-mx contoso.com.']));
  const long = `See https://example.com/${'x'.repeat(60)}`;
  it('wrap() by default; the filler given (the wizard cuts long words with fitLines), with the number as the hang', () => {
    expect(renderSteps([long], { width: 40, indent: ' ' })).toEqual([wrap(`1. ${long}`, 40, ' ', '   ')]);
    expect(renderSteps([long], { width: 40, indent: ' ', fit: fitLines })).toEqual([fitLines(`1. ${long}`, 40, ' ', '   ')]);
    expect(
      fitLines(`1. ${long}`, 40, ' ', '   ')
        .split('\n')
        .every((l) => l.length <= 40),
    ).toBe(true);
  });
});
