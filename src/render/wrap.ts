/** Wraps prose to `width` columns, indenting every line by `indent` and continuation lines by `hang` more. */
export function wrap(text: string, width: number, indent = '', hang = ''): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = indent;
    let empty = true;
    for (const w of para.split(/ +/).filter(Boolean)) {
      if (!empty && line.length + 1 + w.length > width) {
        out.push(line);
        line = indent + hang + w;
      } else {
        line += (empty ? '' : ' ') + w;
      }
      empty = false;
    }
    out.push(line);
  }
  return out.join('\n');
}
