import { validateRules } from "@consign/domain";
import { createSignal, For, onMount, Show } from "solid-js";
import { createStore, produce } from "solid-js/store";
import * as api from "../../lib/api.ts";
import { emptyRule, fieldOfPath, fromRule, type RuleForm, toRule } from "../../lib/rules-form.ts";
import { FormError } from "../FormError.tsx";

type Errors = Record<string, string>;
const key = (i: number, f: keyof RuleForm) => `${i}:${f}`;

/** The ordered list of shipping rules: the first rule that matches an order chooses its service. */
export function RulesEditor() {
  const [rules, setRules] = createStore<RuleForm[]>([]);
  const [errors, setErrors] = createSignal<Errors>({});
  const [error, setError] = createSignal<unknown>(null);
  const [saved, setSaved] = createSignal(false);

  onMount(async () => {
    try {
      const body = (await api.getRules()) as { rules?: unknown } | unknown[];
      const list = Array.isArray(body) ? body : Array.isArray(body?.rules) ? body.rules : [];
      setRules((list as Parameters<typeof fromRule>[0][]).map(fromRule));
    } catch (err) {
      setError(err);
    }
  });

  const fieldErrors = (list: { path: string; message: string }[]): Errors => {
    const out: Errors = {};
    for (const e of list) {
      const at = fieldOfPath(e.path);
      if (at) out[key(at[0], at[1])] ??= e.message;
    }
    return out;
  };

  async function save(e: SubmitEvent) {
    e.preventDefault();
    setSaved(false);
    setError(null);
    const input = rules.map(toRule);
    const v = validateRules(input);
    if (!v.ok) {
      setErrors(fieldErrors(v.errors));
      setError(
        new Error(
          `Fix the ${v.errors.length === 1 ? "highlighted field" : `${v.errors.length} highlighted fields`} before saving.`,
        ),
      );
      return;
    }
    setErrors({});
    try {
      await api.putRules({ rules: v.rules });
      setSaved(true);
    } catch (err) {
      if (err instanceof api.ApiError) setErrors(fieldErrors(err.fields));
      setError(err);
    }
  }
  const move = (i: number, by: number) =>
    setRules(
      produce((list) => {
        const [r] = list.splice(i, 1);
        if (r) list.splice(i + by, 0, r);
      }),
    );

  const input = (i: number, f: keyof RuleForm, label: string, hint?: string) => {
    const id = `rule-${i}-${f}`;
    return (
      <label class="field" for={id}>
        <span>{label}</span>
        <input
          id={id}
          value={String(rules[i]?.[f] ?? "")}
          placeholder={hint}
          aria-invalid={errors()[key(i, f)] ? "true" : undefined}
          aria-describedby={errors()[key(i, f)] ? `${id}-err` : undefined}
          onInput={(e) => setRules(i, f as "name", e.currentTarget.value)}
        />
        <Show when={errors()[key(i, f)]}>
          <span class="field-error" id={`${id}-err`}>
            {errors()[key(i, f)]}
          </span>
        </Show>
      </label>
    );
  };

  return (
    <section class="card" aria-labelledby="s-rules" data-testid="rules-editor">
      <h2 id="s-rules">Shipping rules</h2>
      <p class="muted">Checked from the top: the first rule whose conditions all hold chooses the service.</p>
      <form onSubmit={(e) => void save(e)} aria-label="Shipping rules">
        <ol class="rules">
          <For each={rules}>
            {(rule, i) => (
              <li class="rule" data-testid="rule">
                <div class="row">
                  <strong>Rule {i() + 1}</strong>
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={rule.enabled}
                      onChange={(e) => setRules(i(), "enabled", e.currentTarget.checked)}
                    />{" "}
                    Enabled
                  </label>
                  <span class="spacer" />
                  <button
                    type="button"
                    aria-label={`Move rule ${i() + 1} up`}
                    disabled={i() === 0}
                    onClick={() => move(i(), -1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    aria-label={`Move rule ${i() + 1} down`}
                    disabled={i() === rules.length - 1}
                    onClick={() => move(i(), 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    class="danger"
                    aria-label={`Delete rule ${i() + 1}`}
                    onClick={() => setRules(rules.filter((_, j) => j !== i()))}
                  >
                    Delete
                  </button>
                </div>
                <div class="grid3">
                  {input(i(), "name", "Name", "Heavy to Northern Ireland")}
                  {input(i(), "weightMin", "Weight from (g)")}
                  {input(i(), "weightMax", "Weight up to (g)")}
                  {input(i(), "countries", "Countries", "GB, IE")}
                  {input(i(), "postcodeAreas", "Postcode areas", "BT, IV, HS")}
                  <label class="field">
                    <span>Prime</span>
                    <select
                      value={rule.prime}
                      onChange={(e) => setRules(i(), "prime", e.currentTarget.value as RuleForm["prime"])}
                    >
                      <option value="">Prime or not</option>
                      <option value="yes">Prime only</option>
                      <option value="no">Not Prime</option>
                    </select>
                  </label>
                  {input(i(), "shipServiceLevels", "Amazon service levels", "NextDay, Expedited")}
                  {input(i(), "skuPrefixes", "SKU starts with", "MUG-, BIG-")}
                </div>
                <div class="grid3 then">
                  <label class="field">
                    <span>Courier</span>
                    <select
                      value={rule.courier}
                      onChange={(e) => setRules(i(), "courier", e.currentTarget.value)}
                    >
                      <option value="royal-mail">Royal Mail</option>
                      <option value="evri">Evri</option>
                      <option value="dpd">DPD</option>
                      <option value="amazon-shipping">Amazon Shipping</option>
                    </select>
                  </label>
                  {input(i(), "serviceCode", "Service code", "TPN24")}
                  <label class="field">
                    <span>Format</span>
                    <select
                      value={rule.format}
                      onChange={(e) => setRules(i(), "format", e.currentTarget.value)}
                    >
                      <option value="">Any</option>
                      <option value="letter">Letter</option>
                      <option value="large-letter">Large letter</option>
                      <option value="small-parcel">Small parcel</option>
                      <option value="medium-parcel">Medium parcel</option>
                      <option value="large-parcel">Large parcel</option>
                    </select>
                  </label>
                </div>
              </li>
            )}
          </For>
        </ol>
        <FormError error={error()} />
        <Show when={saved()}>
          <p class="notice" role="status">
            Rules saved.
          </p>
        </Show>
        <div class="row">
          <button type="button" onClick={() => setRules([...rules, emptyRule(rules.length + 1)])}>
            Add a rule
          </button>
          <button type="submit" class="primary">
            Save rules
          </button>
        </div>
      </form>
    </section>
  );
}
