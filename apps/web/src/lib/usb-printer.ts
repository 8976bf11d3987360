// A USB label printer reached straight from the browser with WebUSB (Chrome and Edge on Android,
// ChromeOS, Windows, macOS and Linux): no print agent, no dialog. Finds the printer-class
// interface (USB class 7) and its bulk OUT endpoint, sends ZPL in 16 KB transfers, and asks a
// bidirectional printer for its state with ZPL's ~HS before each label, so "out of labels",
// "paused" and "head open" stop a run before a label is lost. Every failure is a PrinterError
// whose message says what to do.

// The part of WebUSB we use (TypeScript's DOM library does not declare it).
export interface UsbEndpointLike {
  endpointNumber: number;
  direction: "in" | "out";
  type: "bulk" | "interrupt" | "isochronous";
}
export interface UsbInterfaceLike {
  interfaceNumber: number;
  alternate: { interfaceClass: number; endpoints: UsbEndpointLike[] };
}
export interface UsbDeviceLike {
  vendorId: number;
  productId: number;
  serialNumber?: string | undefined;
  productName?: string | undefined;
  manufacturerName?: string | undefined;
  opened: boolean;
  configuration: { interfaces: UsbInterfaceLike[] } | null;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(value: number): Promise<void>;
  claimInterface(n: number): Promise<void>;
  transferOut(endpoint: number, data: BufferSource): Promise<{ status: string; bytesWritten: number }>;
  transferIn(endpoint: number, length: number): Promise<{ status: string; data?: DataView }>;
}
export interface UsbLike extends EventTarget {
  requestDevice(options: { filters: { classCode?: number; vendorId?: number }[] }): Promise<UsbDeviceLike>;
  getDevices(): Promise<UsbDeviceLike[]>;
}

export function webUsb(): UsbLike | undefined {
  return (navigator as { usb?: UsbLike }).usb;
}

/** Why this browser cannot print straight to a USB printer, or undefined when it can. */
export function webUsbMissingReason(): string | undefined {
  if (webUsb()) return undefined;
  if (!window.isSecureContext)
    return "This page is not on a secure (https) address, so the browser keeps USB printers from it.";
  return "This browser cannot talk to USB printers (WebUSB is in Chrome and Edge, on Android, ChromeOS, Windows, macOS and Linux; not in Safari or Firefox).";
}

export type PrinterProblem =
  | "unplugged"
  | "out_of_labels"
  | "paused"
  | "head_open"
  | "ribbon_out"
  | "refused"
  | "busy";

export class PrinterError extends Error {
  constructor(
    readonly problem: PrinterProblem,
    message: string,
  ) {
    super(message);
  }
}

const WORDS: Record<PrinterProblem, string> = {
  unplugged: "The printer was unplugged or switched off: plug it in and switch it on, then Resume.",
  out_of_labels: "The printer is out of labels: load a new roll, then Resume.",
  paused: "The printer is paused: press its pause button, then Resume.",
  head_open: "The printer's head is open: close it, then Resume.",
  ribbon_out: "The printer is out of ribbon: load a new ribbon, then Resume.",
  refused:
    "The printer refused the label (USB transfer stalled): switch the printer off and on, then Resume.",
  busy: "Another program holds this printer (on Windows its driver, on Linux the usblp module): close it or switch the printer to WinUSB, then pair it again.",
};

export const problemWords = (p: PrinterProblem) => WORDS[p];

/** What ~HS tells us (the fields a person must act on). */
export interface PrinterStatus {
  paperOut: boolean;
  paused: boolean;
  headOpen: boolean;
  ribbonOut: boolean;
  /** Formats received and not yet printed. */
  formatsWaiting: number;
}

const STX = String.fromCharCode(2);
const ETX = String.fromCharCode(3);

/** Parses a ~HS answer: three <STX>…<ETX> strings. */
export function parseHostStatus(answer: string): PrinterStatus | undefined {
  // Each string is framed by STX (0x02) and ETX (0x03).
  const strings: string[][] = [];
  let from = answer.indexOf(STX);
  while (from >= 0) {
    const end = answer.indexOf(ETX, from + 1);
    if (end < 0) break;
    strings.push(answer.slice(from + 1, end).split(","));
    from = answer.indexOf(STX, end + 1);
  }
  const [one, two] = strings;
  if (!one || !two || one.length < 5 || two.length < 4) return undefined;
  return {
    paperOut: one[1] === "1",
    paused: one[2] === "1",
    formatsWaiting: Number(one[4]) || 0,
    headOpen: two[2] === "1",
    ribbonOut: two[3] === "1",
  };
}

