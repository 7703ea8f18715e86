// Split long text into chunks that fit a platform's message limit, preferring natural boundaries.

/** Measures a piece as the platform will count it (e.g. the length of its escaped HTML). */
export type Measure = (piece: string) => number;

const plainLength: Measure = (s) => s.length;

// Boundaries from most to least preferred: paragraph, line, sentence end, word.
const boundaries: RegExp[] = [/\n\s*\n/g, /\n/g, /[.!?;:…](?=\s)/g, /\s/g];

/** Index just after the last boundary of `pattern` inside `window` (0 when none). */
function lastBoundary(window: string, pattern: RegExp): number {
  let cut = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(window); m; m = pattern.exec(window)) {
    cut = m.index + m[0].length;
    if (m[0].length === 0) pattern.lastIndex++;
  }
  return cut;
}

/** Longest prefix length of `text` whose measure fits `limit` (measure grows with length). */
function longestFit(text: string, limit: number, measure: Measure): number {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(text.slice(0, mid)) <= limit) lo = mid;
    else hi = mid - 1;
  }
  // Never cut a surrogate pair (emoji) in half.
  const code = text.charCodeAt(lo - 1);
  if (lo > 1 && code >= 0xd800 && code <= 0xdbff) lo--;
  return lo;
}

/**
 * Split `text` into trimmed chunks with `measure(chunk) <= limit`, cutting at the last paragraph break
 * that fits, else a line break, a sentence end, a space, and only as a last resort mid-word.
 */
export function splitText(text: string, limit: number, measure: Measure = plainLength): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest) {
    if (measure(rest) <= limit) {
      chunks.push(rest);
      break;
    }
    const fit = longestFit(rest, limit, measure);
    if (fit === 0) throw new Error(`splitText: limit ${limit} is too small for any text`);
    // Look one character past the fit so a boundary right at the limit counts.
    const window = rest.slice(0, fit + 1);
    let cut = 0;
    for (const b of boundaries) {
      cut = Math.min(lastBoundary(window, b), fit);
      if (rest.slice(0, cut).trim()) break;
      cut = 0;
    }
    if (cut === 0) cut = fit;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  return chunks;
}

/**
 * Pack already-fitting blocks into as few messages as possible, never splitting a block. Blocks are
 * joined by a blank line, or a single line break when `tight`. Blocks longer than `limit` must be split
 * beforehand (see `splitText`).
 */
export function packBlocks(blocks: Array<{ text: string; tight?: boolean }>, limit: number, measure: Measure = plainLength): string[] {
  const out: string[] = [];
  let current = "";
  for (const block of blocks) {
    if (!block.text) continue;
    const joined = current ? current + (block.tight ? "\n" : "\n\n") + block.text : block.text;
    if (measure(joined) <= limit) current = joined;
    else {
      if (current) out.push(current);
      current = block.text;
    }
  }
  if (current) out.push(current);
  return out;
}
