/**
 * A solution's steps as numbered lines, substeps lettered under them: the one
 * layout of explain's answer and the wizard's solutions.
 */
import type { Step } from '../knowledge/types.js';
import { sanitize } from './sanitize.js';
import { wrap } from './wrap.js';

export interface StepOptions {
  width: number;
  indent: string;
  /** Applied to each step's text before it is sanitised (explain fills in `ndr check-mx <domain>`). */
  fill?: (text: string) => string;
  /** The line filler: wrap(), or fitLines() where a long word may be cut (the wizard). */
  fit?: (text: string, width: number, indent: string, hang: string) => string;
}

export function renderSteps(steps: Step[], o: StepOptions): string[] {
  const fill = o.fill ?? ((text: string) => text);
  const fit = o.fit ?? wrap;
  const lines: string[] = [];
  steps.forEach((step, i) => {
    const num = `${i + 1}. `;
    lines.push(fit(sanitize(num + fill(typeof step === 'string' ? step : step.text)), o.width, o.indent, ' '.repeat(num.length)));
    if (typeof step !== 'string') {
      step.substeps.forEach((sub, j) => {
        const mark = `${String.fromCharCode(97 + (j % 26))}. `;
        lines.push(fit(sanitize(mark + fill(sub)), o.width, `${o.indent}   `, ' '.repeat(mark.length)));
      });
    }
  });
  return lines;
}
