// Types for `cloudflare:workers` env and exports inside the tests.
declare namespace Cloudflare {
  interface Env extends import("../src/env.ts").Env {}
  interface GlobalProps {
    mainModule: typeof import("../src/index.ts");
  }
}
