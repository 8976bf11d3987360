import { ErrorBoundary, type JSX, Suspense } from "solid-js";

/**
 * One part of a screen that reads from the edge: while it loads, or if the edge cannot answer
 * (offline, a failed request), only this part says so; the rest of the screen stays usable.
 */
export function Section(props: { name: string; children: JSX.Element }) {
  return (
    <ErrorBoundary
      fallback={(err: unknown, reset) => (
        <section class="card" role="alert" data-testid="section-error">
          <p>
            {props.name} could not load: {err instanceof Error ? err.message : String(err)}{" "}
            <button type="button" onClick={reset}>
              Try again
            </button>
          </p>
        </section>
      )}
    >
      <Suspense
        fallback={
          <section class="card">
            <p class="muted" role="status">
              Loading {props.name.toLowerCase()}…
            </p>
          </section>
        }
      >
        {props.children}
      </Suspense>
    </ErrorBoundary>
  );
}
