import type { AmazonSellerState } from "./amazon/state.ts";
import type { CourierAccountState } from "./couriers/state.ts";

/** Every binding and variable of the sandbox Worker. */
export interface SandboxEnv {
  AMAZON_SELLER: DurableObjectNamespace<AmazonSellerState>;
  COURIER_ACCOUNT: DurableObjectNamespace<CourierAccountState>;
  SANDBOX_CLIENT_ID: string;
  SANDBOX_CLIENT_SECRET: string;
  SANDBOX_PUBLIC_URL: string;
}
