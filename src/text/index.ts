export * from "./vietnamese.js";
export * from "./tokens.js";
export * from "./glossary.js";
