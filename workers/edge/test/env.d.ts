// Types for `cloudflare:workers` env and exports inside the tests.
type EdgeEnv = import("../src/env.ts").Env;
type EdgeModule = typeof import("../src/index.ts");

declare namespace Cloudflare {
  interface Env extends EdgeEnv {}
  interface GlobalProps {
    mainModule: EdgeModule;
  }
}
