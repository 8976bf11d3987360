import { describe, expect, it } from "vitest";
import {
  assemblePart,
  DEFAULT_FETCH_POLICY,
  type FetchDeps,
  fetchLabelsFile,
  fetchOneLabel,
  fetchWithRetry,
  inOrder,
  type LabelsFile,
  type PartSource,
  planParts,
  RateGate,
  segmentsOf,
} from "./print-run.ts";

/** A clock that moves only when the code under test sleeps. */
function fakeDeps(
  answers: (() => Response | Promise<Response>)[],
): FetchDeps & { calls: number[]; slept: number } {
  let now = 0;
  const deps = {
    calls: [] as number[],
    slept: 0,
    fetch: async () => {
      deps.calls.push(now);
      const next = answers.shift();
      if (!next) throw new Error("no more answers");
      return next();
    },
    sleep: async (ms: number) => {
      now += ms;
      deps.slept += ms;
    },
    now: () => now,
    random: () => 0.5,
  };
  return deps;
}
const tooMany = (s: number) =>
  new Response(JSON.stringify({ error: { message: "Too many requests from this device" } }), {
    status: 429,
    headers: { "retry-after": String(s) },
  });
const pdf = () => new Response("%PDF-", { status: 200 });

describe("fetching labels within the device's limit", () => {
  it("waits as long as a 429 says and gets the label", async () => {
    const deps = fakeDeps([() => tooMany(2), () => tooMany(1), pdf]);
    const res = await fetchWithRetry("/l", async () => ({}), deps, DEFAULT_FETCH_POLICY, new RateGate(deps));
    expect(res.status).toBe(200);
    expect(deps.calls.length).toBe(3);
    expect(deps.calls[1]).toBeGreaterThanOrEqual(2000);
    expect(deps.calls[2]! - deps.calls[1]!).toBeGreaterThanOrEqual(1000);
  });

  it("backs off on 503 and dropped connections, then names the reason after the last try", async () => {
    const deps = fakeDeps([
      () => {
        throw new TypeError("Failed to fetch");
      },
      () => new Response(JSON.stringify({ error: { message: "Label store unavailable" } }), { status: 503 }),
      pdf,
    ]);
    expect(
      (await fetchWithRetry("/l", async () => ({}), deps, DEFAULT_FETCH_POLICY, new RateGate(deps))).ok,
    ).toBe(true);
    const failing = fakeDeps(Array.from({ length: 5 }, () => () => new Response("{}", { status: 502 })));
    await expect(
      fetchWithRetry("/l", async () => ({}), failing, DEFAULT_FETCH_POLICY, new RateGate(failing)),
    ).rejects.toThrow(/tried 5 times/);
  });

  it("gives up on a limit that never lifts and says so", async () => {
    const deps = fakeDeps(Array.from({ length: 200 }, () => () => tooMany(30)));
    await expect(
      fetchWithRetry(
        "/l",
        async () => ({}),
        deps,
        { ...DEFAULT_FETCH_POLICY, rateLimitedForMs: 60_000 },
        new RateGate(deps),
      ),
    ).rejects.toThrow(/Too many requests from this device \(still refused after 60 s\)/);
  });

  it("returns a 404 at once (the caller draws the label itself)", async () => {
    const deps = fakeDeps([() => new Response("{}", { status: 404 })]);
    expect(
      (await fetchWithRetry("/l", async () => ({}), deps, DEFAULT_FETCH_POLICY, new RateGate(deps))).status,
    ).toBe(404);
  });

  it("hands results over in the run's order while several are in flight", async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let most = 0;
    await inOrder(
      [5, 1, 4, 2, 3],
      3,
      async (n) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, n * 3));
        inFlight--;
        return n;
      },
      (n) => {
        seen.push(n);
        return true;
      },
    );
    expect(seen).toEqual([5, 1, 4, 2, 3]);
    expect(most).toBe(3);
  });
});

/** The edge's labels file as it answers: the PDF, and headers naming what it holds and leaves out. */
const labelsFile = (included: number, missing: { orderId: string; reason: string; code?: string }[] = []) =>
  new Response("%PDF-file", {
    status: 200,
    headers: {
      "consign-labels-included": String(included),
      "consign-labels-missing": String(missing.length),
      ...(missing.length ? { "consign-labels-missing-reasons": JSON.stringify(missing) } : {}),
    },
  });

