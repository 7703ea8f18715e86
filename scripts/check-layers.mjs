#!/usr/bin/env node
// Layer check for src/ (run by `npm run lint` and CI): fails on import cycles between files or between
// folders, on an import that goes up the declared order, and on functions longer than MAX_FUNCTION_LINES.
// Relative imports only (packages are not layers). Usage: node scripts/check-layers.mjs [--verbose]
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";

const MAX_FUNCTION_LINES = 80;

/**
 * Bottom to top. A file belongs to the tier of the longest prefix that matches its path under src/; it may
 * import from its own tier and the tiers below. Keep docs (README "Project layout") in step with this list.
 */
const TIERS = [
  ["config.ts", "log.ts", "types.ts", "metrics.ts", "process.ts"], // shared kernel: configuration, redacting logger, domain types, metrics, processes
  ["store/"], // shared state: SQLite/memory (one process) or PostgreSQL (replicas), behind small interfaces
  ["text/"], // Vietnamese text: normalisation, tokens, glossary
  ["corpus/manifest.ts", "corpus/profile.ts", "corpus/load.ts", "corpus/names.ts"], // the corpus as plain data
  ["sections/"], // documents → sections
  ["corpus/ingest/"], // DOCX/PDF/Markdown → checked text + metadata (parses sections to check a file)
  ["duties/"], // duty records extracted from sections (built with an index version)
  ["index/"], // index versions
  ["retrieve/"], // ranked sections
  ["answer/"], // answers
  ["eval/"], // evaluation metrics (used by the eval CLI)
  ["admin/"], // corpus administration: lock, staging, journal, snapshots, validation (answering passed in)
  ["chat/"], // channel-neutral conversation layer
  // adapters: platforms, HTTP, and the chat/HTTP front-ends of corpus administration
  ["channels/", "http/", "admin/chat.ts", "admin/http.ts", "admin/multipart.ts", "admin/messages.ts", "console/"],
  ["app.ts", "main.ts", "cli/"], // composition root and entry points
];

const root = resolve("src");
const verbose = process.argv.includes("--verbose");
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith(".d.ts")) files.push(full);
  }
};
walk(root);
const rel = (f) => relative(root, f).split("\\").join("/");

function tierOf(file) {
  let best = -1;
  let bestLength = -1;
  TIERS.forEach((prefixes, tier) => {
    for (const p of prefixes)
      if ((rel(file) === p || (p.endsWith("/") && rel(file).startsWith(p))) && p.length > bestLength) {
        best = tier;
        bestLength = p.length;
      }
  });
  return best;
}

/** Relative imports (static, re-exports, dynamic) resolved to files under src/. */
function importsOf(file) {
  const out = new Set();
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g)) {
    const target = resolve(dirname(file), m[1] || m[2]).replace(/\.js$/, "");
    const found = [`${target}.ts`, `${target}.mts`, join(target, "index.ts")].find((c) => existsSync(c));
    if (found?.startsWith(root)) out.add(found);
  }
  return out;
}

/** Strongly connected components with more than one node (Tarjan). */
function cycles(nodes, edges) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component);
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return found;
}

function longFunctions() {
  const ts = createRequire(resolve("package.json"))("typescript");
  const long = [];
  for (const f of files) {
    const sf = ts.createSourceFile(f, readFileSync(f, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (n) => {
      if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
        const start = sf.getLineAndCharacterOfPosition(n.getStart()).line;
        const lines = sf.getLineAndCharacterOfPosition(n.getEnd()).line - start + 1;
        if (lines > MAX_FUNCTION_LINES) long.push(`${rel(f)}:${start + 1} (${lines} lines)`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return long;
}

const problems = [];
const edges = new Map(files.map((f) => [f, importsOf(f)]));
for (const f of files) if (tierOf(f) < 0) problems.push(`not in any declared layer: src/${rel(f)} (add it to TIERS)`);
for (const [from, targets] of edges)
  for (const to of targets) if (tierOf(to) > tierOf(from)) problems.push(`upward import: src/${rel(from)} → src/${rel(to)}`);
for (const c of cycles(files, edges)) problems.push(`file cycle: ${c.map(rel).join(" ↔ ")}`);

const folder = (f) => (rel(f).includes("/") ? rel(f).split("/")[0] : null);
const folderEdges = new Map();
for (const [from, targets] of edges)
  for (const to of targets) {
    const [a, b] = [folder(from), folder(to)];
    if (a && b && a !== b) folderEdges.set(a, (folderEdges.get(a) ?? new Set()).add(b));
  }
for (const c of cycles([...folderEdges.keys()], folderEdges)) problems.push(`folder cycle: ${c.join(" ↔ ")}`);
for (const f of longFunctions()) problems.push(`function over ${MAX_FUNCTION_LINES} lines: src/${f}`);

if (verbose) TIERS.forEach((t, i) => console.log(`tier ${i}: ${t.join(" ")}`));
for (const p of problems) console.log(p);
console.log(`check-layers: ${files.length} files, ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
