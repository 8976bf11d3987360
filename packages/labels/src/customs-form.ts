// CN22 and CN23 customs declarations on a 4x6 in page (288 x 432 pt), printed right after the
// parcel's label. The wording and boxes follow the UPU forms Royal Mail accepts: the category of
// the contents, one line per item (description, quantity, net weight, value, HS tariff number,
// country of origin), totals, the sender's certificate, and for the CN23 (goods over £270) the
// sender and addressee, and the IOSS number for EU parcels.
import {
  type Address,
  ConsignError,
  CUSTOMS_CATEGORIES,
  type CustomsCategory,
  type CustomsDeclaration,
  ErrorCode,
} from "@consign/domain";
import { Content } from "./pdf/content.ts";
import { PdfFile } from "./pdf/pdf-file.ts";
import { fitText, toWinAnsi, wrapText } from "./text/winansi.ts";

export const CUSTOMS_FORM_WIDTH = 288;
export const CUSTOMS_FORM_HEIGHT = 432;
const M = 10;
const W = CUSTOMS_FORM_WIDTH - 2 * M;

export interface CustomsFormInput {
  orderId: string;
  declaration: CustomsDeclaration;
  sender: Address & { companyName?: string };
  recipient: Address;
  /** The courier's name ("Royal Mail"), printed as the designated operator. */
  courierName?: string;
  /** Epoch ms; printed as the date of the certificate. */
  date: number;
}

const CATEGORY_WORDS: Record<CustomsCategory, string> = {
  gift: "Gift",
  commercialSample: "Commercial sample",
  documents: "Documents",
  returnedGoods: "Returned goods",
  saleOfGoods: "Sale of goods",
  mixedContent: "Mixed content",
  other: "Other",
};

const kg = (grams: number) => (grams / 1000).toFixed(3);
const gbp = (pounds: number) => pounds.toFixed(2);

function addressLine(a: Address & { companyName?: string }): string {
  return [a.companyName, a.name, a.line1, a.line2, a.city, a.postcode, a.countryCode]
    .filter((p): p is string => typeof p === "string" && p.trim() !== "")
    .join(", ");
}

