// npm run matrix [-- --format md|csv|html] [--all | --doc <id> …] [--corpus <dir>] [--out <dir>]
// Prints the responsibility matrix (agency × duties) of the plan as Markdown and CSV (default both).
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config.js";
import { loadCorpusDuties } from "../duties/load.js";
import { buildMatrix, renderMatrixCsv, renderMatrixHtml, renderMatrixMarkdown } from "../duties/matrix.js";

function main(): number {
  const { values } = parseArgs({
    options: {
      format: { type: "string" },
      all: { type: "boolean", default: false },
      doc: { type: "string", multiple: true },
      corpus: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "Usage: npm run matrix -- [--format md|csv|html] [--all | --doc <id> ...] [--corpus <dir>] [--out <dir>]\n" +
        'Default: Markdown and CSV of the documents that carry duties (manifest "duties") on stdout;\n' +
        "--out writes trach-nhiem.{md,csv,html}.\n",
    );
    return 0;
  }
  const formats = values.format ? [values.format] : ["md", "csv"];
  if (formats.some((f) => !["md", "csv", "html"].includes(f))) {
    process.stderr.write(`Unknown --format ${values.format} (use md, csv or html)\n`);
    return 2;
  }
  const corpusDir = values.corpus ? path.resolve(values.corpus) : loadConfig().corpusDir;
  const { duties, agencies, docs } = loadCorpusDuties(corpusDir, {
    all: values.all,
    ...(values.doc?.length ? { docIds: values.doc } : {}),
  });
  if (!duties.length) {
    process.stderr.write("No duties found in the selected documents\n");
    return 1;
  }
  const rows = buildMatrix(duties, agencies, docs);
  const render = { md: renderMatrixMarkdown, csv: renderMatrixCsv, html: renderMatrixHtml } as const;
  for (const f of formats as (keyof typeof render)[]) {
    const text = render[f](rows);
    if (values.out) {
      const file = path.join(values.out, `trach-nhiem.${f}`);
      fs.mkdirSync(values.out, { recursive: true });
      // A BOM lets spreadsheet programs open the Vietnamese CSV as UTF-8.
      fs.writeFileSync(file, (f === "csv" ? "\ufeff" : "") + text + (text.endsWith("\n") ? "" : "\n"));
      process.stderr.write(`Wrote ${file} (${rows.length} rows)\n`);
    } else {
      process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
      if (formats.length > 1) process.stdout.write("\n");
    }
  }
  return 0;
}

process.exitCode = main();