describe("a part's labels as one file from the edge", () => {
  it("asks for the orders in one request and names each order the file leaves out", async () => {
    const urls: string[] = [];
    const deps = fakeDeps([
      () =>
        labelsFile(2, [
          { orderId: "202-2", reason: "no label bought (or it was voided)", code: "no_label" },
          { orderId: "202-4", reason: "courier document unavailable", code: "failed" },
        ]),
    ]);
    const fetch = deps.fetch;
    deps.fetch = (async (url: string) => {
      urls.push(url);
      return fetch(url);
    }) as never;
    const file = await fetchLabelsFile(
      ["202-1", "202-2", "202-3", "202-4"],
      async () => ({}),
      deps,
      DEFAULT_FETCH_POLICY,
      new RateGate(deps),
    );
    expect(urls).toEqual(["/api/v1/documents/labels.pdf?orderIds=202-1,202-2,202-3,202-4"]);
    expect(file.included).toEqual(["202-1", "202-3"]);
    expect(file.missing).toEqual({
      "202-2": "no label bought (or it was voided)",
      "202-4": "courier document unavailable",
    });
    // Only the room's "no active label" is final; a failure to read may pass if asked again.
    expect(file.noLabel).toEqual(["202-2"]);
    expect(new TextDecoder().decode(file.pdf!)).toBe("%PDF-file");
  });

  it("waits out the device's limit for the file like for one label", async () => {
    const deps = fakeDeps([() => tooMany(2), () => labelsFile(1)]);
    const file = await fetchLabelsFile(
      ["202-1"],
      async () => ({}),
      deps,
      DEFAULT_FETCH_POLICY,
      new RateGate(deps),
    );
    expect(file.included).toEqual(["202-1"]);
    expect(deps.calls[1]).toBeGreaterThanOrEqual(2000);
  });

  it("reads a 404 as none of them having a label, with each order's reason", async () => {
    const deps = fakeDeps([
      () =>
        new Response(
          JSON.stringify({
            error: {
              message: "None of these orders has a label to download.",
              fields: [{ path: "202-1", message: "not in the live list" }],
            },
          }),
          { status: 404 },
        ),
    ]);
    const file = await fetchLabelsFile(
      ["202-1", "202-2"],
      async () => ({}),
      deps,
      DEFAULT_FETCH_POLICY,
      new RateGate(deps),
    );
    expect(file).toEqual({
      pdf: null,
      included: [],
      missing: { "202-1": "not in the live list", "202-2": "None of these orders has a label to download." },
      noLabel: [],
    });
  });

  it("refuses a file that does not say what it holds (no order is counted in it)", async () => {
    const deps = fakeDeps([() => labelsFile(3)]);
    await expect(
      fetchLabelsFile(["202-1", "202-2"], async () => ({}), deps, DEFAULT_FETCH_POLICY, new RateGate(deps)),
    ).rejects.toThrow(/did not say which orders it holds/);
  });

  it("splits a run into a small first part and then whole parts, and a part into file requests", () => {
    expect(planParts(125, 10, 50)).toEqual([
      { from: 0, to: 10 },
      { from: 10, to: 60 },
      { from: 60, to: 110 },
      { from: 110, to: 125 },
    ]);
    expect(planParts(0, 10, 50)).toEqual([]);
    // A parcel with a customs page is fetched alone, in its place; a file holds at most `max`.
    const segments = segmentsOf([1, 2, 3, 4, 5, 6, 7], (n) => n === 3, 2).map(
      (s) => `${s.file ? "file" : "alone"}:${s.items.join("+")}`,
    );
    expect(segments).toEqual(["file:1+2", "alone:3", "file:4+5", "file:6+7"]);
  });
});

describe("one order's label", () => {
  /** Records the URLs asked for, answering in turn. */
  function recording(answers: (() => Response)[]) {
    const deps = fakeDeps(answers);
    const urls: string[] = [];
    const fetch = deps.fetch;
    deps.fetch = (async (url: string) => {
      urls.push(url);
      return fetch(url);
    }) as never;
    return { deps, urls, gate: new RateGate(deps) };
  }

  it("is the courier's document when the edge holds one", async () => {
    const { deps, urls, gate } = recording([() => new Response("%PDF-courier", { status: 200 })]);
    const bytes = await fetchOneLabel("202-1", async () => ({}), deps, DEFAULT_FETCH_POLICY, gate);
    expect(new TextDecoder().decode(bytes)).toBe("%PDF-courier");
    expect(urls).toEqual(["/api/v1/orders/202-1/label"]);
  });

  it("with no courier document, is the label the room draws while the order's label is active", async () => {
    const { deps, urls, gate } = recording([
      () => new Response(JSON.stringify({ error: { message: "no label" } }), { status: 404 }),
      () => labelsFile(1),
    ]);
    const bytes = await fetchOneLabel("202-1", async () => ({}), deps, DEFAULT_FETCH_POLICY, gate);
    expect(new TextDecoder().decode(bytes)).toBe("%PDF-file");
    expect(urls).toEqual(["/api/v1/orders/202-1/label", "/api/v1/documents/labels.pdf?orderIds=202-1"]);
  });

  it("is refused, with the room's reason, when another tablet voided it: nothing is drawn from this copy", async () => {
    const { deps, gate } = recording([
      () => new Response(JSON.stringify({ error: { message: "no label" } }), { status: 404 }),
      () =>
        new Response(
          JSON.stringify({
            error: {
              message: "Order 202-1 has no label to download: no label bought (or it was voided).",
              fields: [{ path: "202-1", message: "no label bought (or it was voided)" }],
            },
          }),
          { status: 404 },
        ),
    ]);
    await expect(fetchOneLabel("202-1", async () => ({}), deps, DEFAULT_FETCH_POLICY, gate)).rejects.toThrow(
      "no label bought (or it was voided)",
    );
  });
});