function problemOf(status: PrinterStatus): PrinterProblem | undefined {
  if (status.headOpen) return "head_open";
  if (status.paperOut) return "out_of_labels";
  if (status.ribbonOut) return "ribbon_out";
  if (status.paused) return "paused";
  return undefined;
}

function asPrinterError(err: unknown): PrinterError {
  if (err instanceof PrinterError) return err;
  const name = (err as { name?: string })?.name;
  const message = String((err as { message?: string })?.message ?? err);
  if (
    name === "NotFoundError" ||
    name === "NetworkError" ||
    /disconnected|not found|no device/i.test(message)
  )
    return new PrinterError("unplugged", WORDS.unplugged);
  if (name === "SecurityError" || /claim|access denied|in use/i.test(message))
    return new PrinterError("busy", WORDS.busy);
  return new PrinterError("refused", `${WORDS.refused} (${message})`);
}

const CHUNK = 16 * 1024;
const encoder = new TextEncoder();

export class UsbPrinter {
  private constructor(
    readonly device: UsbDeviceLike,
    private readonly out: number,
    private readonly in_: number | undefined,
  ) {}

  get name(): string {
    return printerName(this.device);
  }

  /** Opens the device and claims its printer interface. */
  static async connect(device: UsbDeviceLike): Promise<UsbPrinter> {
    try {
      if (!device.opened) await device.open();
      if (!device.configuration) await device.selectConfiguration(1);
      const interfaces = device.configuration?.interfaces ?? [];
      const bulkOut = (i: UsbInterfaceLike) =>
        i.alternate.endpoints.find((e) => e.direction === "out" && e.type === "bulk");
      const chosen =
        interfaces.find((i) => i.alternate.interfaceClass === 7 && bulkOut(i)) ?? interfaces.find(bulkOut);
      const out = chosen && bulkOut(chosen);
      if (!chosen || !out)
        throw new PrinterError(
          "refused",
          "This USB device has no printer connection Consign can use: pair the label printer itself.",
        );
      await device.claimInterface(chosen.interfaceNumber);
      const inEndpoint = chosen.alternate.endpoints.find((e) => e.direction === "in" && e.type === "bulk");
      return new UsbPrinter(device, out.endpointNumber, inEndpoint?.endpointNumber);
    } catch (err) {
      throw asPrinterError(err);
    }
  }

  /** Sends bytes (ZPL) in 16 KB transfers. */
  async send(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    try {
      for (let at = 0; at < bytes.length; at += CHUNK) {
        const result = await this.device.transferOut(
          this.out,
          bytes.subarray(at, at + CHUNK) as BufferSource,
        );
        if (result.status !== "ok") throw new PrinterError("refused", WORDS.refused);
      }
    } catch (err) {
      throw asPrinterError(err);
    }
  }

  /** The printer's state from ~HS, or undefined when it cannot answer (one-way printers). */
  async status(timeoutMs = 1500): Promise<PrinterStatus | undefined> {
    if (this.in_ === undefined) return undefined;
    await this.send("~HS\r\n");
    let answer = "";
    const deadline = Date.now() + timeoutMs;
    const decoder = new TextDecoder("latin1");
    while (Date.now() < deadline && answer.split(ETX).length - 1 < 3) {
      const read = this.device.transferIn(this.in_, 512);
      const timer = new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())));
      let result: Awaited<typeof read> | null;
      try {
        result = await Promise.race([read, timer]);
      } catch (err) {
        throw asPrinterError(err);
      }
      if (!result) break;
      if (result.data) answer += decoder.decode(result.data);
    }
    return parseHostStatus(answer);
  }

  /** Throws a PrinterError in words when the printer cannot print now. */
  async ready(): Promise<void> {
    const status = await this.status();
    const problem = status && problemOf(status);
    if (problem) throw new PrinterError(problem, WORDS[problem]);
  }

  async close(): Promise<void> {
    try {
      await this.device.close();
    } catch {
      // already gone
    }
  }
}

export function printerName(
  device: Pick<UsbDeviceLike, "manufacturerName" | "productName" | "vendorId">,
): string {
  const name = [device.manufacturerName, device.productName].filter(Boolean).join(" ").trim();
  return name || `USB printer ${device.vendorId.toString(16).padStart(4, "0")}`;
}
