import type { AmazonSellerState } from "./amazon/state.ts";
import type { CourierAccountState } from "./couriers/state.ts";

/** Every binding and variable of the sandbox Worker. */
export interface SandboxEnv {
  AMAZON_SELLER: DurableObjectNamespace<AmazonSellerState>;
  COURIER_ACCOUNT: DurableObjectNamespace<CourierAccountState>;
  SANDBOX_CLIENT_ID: string;
  SANDBOX_CLIENT_SECRET: string;
  SANDBOX_PUBLIC_URL: string;
  /** The sandbox's AWS credentials: SQS requests must be SigV4-signed with them (defaults in notifications/sqs.ts). */
  SANDBOX_AWS_ACCESS_KEY_ID?: string;
  SANDBOX_AWS_SECRET_ACCESS_KEY?: string;
}
