// A Mailmark-like 2D payload. Royal Mail's real Mailmark barcode needs a licensed supply chain
// id and item id issued by Royal Mail; this follows its shape (UPU country id "JGB ", format,
// version, class, ids, destination and return postcodes) with the tracking number as item id,
// so a scan of our DataMatrix finds the tracking number. It is not a certified Mailmark.

export interface MailmarkInput {
  trackingNumber: string;
  recipientPostcode: string;
  senderPostcode: string;
  serviceCode?: string;
}

const compactPostcode = (p: string, width: number) =>
  p
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .slice(0, width)
    .padEnd(width, " ");

export function mailmarkPayload(input: MailmarkInput): string {
  const cls = /48|2ND|CRL48|TPS/i.test(input.serviceCode ?? "") ? "2" : "1";
  return [
    "JGB ", // UPU country identifier
    "0", // information type: domestic
    "1", // version
    cls, // mail class
    input.trackingNumber.toUpperCase().padEnd(13, " "),
    compactPostcode(input.recipientPostcode, 7),
    "  ", // delivery point suffix (unknown)
    compactPostcode(input.senderPostcode, 7),
  ].join("");
}

/** Payload for labels that bring no DataMatrix text of their own. */
export function defaultDataMatrix(
  trackingNumber: string,
  recipientPostcode: string,
  orderId: string,
): string {
  return `${trackingNumber} ${compactPostcode(recipientPostcode, 7).trim()} ${orderId}`;
}
