export * from "./classify.ts";
export * from "./compute.ts";
export * from "./definitions.ts";
export * from "./ledger.ts";
export * from "./status.ts";
export * from "./windows.ts";
