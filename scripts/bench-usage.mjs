// Preloaded into a measured child (node --import ./scripts/bench-usage.mjs …): at exit, one line on stderr with
// the process's own peak resident memory and CPU time, so the benchmark measures the real command users run.
import fs from "node:fs";

process.on("exit", () => {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  const line = { benchUsage: { peakRssMiB: Math.round(maxRSS / 1024), cpuMs: Math.round((userCPUTime + systemCPUTime) / 1000) } };
  fs.writeSync(2, `\n${JSON.stringify(line)}\n`);
});
