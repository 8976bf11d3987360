// Types for `cloudflare:workers` env and exports inside the tests.
type EdgeEnv = import("../src/env.ts").Env;
type EdgeModule = typeof import("../src/index.ts");

declare namespace Cloudflare {
  interface Env extends EdgeEnv {}
  interface GlobalProps {
    mainModule: EdgeModule;
  }
}

/** Vite's raw imports (a file's text), used by tests that compare a config file with its source. */
declare module "*?raw" {
  const text: string;
  export default text;
}
