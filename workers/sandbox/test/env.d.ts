// Types for `cloudflare:workers` env and exports inside the sandbox's tests.
type SandboxEnvType = import("../src/env.ts").SandboxEnv;
type SandboxModule = typeof import("../src/index.ts");

declare namespace Cloudflare {
  interface Env extends SandboxEnvType {}
  interface GlobalProps {
    mainModule: SandboxModule;
  }
}
