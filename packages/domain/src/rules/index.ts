export * from "./compile.ts";
export * from "./facts.ts";
export * from "./schema.ts";
export * from "./services.ts";
