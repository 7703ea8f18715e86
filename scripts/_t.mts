import { openAssistant } from "../src/app.js";
import { loadConfig, secretsOf } from "../src/config.js";
import { createLogger } from "../src/log.js";
const config = loadConfig();
const a = await openAssistant(config, createLogger("warn", secretsOf(config)));
for (const [d, s] of [["nd-80-2021-nd-cp","D27.1"],["nd-80-2021-nd-cp","D22.6.c"],["nq-57-tw-2024","II.2"],["kh-ctr77","IV.2"],["kh-ctr77","II.3.b"]]) { const x = a.section(d!, s!); console.log(s, x?.headingIsText, JSON.stringify(x?.breadcrumb).slice(0, 300)); }
