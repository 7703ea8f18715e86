// Sections and paragraph units of a loaded version, read per segment on first use: loading a version reads no
// segment's sections (the bulk of an index's JSON), and a query reads those of the few documents it cites.
import type { DocumentMeta, Section } from "../types.js";
import { unitsOf, unitText, type Unit } from "./units.js";

interface SegmentSections {
  sections: Section[];
  units: Unit[];
  byId: Map<string, Section>;
}

export class SectionStore {
  private readonly cache = new Map<number, SegmentSections>();
  private readonly byDocId = new Map<string, number>();
  private every: Section[] | undefined;

  constructor(
    /** Reads the sections of document d's segment (verified against its checks). */
    private readonly read: (d: number) => Section[],
    private readonly documents: DocumentMeta[],
    /** Global id of each document's first unit. */
    private readonly bases: Uint32Array,
    /** Index in `documents` of each unit's document. */
    private readonly unitDoc: Uint32Array,
  ) {
    documents.forEach((d, i) => this.byDocId.set(d.id, i));
  }

  private segment(d: number): SegmentSections {
    let s = this.cache.get(d);
    if (!s) {
      const sections = this.read(d);
      s = { sections, units: unitsOf(sections), byId: new Map(sections.map((x) => [x.id, x])) };
      this.cache.set(d, s);
    }
    return s;
  }

  unit(i: number): Unit {
    const d = this.unitDoc[i]!;
    const u = this.segment(d).units[i - this.bases[d]!];
    if (!u) throw new Error(`No unit ${i} in the index`);
    return u;
  }

  unitText(i: number): string {
    return unitText(this.unit(i), this.documents[this.unitDoc[i]!]);
  }

  section(doc: string, id: string): Section | undefined {
    const d = this.byDocId.get(doc);
    return d === undefined ? undefined : this.segment(d).byId.get(id);
  }

  /** The sections of one document (reads its segment only); empty for an unknown id. */
  sectionsOf(doc: string): Section[] {
    const d = this.byDocId.get(doc);
    return d === undefined ? [] : this.segment(d).sections;
  }

  /** Every section of every document, in document order (reads every segment: administration only). */
  all(): Section[] {
    this.every ??= this.documents.flatMap((_, d) => this.segment(d).sections);
    return this.every;
  }
}
