// The order acknowledgement feed Amazon takes for merchant-fulfilled orders (written from the XSDs in
// specs/amazon-xsd: amzn-envelope, amzn-header, OrderAcknowledgement, ProcessingReport), and a small
// strict reader for the processing report Amazon answers with. Workers have no DOMParser; the report
// is plain elements and text, so a reader of exactly that is enough and refuses anything else.

/** Amazon's reasons for cancelling an order line (OrderAcknowledgement.xsd, Item/CancelReason). */
export const CANCEL_REASONS = [
  "NoInventory",
  "ShippingAddressUndeliverable",
  "CustomerExchange",
  "BuyerCanceled",
  "GeneralAdjustment",
  "CarrierCreditDecision",
  "RiskAssessmentInformationNotValid",
  "CarrierCoverageFailure",
  "CustomerReturn",
  "MerchandiseNotReceived",
] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export interface OrderCancellation {
  /** Amazon's order id, "3-7-7" characters (AmazonOrderID in amzn-base.xsd). */
  amazonOrderId: string;
  /** Each line to cancel: Amazon's 14-digit order item code, with the reason. */
  items: { orderItemId: string; reason: CancelReason }[];
}

const ORDER_ID = /^\w{3}-\w{7}-\w{7}$/;
const ITEM_CODE = /^\d{14}$/;

const xmlText = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The feed document: one message per order, StatusCode Failure (the seller is not fulfilling it) and
 * each item with its CancelReason. Throws when an id does not have the shape the XSD requires, so a
 * typo never reaches Amazon as a rejected feed minutes later.
 */
