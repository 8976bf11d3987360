// The naive way to make labels, for comparison: pdf-lib drawing calls for every element and
// bwip-js for both barcodes (one rectangle per bar and per run of dark DataMatrix modules).
import bwipjs from "bwip-js/node";
import { PDFDocument, type PDFFont, rgb, StandardFonts } from "pdf-lib";
import type { LabelData } from "../src/label-data.ts";
import { defaultDataMatrix } from "../src/mailmark.ts";
import { toWinAnsi } from "../src/text/winansi.ts";

interface BwipRaw {
  sbs?: number[];
  pixs?: number[];
  pixx?: number;
  pixy?: number;
}
const raw = (bwipjs as unknown as { raw(bcid: string, text: string): BwipRaw[] }).raw;

export async function naiveLabels(labels: readonly LabelData[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const black = rgb(0, 0, 0);
  for (const l of labels) {
    const page = doc.addPage([288, 432]);
    const text = (t: string, font: PDFFont, size: number, x: number, top: number) =>
      page.drawText(toWinAnsi(t), { x, y: 432 - top, size, font, color: black });
    text(l.courierName.toUpperCase(), bold, 18, 12, 30);
    text(l.serviceName, regular, 11, 12, 46);
    text(`Weight: ${l.weightGrams ?? ""} g`, regular, 9, 12, 62);
    text(`Ref: ${l.reference ?? ""}`, regular, 9, 12, 75);
    text("FROM", bold, 7, 12, 96);
    text(l.sender.name, bold, 8, 44, 96);
    text(`${l.sender.line1}, ${l.sender.line2 ?? ""}`, regular, 8, 44, 106);
    text(`${l.sender.city} ${l.sender.postcode}`, regular, 8, 44, 116);
    text("DELIVER TO", bold, 8, 12, 136);
    text(l.recipient.name, bold, 14, 12, 154);
    let top = 170;
    for (const line of [l.recipient.line1, l.recipient.line2, l.recipient.city, l.recipient.county]) {
      if (line) text(line, regular, 12, 12, top);
      top += 14;
    }
    text(l.recipient.postcode, bold, 28, 12, 264);
    text(l.trackingNumber, bold, 14, 80, 372);
    text("ORDER", bold, 7, 12, 396);
    text(l.orderId, bold, 11, 48, 397);
    for (const t of [86, 124, 274, 380])
      page.drawLine({ start: { x: 8, y: 432 - t }, end: { x: 280, y: 432 - t } });

    const code = raw("code128", l.trackingNumber)[0];
    let x = 40;
    (code?.sbs ?? []).forEach((w, i) => {
      if (i % 2 === 0) page.drawRectangle({ x, y: 80, width: w * 1.064, height: 68, color: black });
      x += w * 1.064;
    });
    const dm = raw(
      "datamatrix",
      l.dataMatrix ?? defaultDataMatrix(l.trackingNumber, l.recipient.postcode, l.orderId),
    )[0];
    const n = dm?.pixx ?? 0;
    const px = dm?.pixs ?? [];
    const m = 2.128;
    for (let r = 0; r < n; r++) {
      let c = 0;
      while (c < n) {
        if (!px[r * n + c]) {
          c++;
          continue;
        }
        const start = c;
        while (c < n && px[r * n + c]) c++;
        page.drawRectangle({
          x: 206 + start * m,
          y: 422 - (r + 1) * m,
          width: (c - start) * m,
          height: m,
          color: black,
        });
      }
    }
  }
  return doc.save();
}
