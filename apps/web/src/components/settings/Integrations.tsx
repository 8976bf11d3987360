// Settings → Integrations (owner only): API keys, and webhook endpoints with their log.
import { ApiKeys } from "./ApiKeys.tsx";
import { Webhooks } from "./Webhooks.tsx";
import "../../styles/integrations.css";

/** Owner only: API keys and webhook endpoints for integrations. */
export function Integrations() {
  return (
    <div data-testid="integrations">
      <ApiKeys />
      <Webhooks />
    </div>
  );
}
