// Converted text → the stored form: NFC, one logical line per paragraph, single blank lines, no decoration.
import { nfc } from "../../text/vietnamese.js";
import type { SourceFormat } from "./sniff.js";

/** Lines that only draw a rule under a heading ("-----", "___", "* * *") in converted documents. */
const RULE = /^[\s\-_=*~.·•]{3,}$/u;

export function normalizeText(text: string, format: SourceFormat): string {
  const lines = nfc(text.replace(/^\ufeff/, ""))
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.replace(/\t/g, " ").replace(/[ \u3000]+$/u, ""));
  if (format === "md" || format === "txt") {
    // The operator's own text: keep its layout, only tidy whitespace and runs of blank lines.
    return `${lines
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim()}\n`;
  }
  const kept = lines.map((l) => l.replace(/ {2,}/g, " ").trim()).filter((l) => l && !RULE.test(l));
  // One paragraph per line with a blank line between (readable Markdown); table rows stay together.
  const isRow = (l: string | undefined) => !!l?.startsWith("|");
  return `${kept.map((l, i) => (i === 0 ? l : (isRow(l) && isRow(kept[i - 1]) ? "\n" : "\n\n") + l)).join("")}\n`;
}
