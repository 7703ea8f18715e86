// Visual lines (of a PDF text layer or an OCR'd page) → paragraphs: lines only wrapped by the page width are
// joined, so a provision stays one paragraph.
import { STRUCTURE_RE } from "../../sections/clean.js";

export interface VisualLine {
  text: string;
  left: number;
  right: number;
}

/** Join a line to the previous one when the previous filled the text width and did not end a sentence. */
export function joinWrapped(lines: VisualLine[]): string[] {
  if (!lines.length) return [];
  const left = Math.min(...lines.map((l) => l.left));
  const right = Math.max(...lines.map((l) => l.right));
  const full = (l: VisualLine) => l.right >= right - (right - left) * 0.08;
  const out: string[] = [];
  let prev: VisualLine | null = null;
  for (const l of lines) {
    if (prev && out.length && full(prev) && !/[.;:!?]$/.test(prev.text) && !STRUCTURE_RE.test(l.text)) out[out.length - 1] += ` ${l.text}`;
    else out.push(l.text);
    prev = l;
  }
  return out;
}
