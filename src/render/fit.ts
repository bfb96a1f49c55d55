import { wrap } from './wrap.js';

/**
 * wrap(), with any word longer than a line (a long URL, a key) cut into
 * pieces that fit: the one place a line may break inside a word.
 */
export function fitLines(text: string, width: number, indent = '', hang = ''): string {
  const room = Math.max(10, width - indent.length - hang.length);
  const pieces = text.split('\n').map((para) =>
    para
      .split(/( +)/)
      .map((w) => (w.length > room ? (w.match(new RegExp(`.{1,${room}}`, 'gu')) ?? [w]).join(' ') : w))
      .join(''),
  );
  return wrap(pieces.join('\n'), width, indent, hang);
}