function drawForm(c: Content, input: CustomsFormInput): void {
  const d = input.declaration;
  const H = CUSTOMS_FORM_HEIGHT;
  let top = 0;
  const y = (t: number) => H - t;
  const text = (s: string, weight: "regular" | "bold", size: number, x: number, t: number, width = W) =>
    c.text(fitText(toWinAnsi(s), weight, size, width), weight, size, x, y(t));
  const rule = (t: number) => c.line(M, y(t), CUSTOMS_FORM_WIDTH - M, y(t), 0.75);

  c.raw("0 G\n");
  top = 20;
  text(`CUSTOMS DECLARATION ${d.form === "CN23" ? "CN 23" : "CN 22"}`, "bold", 13, M, top);
  text("May be opened officially", "regular", 7, M + 190, top, 90);
  top += 12;
  text(`Designated operator: ${input.courierName ?? "Royal Mail"}`, "regular", 7, M, top);
  text(`Order ${input.orderId}`, "regular", 7, M + 150, top, W - 150);
  top += 5;
  rule(top);

  // Category: a ticked box for the category declared, empty boxes for the others.
  top += 11;
  const shown = CUSTOMS_CATEGORIES.filter((k) => k !== "mixedContent");
  shown.forEach((k, i) => {
    const col = i % 3;
    const row = Math.floor(i / 3);
    const x = M + col * 90;
    const t = top + row * 11;
    c.raw(`0.5 w ${x} ${y(t) - 1} 7 7 re S\n`);
    if (k === d.category) c.text("X", "bold", 7, x + 1.4, y(t));
    c.text(toWinAnsi(CATEGORY_WORDS[k]), "regular", 7, x + 10, y(t));
  });
  top += Math.ceil(shown.length / 3) * 11;
  top += 1;
  rule(top);

  // Item lines.
  top += 10;
  text("Quantity and detailed description of contents", "bold", 6, M, top, 130);
  text("Weight (kg)", "bold", 6, M + 140, top, 45);
  text("Value (GBP)", "bold", 6, M + 190, top, 40);
  text("HS / origin", "bold", 6, M + 232, top, 36);
  const maxLines = d.form === "CN23" ? 7 : 9;
  const shownLines = d.lines.slice(0, maxLines);
  for (const line of shownLines) {
    top += 11;
    const words = wrapText(toWinAnsi(`${line.quantity} x ${line.description}`), "regular", 7, 135);
    c.text(words[0] ?? "", "regular", 7, M, y(top));
    text(kg(line.unitWeightGrams * line.quantity), "regular", 7, M + 140, top, 45);
    text(gbp(line.unitValue * line.quantity), "regular", 7, M + 190, top, 40);
    text(line.hsCode, "regular", 6, M + 232, top, 46);
    top += 8;
    text(`origin ${line.originCountry}`, "regular", 6, M + 232, top, 46);
  }
  if (d.lines.length > shownLines.length) {
    top += 10;
    text(
      `+ ${d.lines.length - shownLines.length} more lines: see the commercial invoice`,
      "regular",
      6,
      M,
      top,
    );
  }
  top += 5;
  rule(top);
  top += 11;
  const grams = d.lines.reduce((s, l) => s + l.unitWeightGrams * l.quantity, 0);
  text("Total gross weight (kg)", "bold", 7, M, top, 130);
  text(kg(grams), "bold", 8, M + 140, top, 45);
  text("Total value", "bold", 7, M + 190, top - 9, 60);
  text(`GBP ${gbp(d.totalValue)}`, "bold", 8, M + 190, top, 80);
  top += 5;
  rule(top);

  if (d.iossNumber) {
    top += 11;
    text(`IOSS number: ${d.iossNumber}`, "bold", 8, M, top);
  }
  if (d.form === "CN23") {
    top += 12;
    text("Sender", "bold", 7, M, top);
    top += 9;
    text(addressLine(input.sender), "regular", 6.5, M, top);
    top += 11;
    text("Addressee", "bold", 7, M, top);
    top += 9;
    text(addressLine(input.recipient), "regular", 6.5, M, top);
    top += 11;
    text(`Invoice: order ${input.orderId}`, "regular", 6.5, M, top);
  }
  top += 13;
  const certificate =
    "I certify that the particulars given in this customs declaration are correct and that this item does not contain any dangerous article prohibited by legislation or by postal or customs regulations.";
  for (const l of wrapText(toWinAnsi(certificate), "regular", 6, W)) {
    c.text(l, "regular", 6, M, y(top));
    top += 8;
  }
  top += 6;
  text(`Date: ${new Date(input.date).toISOString().slice(0, 10)}`, "regular", 7, M, top, 100);
  text(`Sender: ${input.sender.companyName ?? input.sender.name}`, "regular", 7, M + 100, top, W - 100);
}

/** One page per parcel: its CN22 (goods up to £270) or CN23, 4x6 in. */
export function renderCustomsForms(inputs: readonly CustomsFormInput[], compress = true): Uint8Array {
  if (inputs.length === 0) {
    throw new ConsignError(ErrorCode.BadRequest, "There is no customs declaration to print.");
  }
  const file = new PdfFile({
    width: CUSTOMS_FORM_WIDTH,
    height: CUSTOMS_FORM_HEIGHT,
    compress,
    title: "Customs declarations",
  });
  for (const input of inputs) {
    if (input.declaration.lines.length === 0) {
      throw new ConsignError(
        ErrorCode.BadRequest,
        `Order ${input.orderId} has no customs lines: add customs data for its SKUs under Settings → Stock → Customs.`,
      );
    }
    const c = new Content();
    drawForm(c, input);
    file.addPage(c.finish());
  }
  return file.finish();
}
