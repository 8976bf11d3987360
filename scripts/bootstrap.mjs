// Installs what a fresh machine lacks (pnpm, dependencies). Idempotent.
import { ensureDeps, ensurePnpm } from "./lib.mjs";

ensureDeps(ensurePnpm());
