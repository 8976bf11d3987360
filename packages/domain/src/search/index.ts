export * from "./searchIndex.ts";
export * from "./tokens.ts";
export * from "./typo.ts";
