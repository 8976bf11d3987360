import type { Order } from "@consign/domain";
import { createSignal, For, onCleanup, onMount, Show } from "solid-js";
import * as api from "../lib/api.ts";
import { beep, startAudio } from "../lib/beep.ts";
import { findOrderByScan, PackingCheck, type PackLine } from "../lib/packing.ts";
import { navigate } from "../lib/router.ts";
import { type Workspace, workspace } from "../lib/workspace.ts";
import "../styles/scan.css";

type Feedback = { tone: "ok" | "wrong" | "info" | "done"; text: string } | null;

interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
declare const BarcodeDetector: { new (opts?: { formats?: string[] }): BarcodeDetectorLike } | undefined;

/** Full-screen scan station: scan an order (or its tracking number), verify each item, dispatch on the last. */
export default function ScanScreen() {
  return (
    <Show when={workspace()} fallback={<p class="loading">Opening your orders…</p>}>
      {(ws) => <ScanStation ws={ws()} />}
    </Show>
  );
}

function ScanStation(props: { ws: Workspace }) {
  const store = props.ws.orders;
  const [started, setStarted] = createSignal(false);
  const [order, setOrder] = createSignal<Order | null>(null);
  const [lines, setLines] = createSignal<PackLine[]>([]);
  const [feedback, setFeedback] = createSignal<Feedback>(null);
  const [camera, setCamera] = createSignal(false);
  let check: PackingCheck | null = null;
  let field!: HTMLInputElement;
  let video: HTMLVideoElement | undefined;
  let stream: MediaStream | null = null;
  let scanTimer: ReturnType<typeof setInterval> | undefined;
  const hasDetector = typeof BarcodeDetector !== "undefined";

  // Keep the scan field focused: a keyboard-wedge scanner types into whatever has focus.
  const refocus = () => {
    if (started() && document.activeElement !== field) setTimeout(() => field?.focus(), 0);
  };
  onMount(() => document.addEventListener("focusin", refocus));
  onCleanup(() => {
    document.removeEventListener("focusin", refocus);
    stopCamera();
    props.ws.presence.openOrder(null);
  });

  function open(o: Order) {
    check = new PackingCheck(o);
    setOrder(o);
    setLines(check.lines.map((l) => ({ ...l })));
    props.ws.presence.openOrder(o.orderId);
    const others = props.ws.presence.onOrder(o.orderId);
    setFeedback({
      tone: "info",
      text: `Order ${o.orderId}: scan each item.${others.length ? ` ${others.map((p) => p.user.name).join(", ")} also has it open.` : ""}`,
    });
  }

  async function dispatch(o: Order) {
    if (o.state !== "label_bought" && o.state !== "printed") {
      setFeedback({
        tone: "done",
        text: "All items packed. This order has no label yet: buy one from the orders list.",
      });
      return;
    }
    setFeedback({ tone: "done", text: "All items packed — dispatching…" });
    try {
      await props.ws.outbox.submit(api.dispatchCommand([o.orderId]), `Dispatch ${o.orderId}`);
      setFeedback({ tone: "done", text: `Order ${o.orderId} dispatched. Scan the next order.` });
    } catch (err) {
      setFeedback({ tone: "wrong", text: `Not dispatched: ${(err as Error).message}` });
    }
    check = null;
    setOrder(null);
    props.ws.presence.openOrder(null);
  }

  function handle(code: string) {
    code = code.trim();
    if (!code) return;
    store.version();
    if (check && order()) {
      const r = check.scan(code);
      setLines(check.lines.map((l) => ({ ...l })));
      if (r.kind === "not_in_order") {
        // Maybe the packer moved on to the next parcel.
        const other = findOrderByScan(code, store.byId.values(), store.byId);
        if (other && other.orderId !== order()!.orderId) {
          beep.ok();
          open(other);
          return;
        }
        beep.wrong();
        setFeedback({ tone: "wrong", text: `Not in this order: ${code}` });
      } else if (r.kind === "already_packed") {
        beep.wrong();
        setFeedback({
          tone: "wrong",
          text: `Already packed: ${r.line.title} (${r.line.scanned}/${r.line.expected})`,
        });
      } else {
        if (r.complete) {
          beep.done();
          void dispatch(store.byId.get(order()!.orderId) ?? order()!);
        } else {
          beep.ok();
          setFeedback({ tone: "ok", text: `${r.line.title}: ${r.line.scanned}/${r.line.expected}` });
        }
      }
      return;
    }
    const found = findOrderByScan(code, store.byId.values(), store.byId);
    if (found) {
      beep.ok();
      open(found);
    } else {
      beep.wrong();
      setFeedback({ tone: "wrong", text: `No order or tracking number ${code} on this device` });
    }
  }

  async function startCamera() {
    if (!hasDetector || !video) return;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.srcObject = stream;
      await video.play();
      setCamera(true);
      const detector = new BarcodeDetector!({
        formats: ["code_128", "ean_13", "qr_code", "data_matrix", "upc_a"],
      });
      let last = "";
      let lastAt = 0;
      scanTimer = setInterval(async () => {
        if (!video || video.readyState < 2) return;
        const codes = await detector.detect(video).catch(() => []);
        const value = codes[0]?.rawValue;
        // Ignore the same code held in view for a moment: one scan per presentation.
        if (value && (value !== last || Date.now() - lastAt > 2000)) {
          last = value;
          lastAt = Date.now();
          handle(value);
        }
      }, 250);
    } catch (err) {
      setFeedback({ tone: "wrong", text: `Camera not available: ${(err as Error).message}` });
    }
  }
  function stopCamera() {
    clearInterval(scanTimer);
    for (const t of stream?.getTracks() ?? []) t.stop();
    stream = null;
    setCamera(false);
  }

  function start() {
    startAudio();
    setStarted(true);
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
    setTimeout(() => field.focus(), 0);
  }
  function exit() {
    stopCamera();
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    navigate("/");
  }

  return (
    <main class="scan" id="main" data-testid="scan-station">
      <header class="scan-head">
        <h1>Scan station</h1>
        <span class="spacer" />
        <Show when={started() && hasDetector}>
          <button
            type="button"
            onClick={() => (camera() ? stopCamera() : void startCamera())}
            data-testid="camera-toggle"
          >
            {camera() ? "Stop camera" : "Use camera"}
          </button>
        </Show>
        <Show when={started() && !hasDetector}>
          <span class="muted" data-testid="camera-unavailable">
            No camera scanning: this browser cannot read barcodes. Use a barcode scanner.
          </span>
        </Show>
        <button type="button" onClick={exit}>
          Exit
        </button>
      </header>
      <Show
        when={started()}
        fallback={
          <div class="scan-start">
            <p>
              Scan an order's number or its label's tracking number, then each item. The last item dispatches
              the order.
            </p>
            <button type="button" class="primary big" onClick={start} data-testid="start-shift">
              Start shift
            </button>
          </div>
        }
      >
        <form
          class="scan-form"
          onSubmit={(e) => {
            e.preventDefault();
            handle(field.value);
            field.value = "";
          }}
        >
          <label for="scan-input" class="visually-hidden">
            Scan
          </label>
          <input
            id="scan-input"
            ref={field}
            class="scan-input"
            autocomplete="off"
            autocapitalize="off"
            spellcheck={false}
            inputmode="none"
            aria-label="Scan"
            placeholder={order() ? "Scan an item" : "Scan an order or tracking number"}
            data-testid="scan-input"
            onBlur={refocus}
          />
        </form>
        <video
          ref={video}
          class="scan-video"
          classList={{ on: camera() }}
          muted
          playsinline
          aria-label="Camera"
          data-testid="scan-video"
        />
        <Show when={feedback()}>
          {(f) => (
            <p
              class={`scan-feedback ${f().tone}`}
              role={f().tone === "wrong" ? "alert" : "status"}
              data-testid="scan-feedback"
              data-tone={f().tone}
            >
              <span aria-hidden="true">{f().tone === "wrong" ? "✕ " : f().tone === "info" ? "" : "✓ "}</span>
              {f().text}
            </p>
          )}
        </Show>
        <Show when={order()}>
          {(o) => (
            <section aria-label={`Order ${o().orderId}`}>
              <h2>
                Order {o().orderId} · {o().recipient?.name ?? o().buyerName ?? ""}{" "}
                {o().recipient?.postcode ?? ""}
              </h2>
              <ul class="item-cards">
                <For each={lines()}>
                  {(l) => (
                    <li
                      class="item-card"
                      classList={{ done: l.scanned >= l.expected }}
                      data-testid="item-card"
                      data-sku={l.sku}
                    >
                      <span class="count" data-testid="item-count">
                        {l.scanned}/{l.expected}
                      </span>
                      <span class="title">{l.title}</span>
                      <span class="muted">
                        SKU {l.sku} · ASIN {l.asin}
                      </span>
                      <span class="visually-hidden">{l.scanned >= l.expected ? "packed" : "to pack"}</span>
                    </li>
                  )}
                </For>
              </ul>
            </section>
          )}
        </Show>
      </Show>
    </main>
  );
}
