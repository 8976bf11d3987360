// The label printer paired with this tablet: a device setting (each bench has its own printer),
// kept in localStorage with the printer's profile and found again after a reload through
// WebUSB's remembered permissions (navigator.usb.getDevices), with no prompt.

import { checkPrinterProfile, DEFAULT_PROFILE, type PrinterProfile } from "@consign/labels";
import { createSignal } from "solid-js";
import { printerName, type UsbDeviceLike, UsbPrinter, webUsb } from "./usb-printer.ts";

const KEY = "consign.devicePrinter";
const PDF_NOTE_KEY = "consign.pdfDialogNoteSeen";

export interface DevicePrinter {
  name: string;
  vendorId: number;
  productId: number;
  serialNumber?: string;
  profile: PrinterProfile;
}

function load(): DevicePrinter | null {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? "null") as DevicePrinter | null;
    if (!raw || typeof raw.vendorId !== "number") return null;
    return { ...raw, profile: checkPrinterProfile(raw.profile) };
  } catch {
    return null; // an unreadable setting is as good as none: pair again
  }
}

const [saved, setSaved] = createSignal<DevicePrinter | null>(
  typeof localStorage === "undefined" ? null : load(),
);
export const devicePrinter = saved;

function store(p: DevicePrinter | null): void {
  if (p) localStorage.setItem(KEY, JSON.stringify(p));
  else localStorage.removeItem(KEY);
  setSaved(p);
}

const matches = (p: DevicePrinter, d: UsbDeviceLike) =>
  d.vendorId === p.vendorId &&
  d.productId === p.productId &&
  (p.serialNumber ?? "") === (d.serialNumber ?? "");

/** Asks the person to choose a USB printer (the browser's own chooser) and remembers it. */
export async function pairPrinter(): Promise<DevicePrinter> {
  const usb = webUsb();
  if (!usb) throw new Error("This browser cannot talk to USB printers.");
  let device: UsbDeviceLike;
  try {
    device = await usb.requestDevice({ filters: [{ classCode: 7 }] });
  } catch (err) {
    if ((err as { name?: string }).name === "NotFoundError")
      throw new Error("No printer was chosen. Plug the label printer in by USB, switch it on and try again.");
    throw err;
  }
  const printer = await UsbPrinter.connect(device); // proves we can claim it before remembering it
  const paired: DevicePrinter = {
    name: printer.name,
    vendorId: device.vendorId,
    productId: device.productId,
    profile: saved()?.profile ?? DEFAULT_PROFILE,
  };
  if (device.serialNumber) paired.serialNumber = device.serialNumber;
  store(paired);
  connected = printer;
  return paired;
}

export function saveProfile(profile: unknown): PrinterProfile {
  const current = saved();
  if (!current) throw new Error("Pair a printer first.");
  const checked = checkPrinterProfile(profile);
  store({ ...current, profile: checked });
  return checked;
}

export async function forgetPrinter(): Promise<void> {
  await connected?.close();
  connected = undefined;
  store(null);
}

let connected: UsbPrinter | undefined;

/** The paired printer, connected (found again among the browser's remembered devices after a reload). */
export async function connectPrinter(): Promise<UsbPrinter> {
  const p = saved();
  const usb = webUsb();
  if (!p || !usb) throw new Error("No label printer is paired with this tablet: pair one in Settings.");
  if (connected?.device.opened && matches(p, connected.device)) return connected;
  const device = (await usb.getDevices()).find((d) => matches(p, d));
  if (!device)
    throw new Error(`${p.name} is not connected: plug it in by USB and switch it on, then try again.`);
  connected = await UsbPrinter.connect(device);
  return connected;
}

/** Forget the open connection (after an unplug) so the next print connects afresh. */
export function dropConnection(): void {
  connected = undefined;
}

export { printerName };

/** The print dialog settings for the PDF path are shown once per device, then on request. */
export const pdfNoteSeen = () => localStorage.getItem(PDF_NOTE_KEY) === "1";
export const markPdfNoteSeen = () => localStorage.setItem(PDF_NOTE_KEY, "1");