export function orderAcknowledgementFeed(
  merchantId: string,
  cancellations: readonly OrderCancellation[],
): string {
  if (!merchantId) throw new Error("The merchant identifier (selling partner id) is missing.");
  if (cancellations.length === 0) throw new Error("No order to cancel.");
  const messages = cancellations.map((c, i) => {
    if (!ORDER_ID.test(c.amazonOrderId)) {
      throw new Error(`"${c.amazonOrderId}" is not an Amazon order id (3-7-7 characters).`);
    }
    if (c.items.length === 0) throw new Error(`Order ${c.amazonOrderId}: name the items to cancel.`);
    const items = c.items.map((it) => {
      if (!ITEM_CODE.test(it.orderItemId)) {
        throw new Error(
          `Order ${c.amazonOrderId}: "${it.orderItemId}" is not an Amazon order item code (14 digits).`,
        );
      }
      if (!CANCEL_REASONS.includes(it.reason))
        throw new Error(`"${it.reason}" is not one of Amazon's cancel reasons.`);
      return `      <Item>
        <AmazonOrderItemCode>${it.orderItemId}</AmazonOrderItemCode>
        <CancelReason>${it.reason}</CancelReason>
      </Item>`;
    });
    return `  <Message>
    <MessageID>${i + 1}</MessageID>
    <OrderAcknowledgement>
      <AmazonOrderID>${xmlText(c.amazonOrderId)}</AmazonOrderID>
      <StatusCode>Failure</StatusCode>
${items.join("\n")}
    </OrderAcknowledgement>
  </Message>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header>
    <DocumentVersion>1.01</DocumentVersion>
    <MerchantIdentifier>${xmlText(merchantId)}</MerchantIdentifier>
  </Header>
  <MessageType>OrderAcknowledgement</MessageType>
${messages.join("\n")}
</AmazonEnvelope>
`;
}

// ---- reading XML ----

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

/** Reads elements and text (attributes, comments, the declaration and CDATA are allowed); throws on anything malformed. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const s = source.replace(/^\uFEFF/, "");
  const fail = (why: string): never => {
    throw new Error(`Not well-formed XML at character ${i}: ${why}.`);
  };
  const skipMisc = () => {
    for (;;) {
      while (i < s.length && /\s/.test(s[i]!)) i++;
      if (s.startsWith("<?", i)) {
        const end = s.indexOf("?>", i);
        if (end < 0) fail("unclosed declaration");
        i = end + 2;
      } else if (s.startsWith("<!--", i)) {
        const end = s.indexOf("-->", i);
        if (end < 0) fail("unclosed comment");
        i = end + 3;
      } else return;
    }
  };
  const decode = (t: string) =>
    t.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
      if (e === "lt") return "<";
      if (e === "gt") return ">";
      if (e === "amp") return "&";
      if (e === "quot") return '"';
      if (e === "apos") return "'";
      return String.fromCodePoint(e[1] === "x" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    });
  const element = (): XmlElement => {
    if (s[i] !== "<") fail("expected an element");
    const open = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(
      s.slice(i),
    );
    if (!open) fail("malformed start tag");
    const [whole, name, , selfClosing] = open!;
    i += whole.length;
    const el: XmlElement = { name: name!, children: [], text: "" };
    if (selfClosing) return el;
    for (;;) {
      if (i >= s.length) fail(`<${name}> is never closed`);
      if (s.startsWith("</", i)) {
        const close = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(s.slice(i));
        if (!close || close[1] !== name) fail(`expected </${name}>`);
        i += close![0].length;
        el.text = el.text.trim();
        return el;
      }
      if (s.startsWith("<!--", i)) {
        const end = s.indexOf("-->", i);
        if (end < 0) fail("unclosed comment");
        i = end + 3;
      } else if (s.startsWith("<![CDATA[", i)) {
        const end = s.indexOf("]]>", i);
        if (end < 0) fail("unclosed CDATA");
        el.text += s.slice(i + 9, end);
        i = end + 3;
      } else if (s[i] === "<") {
        el.children.push(element());
      } else {
        const next = s.indexOf("<", i);
        const raw = s.slice(i, next < 0 ? s.length : next);
        if (/&(?!(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) fail("a bare &");
        el.text += decode(raw);
        i += raw.length;
      }
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i < s.length) fail("text after the root element");
  return root;
}

export const child = (el: XmlElement, name: string) => el.children.find((c) => c.name === name);
export const childrenNamed = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);

export interface ProcessingResult {
  messageId: number;
  code: "Error" | "Warning";
  messageCode: string;
  description: string;
  amazonOrderId?: string;
}

export interface ProcessingReport {
  status: "Complete" | "Processing" | "Rejected";
  processed: number;
  successful: number;
  withError: number;
  withWarning: number;
  results: ProcessingResult[];
}

/** Amazon's processing report for a feed (ProcessingReport.xsd inside an AmazonEnvelope). */
export function parseProcessingReport(xml: string): ProcessingReport {
  const root = parseXml(xml);
  const report =
    root.name === "ProcessingReport"
      ? root
      : root.name === "AmazonEnvelope"
        ? childrenNamed(root, "Message")
            .map((m) => child(m, "ProcessingReport"))
            .find((r) => r !== undefined)
        : undefined;
  if (!report) throw new Error("The processing report has no <ProcessingReport>.");
  const status = child(report, "StatusCode")?.text;
  if (status !== "Complete" && status !== "Processing" && status !== "Rejected") {
    throw new Error(`The processing report's StatusCode is "${status ?? ""}".`);
  }
  const summary = child(report, "ProcessingSummary");
  const n = (name: string) => {
    const v = summary ? child(summary, name)?.text : undefined;
    return v === undefined ? 0 : Number(v);
  };
  const results = childrenNamed(report, "Result").map((r): ProcessingResult => {
    const info = child(r, "AdditionalInfo");
    const orderId = info ? child(info, "AmazonOrderID")?.text : undefined;
    return {
      messageId: Number(child(r, "MessageID")?.text ?? 0),
      code: child(r, "ResultCode")?.text === "Warning" ? "Warning" : "Error",
      messageCode: child(r, "ResultMessageCode")?.text ?? "",
      description: child(r, "ResultDescription")?.text ?? "",
      ...(orderId ? { amazonOrderId: orderId } : {}),
    };
  });
  return {
    status,
    processed: n("MessagesProcessed"),
    successful: n("MessagesSuccessful"),
    withError: n("MessagesWithError"),
    withWarning: n("MessagesWithWarning"),
    results,
  };
}
