// A STAND-IN USB label printer for the browser journeys. It is not a printer: an init script
// puts a fake `navigator.usb` in the page (Chromium's WebUSB needs real hardware and a person's
// click in the chooser) whose one device looks like a ZPL label printer (USB printer class 7, a
// bulk OUT and a bulk IN endpoint). It records every byte the app sends, answers ZPL's ~HS status
// query like a Zebra (out of labels / paused / head open can be switched on), and can be
// "unplugged" after a number of labels: further transfers fail as Chromium's do
// (NetworkError), and the device disappears from getDevices() until it is plugged in again.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bitmap1, bitmapToPng } from "@consign/labels";
import type { Page } from "playwright-core";

export const STAND_IN_PRINTER = `(() => {
  if (window !== window.top) return;
  const printer = { stream: "", plugged: true, paperOut: false, paused: false, headOpen: false, unplugAfter: Infinity, statusQueries: 0 };
  window.__printer = printer;
  const usb = new EventTarget();
  const gone = () => new DOMException("The device was disconnected.", "NetworkError");
  const formats = () => (printer.stream.match(/\\^XZ/g) || []).length;
  const device = {
    vendorId: 0x0a5f, productId: 0x0181, serialNumber: "STANDIN-0001",
    manufacturerName: "Stand-in", productName: "USB label printer (test)",
    opened: false,
    configuration: { interfaces: [{ interfaceNumber: 0, alternate: { interfaceClass: 7, endpoints: [
      { endpointNumber: 1, direction: "out", type: "bulk" },
      { endpointNumber: 2, direction: "in", type: "bulk" },
    ] } }] },
    async open() { if (!printer.plugged) throw new DOMException("The device was disconnected.", "NotFoundError"); this.opened = true; },
    async close() { this.opened = false; },
    async selectConfiguration() {},
    async claimInterface() { if (!printer.plugged) throw gone(); },
    async transferOut(endpoint, data) {
      if (!printer.plugged || !this.opened) throw gone();
      const bytes = new Uint8Array(data.buffer ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : data);
      const text = new TextDecoder("latin1").decode(bytes);
      if (text.startsWith("~HS")) { printer.statusQueries++; return { status: "ok", bytesWritten: bytes.length }; }
      printer.stream += text;
      if (formats() >= printer.unplugAfter) { printer.plugged = false; this.opened = false; usb.dispatchEvent(new Event("disconnect")); }
      return { status: "ok", bytesWritten: bytes.length };
    },
    async transferIn() {
      if (!printer.plugged || !this.opened) throw gone();
      const f = (b) => (b ? "1" : "0");
      const s = "\\x02030," + f(printer.paperOut) + "," + f(printer.paused) + ",1218,000,0,0,0,000,0,0,0\\x03\\r\\n" +
        "\\x02001,0," + f(printer.headOpen) + ",0,0,2,4,0,00000000,1,000\\x03\\r\\n\\x021234,0\\x03\\r\\n";
      return { status: "ok", data: new DataView(new TextEncoder().encode(s).buffer) };
    },
  };
  usb.requestDevice = async () => { localStorage.setItem("__standInPaired", "1"); return device; };
  usb.getDevices = async () => (localStorage.getItem("__standInPaired") && printer.plugged ? [device] : []);
  Object.defineProperty(navigator, "usb", { value: usb, configurable: true });
})()`;

export interface StandIn {
  stream: string;
  plugged: boolean;
  paperOut: boolean;
  unplugAfter: number;
}

export const standIn = (page: Page) => page.evaluate("window.__printer") as Promise<StandIn>;
export const setStandIn = (page: Page, patch: Partial<StandIn>) =>
  page.evaluate((p) => Object.assign((window as unknown as { __printer: object }).__printer, p), patch);

/** The formats (^XA…^XZ) the stand-in received, with the order and tracking number each names. */
export function formatsIn(stream: string): { zpl: string; orderId?: string; tracking?: string }[] {
  return stream
    .split(/(?<=\^XZ\n?)/)
    .filter((f) => f.includes("^XA"))
    .map((zpl) => {
      const tag = /\^FXConsign order (\S+) label (\S+)\^FS/.exec(zpl);
      return tag ? { zpl, orderId: tag[1], tracking: tag[2] } : { zpl };
    });
}

const dir = mkdtempSync(join(tmpdir(), "consign-standin-"));
let n = 0;
export function pngOf(bitmap: Bitmap1): string {
  const path = join(dir, `b${n++}.png`);
  writeFileSync(path, bitmapToPng(bitmap));
  return path;
}
export const cleanUpImages = () => rmSync(dir, { recursive: true, force: true });

export function zbar(png: string): string[] {
  try {
    return execFileSync("zbarimg", ["-q", "--raw", "-Sdisable", "-Scode128.enable", png], { timeout: 30_000 })
      .toString("latin1")
      .split("\n")
      .filter(Boolean);
  } catch (e) {
    if ((e as { status?: number }).status === 4) return [];
    throw e;
  }
}

export function dmtx(png: string): string {
  try {
    return execFileSync("dmtxread", ["-N", "1", "-m", "20000", png], { timeout: 60_000 }).toString("latin1");
  } catch {
    return "";
  }
}
