// `npm start`: the web chat and every channel whose token is set; stops cleanly on SIGTERM/SIGINT.
// Variables come from the environment, then from .env in the working directory (the environment wins).
import { startServer } from "./app.js";
import { loadConfig, secretsOf, withEnvFile } from "./config.js";
import { createLogger } from "./log.js";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(withEnvFile(process.env));
} catch (err) {
  // Before a logger exists: the message names the variables and why, never their values.
  const line = { t: new Date().toISOString(), level: "error", msg: "startup failed", err: (err as Error).message };
  process.stderr.write(`${JSON.stringify(line)}\n`);
  process.exit(1);
}
const log = createLogger(config.LOG_LEVEL, secretsOf(config));

try {
  const running = await startServer(config, log);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    // Give in-flight answers a moment; never hang forever.
    const timer = setTimeout(() => {
      log.warn("shutdown timed out, exiting");
      process.exit(1);
    }, 15_000);
    timer.unref();
    running.close().then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      (err: unknown) => {
        log.error("shutdown failed", { err });
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
} catch (err) {
  log.error("startup failed", { err });
  process.exit(1);
}
