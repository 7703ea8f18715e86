// Retrieval units: the paragraphs of each section, and the text each is found by.
import { ownText } from "../sections/parse.js";
import type { DocumentMeta, Section } from "../types.js";

/** A paragraph of a section: long sections (a Mục with eight bullets) are found by the bullet that matches. */
export interface Unit {
  section: Section;
  text: string;
}

/** Paragraph units of every section with text; short blocks (signature) stay whole. */
export function unitsOf(sections: Section[]): Unit[] {
  return sections.flatMap((section) => {
    const own = ownText(section);
    if (!own.length) return [];
    if (section.id === "signature") return [{ section, text: own.join(" ") }];
    return own.flatMap((p) => chunkParagraph(p).map((text) => ({ section, text })));
  });
}

const CHUNK = 450;

/** A very long enumeration ("…; …; …") is indexed clause group by clause group, so one clause can be found. */
export function chunkParagraph(paragraph: string): string[] {
  if (paragraph.length <= CHUNK * 1.5) return [paragraph];
  const out: string[] = [];
  let current = "";
  for (const clause of paragraph.split(/(?<=;)\s+/u)) {
    if (current && current.length + clause.length > CHUNK) {
      out.push(current);
      current = "";
    }
    current = current ? `${current} ${clause}` : clause;
  }
  if (current) out.push(current);
  return out;
}

/** The text a unit is found by: where it sits (breadcrumb), what it says, its table cells; the preamble also
 * carries the document's title and number so "văn bản nào, số mấy" questions find it. */
export function unitText(u: Unit, meta?: DocumentMeta): string {
  const fields = Object.entries(u.section.fields ?? {}).map(([k, v]) => `${k}: ${v}`);
  const about =
    u.section.id === "preamble" && meta
      ? [
          meta.title,
          `Số hiệu: ${meta.number ?? ""}`,
          `Ngày ban hành: ${meta.date ? meta.date.split("-").reverse().join("/") : ""}`,
          `Cơ quan ban hành: ${meta.issuer}`,
        ]
      : [];
  return [...u.section.breadcrumb, u.text, ...fields, ...about].join("\n");
}
