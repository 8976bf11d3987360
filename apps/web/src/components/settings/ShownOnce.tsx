import { createSignal } from "solid-js";

/** A secret shown once, with a copy button; it is gone when the person dismisses it. */
export function ShownOnce(props: {
  label: string;
  /** What the person should do with it, after "Copy it now". */
  detail?: string | undefined;
  value: string;
  testId: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = createSignal(false);
  return (
    <div class="shown-once" role="status" data-testid={props.testId}>
      <p>
        <strong>{props.label}</strong> Copy it now: Consign shows it only this once.
        {props.detail ? ` ${props.detail}` : ""}
      </p>
      <code data-testid={`${props.testId}-value`}>{props.value}</code>
      <div class="row">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard
              ?.writeText(props.value)
              .then(() => setCopied(true))
              .catch(() => setCopied(false))
          }
        >
          {copied() ? "Copied" : "Copy"}
        </button>
        <button type="button" class="primary" onClick={() => props.onDone()}>
          I have stored it
        </button>
      </div>
    </div>
  );
}
