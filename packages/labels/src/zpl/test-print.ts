// The test print a seller sends from Settings after pairing a printer: it says which profile
// it was written for, draws a frame 2 mm inside the stock's edge (so a wrong stock size or
// offset shows at once) and a Code 128 at the label's module size (so a scanner can try it).

import { ZplFormat } from "./format.ts";
import { LABEL_STOCKS, type PrinterProfile, stockDots } from "./profile.ts";

export const TEST_PRINT_BARCODE = "CONSIGN-TEST-PRINT";

export function zplTestPrint(profile: PrinterProfile, printerName: string, at: Date = new Date()): string {
  const f = new ZplFormat(profile);
  const { width, height } = stockDots(profile);
  const inset = Math.round((2 / 25.4) * profile.dpi);
  f.raw(`^FO${inset},${inset}^GB${width - 2 * inset},${height - 2 * inset},4^FS\n`);
  f.text("Consign test print", "bold", 20, 16, 50);
  f.text(printerName, "regular", 11, 16, 80);
  f.text(`Label stock: ${LABEL_STOCKS[profile.stock].name}`, "regular", 11, 16, 110);
  f.text(`${profile.dpi} dpi · darkness ${profile.darkness} of 30`, "regular", 11, 16, 128);
  f.text(`Printed ${at.toISOString().slice(0, 16).replace("T", " ")} UTC`, "regular", 9, 16, 146);
  f.text("If the frame is cut off, the stock size is wrong.", "regular", 9, 16, 170);
  f.text("If bars are grey or bleed, change the darkness.", "regular", 9, 16, 184);
  const module = f.moduleDots(3);
  f.raw(`^FO${f.x(30)},${f.y(210)}^BY${module}^BCN,${f.dots(60)},Y,N,N,A^FD${TEST_PRINT_BARCODE}^FS\n`);
  return f.finish();
}
