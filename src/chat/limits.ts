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
