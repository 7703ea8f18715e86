// Structured duties: alias table, extraction, answers, deadlines, reminders, matrix.
export * from "./types.js";
export * from "./agencies.js";
export * from "./extract.js";
export * from "./answer.js";
export * from "./deadlines.js";
export * from "./store.js";
export * from "./scheduler.js";
export * from "./commands.js";
export * from "./matrix.js";
export * from "./load.js";
export { type DocumentLookup, lookupDocuments } from "./scope.js";
