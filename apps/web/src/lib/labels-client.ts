// The app's handle on the labels worker (started on first use, kept for the session).
import { type Remote, wrap } from "comlink";
import type { LabelsWorker } from "../workers/labels.worker.ts";

let worker: Remote<LabelsWorker> | null = null;

export function labelsWorker(): Remote<LabelsWorker> {
  if (!worker) {
    worker = wrap<LabelsWorker>(
      new Worker(new URL("../workers/labels.worker.ts", import.meta.url), { type: "module", name: "labels" }),
    );
    // A first print run in a fresh worker is ~3x slower (JIT); warm it while labels are being bought.
    void worker.warmUp(200);
  }
  return worker;
}

/** Prints a PDF at 100% scale through a hidden iframe; falls back to a new tab where printing is blocked. */
export function printPdf(pdf: Uint8Array, title = "labels"): void {
  const url = URL.createObjectURL(new Blob([pdf as BlobPart], { type: "application/pdf" }));
  const frame = document.createElement("iframe");
  frame.style.cssText = "position:fixed;right:0;bottom:0;width:0;height:0;border:0";
  frame.title = title;
  frame.src = url;
  // Where the packer was (a panel's Print button): the print dialog needs the frame focused, and
  // once it closes, keyboard focus goes back there rather than staying in the hidden frame.
  const before = document.activeElement as HTMLElement | null;
  frame.onload = () => {
    try {
      frame.contentWindow?.focus();
      frame.contentWindow?.print();
    } catch {
      window.open(url, "_blank", "noopener");
    }
    window.focus();
    if (before?.isConnected) before.focus();
    setTimeout(() => {
      frame.remove();
      URL.revokeObjectURL(url);
    }, 60_000);
  };
  document.body.append(frame);
}

export function openPdf(pdf: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([pdf as BlobPart], { type: "application/pdf" }));
  window.open(url, "_blank", "noopener");
}

export function download(content: Uint8Array | string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
