export * from "./errors.ts";
export * from "./order.ts";
