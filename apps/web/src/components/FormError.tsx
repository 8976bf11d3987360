import { Show } from "solid-js";
import { ApiError } from "../lib/api.ts";

/** The person-readable message of a failed request, announced to screen readers. */
export function FormError(props: { error: unknown }) {
  const message = () => {
    const e = props.error;
    if (!e) return null;
    return e instanceof Error ? e.message : String(e);
  };
  return (
    <Show when={message()}>
      <p class="form-error" role="alert" data-testid="form-error">
        {message()}
      </p>
    </Show>
  );
}

/** The message for one field of a failed request, if the edge named it. */
export function fieldError(error: unknown, path: string): string | undefined {
  return error instanceof ApiError ? error.field(path) : undefined;
}
