import type { SkuCustoms } from "@consign/domain";
import { createResource, createSignal, For, Show } from "solid-js";
import { ApiError, getSettings, patchSettings } from "../../lib/api.ts";

interface CustomsSettings {
  skuCustoms: Record<string, SkuCustoms>;
  iossNumber: string | null;
  skus: string[];
}

async function loadCustoms(): Promise<CustomsSettings> {
  const s = (await getSettings()) as {
    skuCustoms?: Record<string, SkuCustoms>;
    skuWeights?: Record<string, number>;
    iossNumber?: string | null;
  };
  const skuCustoms = s.skuCustoms ?? {};
  const skus = [...new Set([...Object.keys(s.skuWeights ?? {}), ...Object.keys(skuCustoms)])].sort();
  return { skuCustoms, iossNumber: s.iossNumber ?? null, skus };
}

/**
 * Customs data per SKU (description, HS tariff code, country of origin, and a declared value when
 * it is not the price paid) and the seller's IOSS number: parcels to the Channel Islands, the Isle
 * of Man, BFPO and abroad are refused a label until their SKUs have it.
 */
export function Customs(props: { canEdit: boolean; skus?: readonly string[] }) {
  const [data, { mutate }] = createResource(loadCustoms);
  const [error, setError] = createSignal<string | null>(null);
  const [saved, setSaved] = createSignal<string | null>(null);
  const skus = () => [...new Set([...(data()?.skus ?? []), ...(props.skus ?? [])])].sort();

  async function save(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const v = (k: string) => String(f.get(k) ?? "").trim();
    const skuCustoms: Record<string, Record<string, unknown>> = {};
    for (const sku of skus()) {
      const description = v(`d:${sku}`);
      const hsCode = v(`h:${sku}`);
      const originCountry = v(`o:${sku}`);
      const value = v(`v:${sku}`);
      if (!description && !hsCode && !originCountry && !value) continue; // no customs data for this SKU
      skuCustoms[sku] = {
        description,
        hsCode,
        originCountry,
        ...(value ? { unitValue: Number(value) } : {}),
      };
    }
    const ioss = v("ioss");
    try {
      const next = (await patchSettings({ skuCustoms, iossNumber: ioss || null })) as {
        skuCustoms: Record<string, SkuCustoms>;
        iossNumber: string | null;
      };
      mutate({ skuCustoms: next.skuCustoms, iossNumber: next.iossNumber, skus: data()?.skus ?? [] });
      setError(null);
      setSaved("Customs data saved.");
    } catch (err) {
      setSaved(null);
      // Name each SKU and field the API refused ("skuCustoms.MUG-1.hsCode: the HS tariff code is …").
      const fields = err instanceof ApiError ? err.fields : [];
      setError(
        fields.length
          ? fields.map((x) => `${x.path.replace(/^skuCustoms\./, "SKU ")}: ${x.message}`).join("; ")
          : (err as Error).message,
      );
    }
  }

  return (
    <section class="card" aria-labelledby="s-customs" data-testid="customs">
      <h2 id="s-customs">Customs</h2>
      <p class="muted">
        Parcels to the Channel Islands, the Isle of Man, BFPO addresses and abroad need a customs declaration
        (CN22 up to £270, CN23 above), printed with the label. The value is the price paid unless you enter
        one.
      </p>
      <Show when={data()} fallback={<p class="muted">Loading customs data…</p>}>
        {(d) => (
          <form onSubmit={save} aria-label="Customs data">
            <fieldset disabled={!props.canEdit}>
              <table class="stock-table">
                <thead>
                  <tr>
                    <th scope="col">SKU</th>
                    <th scope="col">Description (50 characters)</th>
                    <th scope="col">HS tariff code</th>
                    <th scope="col">Country of origin</th>
                    <th scope="col">Value £ (optional)</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={skus()}>
                    {(sku) => {
                      const c = d().skuCustoms[sku];
                      return (
                        <tr data-testid="customs-row" data-sku={sku}>
                          <td>{sku}</td>
                          <td>
                            <input
                              name={`d:${sku}`}
                              maxLength={50}
                              value={c?.description ?? ""}
                              aria-label={`Customs description of ${sku}`}
                            />
                          </td>
                          <td>
                            <input
                              name={`h:${sku}`}
                              inputMode="numeric"
                              value={c?.hsCode ?? ""}
                              aria-label={`HS tariff code of ${sku}`}
                            />
                          </td>
                          <td>
                            <input
                              name={`o:${sku}`}
                              maxLength={2}
                              size={3}
                              value={c?.originCountry ?? ""}
                              aria-label={`Country of origin of ${sku}`}
                            />
                          </td>
                          <td>
                            <input
                              name={`v:${sku}`}
                              type="number"
                              min="0.01"
                              step="0.01"
                              value={c?.unitValue ?? ""}
                              aria-label={`Declared value of ${sku}`}
                            />
                          </td>
                        </tr>
                      );
                    }}
                  </For>
                </tbody>
              </table>
              <Show when={skus().length === 0}>
                <p class="muted">No SKUs yet: they appear here once they have a weight or stock.</p>
              </Show>
              <label class="field">
                <span>Your IOSS number (EU parcels up to €150, when Amazon sends none)</span>
                <input
                  name="ioss"
                  value={d().iossNumber ?? ""}
                  placeholder="IM2760000742"
                  autocomplete="off"
                />
              </label>
              <button type="submit" class="primary">
                Save customs data
              </button>
            </fieldset>
          </form>
        )}
      </Show>
      <p role="status" class="muted">
        {saved()}
      </p>
      <Show when={error()}>
        <p role="alert" class="inline-error">
          {error()}
        </p>
      </Show>
    </section>
  );
}
