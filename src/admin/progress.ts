// Progress of a corpus change, by phase. On a terminal: one redrawn bar on stderr with a spinner (the index
// build is one opaque step); elsewhere (logs, pipes, CI): one line per phase.

export interface Progress {
  /** Enter a phase; `fraction` (0–1) is how far the whole change is when the phase starts. */
  phase(label: string, fraction: number): void;
  done(): void;
}

export const noProgress: Progress = { phase() {}, done() {} };

const SPIN = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, width = 24): Progress {
  if (!stream.isTTY) {
    return {
      phase: (label, fraction) => void stream.write(`[${String(Math.round(fraction * 100)).padStart(3)}%] ${label}…\n`),
      done() {},
    };
  }
  let label = "";
  let fraction = 0;
  let tick = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    const filled = Math.round(fraction * width);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    const line = `${SPIN[tick++ % SPIN.length]} [${bar}] ${String(Math.round(fraction * 100)).padStart(3)}% ${label}`;
    stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (stream.columns || 80) - 1))}`);
  };
  return {
    phase(l, f) {
      label = l;
      fraction = Math.max(fraction, Math.min(1, f));
      draw();
      if (!timer) {
        timer = setInterval(draw, 120);
        timer.unref();
      }
    },
    done() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (label) stream.write("\r\x1b[2K");
      label = "";
    },
  };
}
