// Guards against floods and duplicate deliveries (the shared implementations live in src/store), and the length
// of a question as users see it.
export {
  memoryChatMemory,
  memoryRateStore,
  memorySeenStore,
  RateLimiter,
  SeenSet,
  type Clock,
  type RateDecision,
} from "../store/memory.js";

const graphemes = new Intl.Segmenter("vi", { granularity: "grapheme" });

/** Characters as users see them: an emoji or a letter with combining marks counts once. */
export function visibleLength(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

/**
 * UTF-16 units one visible character may take in text people type (a family emoji with skin tones is 11, a flag 4,
 * a Vietnamese letter with two combining marks 3): text longer than `max × this` is over a cap of `max` visible
 * characters without counting, which is what keeps refusing a 65 KB paste cheap.
 */
export const MAX_UNITS_PER_CHARACTER = 12;

/**
 * Whether `text` has more than `max` visible characters, at a cost bounded by the cap rather than by the text: by
 * length alone when it is short or very long, else by counting at most `max + 1` characters.
 */
export function exceedsVisibleLength(text: string, max: number): boolean {
  if (text.length <= max) return false;
  if (text.length > max * MAX_UNITS_PER_CHARACTER) return true;
  let n = 0;
  for (const _ of graphemes.segment(text)) if (++n > max) return true;
  return false;
}