describe("assembling a part", () => {
  type Item = { orderId: string; customs?: boolean };
  const items = (...ids: string[]): Item[] =>
    ids.map((orderId) => ({ orderId, customs: orderId.endsWith("c") }));
  /** Pieces are strings; the merged part is their concatenation, so page order can be read back. */
  function source(opts: {
    file?: (ids: string[]) => LabelsFile | Error;
    one?: (item: Item) => string | Error;
  }): PartSource<Item> & { fileCalls: string[][]; oneCalls: string[] } {
    const enc = (t: string) => new TextEncoder().encode(t);
    const src = {
      fileCalls: [] as string[][],
      oneCalls: [] as string[],
      file: async (ids: string[]) => {
        src.fileCalls.push(ids);
        const r = opts.file?.(ids) ?? { pdf: enc(ids.join("")), included: ids, missing: {}, noLabel: [] };
        if (r instanceof Error) throw r;
        return r;
      },
      one: async (item: Item) => {
        src.oneCalls.push(item.orderId);
        const r = opts.one?.(item) ?? `${item.orderId}${item.customs ? "+cn22" : ""}`;
        if (r instanceof Error) throw r;
        return enc(r);
      },
      merge: async (docs: Uint8Array[]) => enc(docs.map((d) => new TextDecoder().decode(d)).join("|")),
      alone: (item: Item) => item.customs === true,
    };
    return src;
  }
  const text = (pdf: Uint8Array | null) => (pdf ? new TextDecoder().decode(pdf) : null);

  it("takes a part of labels in one request when the edge has them all", async () => {
    const src = source({});
    const part = await assemblePart(items("a", "b", "d"), src, 4);
    expect(src.fileCalls).toEqual([["a", "b", "d"]]);
    expect(src.oneCalls).toEqual([]);
    expect(part).toEqual({ pdf: new TextEncoder().encode("abd"), orderIds: ["a", "b", "d"], errors: {} });
  });

  it("fetches an order the file leaves out on its own, after the file, and names one it cannot have", async () => {
    const src = source({
      file: (ids) => ({
        pdf: new TextEncoder().encode(ids.filter((i) => i !== "b" && i !== "e").join("")),
        included: ids.filter((i) => i !== "b" && i !== "e"),
        // An edge that gives no codes: both are asked for alone.
        missing: { b: "no courier document", e: "no label bought (or it was voided)" },
        noLabel: [],
      }),
      one: (item) =>
        item.orderId === "e" ? new Error("Order e has no label to download: buy one first.") : "B",
    });
    const part = await assemblePart(items("a", "b", "d", "e"), src, 4);
    expect(src.oneCalls).toEqual(["b", "e"]);
    expect(text(part.pdf)).toBe("ad|B");
    expect(part.orderIds).toEqual(["a", "d", "b"]);
    expect(part.errors).toEqual({ e: "Order e has no label to download: buy one first." });
  });

  it("does not ask again, alone, for an order the room said has no active label (voided by another tablet)", async () => {
    const src = source({
      file: (ids) => ({
        pdf: new TextEncoder().encode(ids.filter((i) => i !== "b" && i !== "e").join("")),
        included: ids.filter((i) => i !== "b" && i !== "e"),
        missing: { b: "could not read the courier document", e: "no label bought (or it was voided)" },
        noLabel: ["e"],
      }),
      one: () => "B",
    });
    const part = await assemblePart(items("a", "b", "d", "e"), src, 4);
    expect(src.oneCalls).toEqual(["b"]);
    expect(text(part.pdf)).toBe("ad|B");
    expect(part.orderIds).toEqual(["a", "d", "b"]);
    expect(part.errors).toEqual({ e: "no label bought (or it was voided)" });
  });

  it("keeps a parcel's customs page right after its label, in its place in the part", async () => {
    const src = source({});
    const part = await assemblePart(items("a", "bc", "d"), src, 4);
    expect(src.fileCalls).toEqual([["a"], ["d"]]);
    expect(text(part.pdf)).toBe("a|bc+cn22|d");
    expect(part.orderIds).toEqual(["a", "bc", "d"]);
  });

  it("falls back to one label a request when the file cannot be had, each order with its own reason", async () => {
    const src = source({
      file: () => new Error("Service unavailable: tried 5 times"),
      one: (item) =>
        item.orderId === "b" ? new Error("Too many requests (still refused after 120 s)") : item.orderId,
    });
    const part = await assemblePart(items("a", "b"), src, 4);
    expect(src.oneCalls).toEqual(["a", "b"]);
    expect(text(part.pdf)).toBe("a");
    expect(part.orderIds).toEqual(["a"]);
    expect(part.errors).toEqual({ b: "Too many requests (still refused after 120 s)" });
  });

  it("gives no part when no label could be had, every order named", async () => {
    const src = source({
      file: (ids) => ({
        pdf: null,
        included: [],
        missing: Object.fromEntries(ids.map((i) => [i, "voided"])),
        noLabel: [],
      }),
      one: () => new Error("voided"),
    });
    expect(await assemblePart(items("a", "b"), src, 4)).toEqual({
      pdf: null,
      orderIds: [],
      errors: { a: "voided", b: "voided" },
    });
  });
});
