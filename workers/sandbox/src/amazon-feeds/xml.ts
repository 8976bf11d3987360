// The sandbox's own reader of feed XML (kept apart from the client's on purpose: a wire-true sandbox
// must not share the parser whose mistakes it is there to catch), and its check of an order
// acknowledgement feed against specs/amazon-xsd (amzn-envelope, amzn-header, OrderAcknowledgement).

export interface Node {
  name: string;
  children: Node[];
  text: string;
}

/** Elements and text; attributes, comments, declarations and CDATA accepted. Throws on malformed XML. */
export function readXml(source: string): Node {
  const s = source.replace(/^\uFEFF/, "");
  let i = 0;
  const bad = (why: string): never => {
    throw new Error(`XML Parsing Error at position ${i}: ${why}`);
  };
  const misc = () => {
    for (;;) {
      while (i < s.length && /\s/.test(s[i] as string)) i++;
      const open = s.startsWith("<?", i) ? "?>" : s.startsWith("<!--", i) ? "-->" : null;
      if (!open) return;
      const end = s.indexOf(open, i);
      if (end < 0) bad("unterminated declaration or comment");
      i = end + open.length;
    }
  };
  const entity = (t: string) =>
    t.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
      e === "lt"
        ? "<"
        : e === "gt"
          ? ">"
          : e === "amp"
            ? "&"
            : e === "quot"
              ? '"'
              : e === "apos"
                ? "'"
                : String.fromCodePoint(e[1] === "x" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1))),
    );
  const el = (): Node => {
    const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(s.slice(i));
    if (!m) return bad("expected a start tag");
    i += m[0].length;
    const node: Node = { name: m[1] as string, children: [], text: "" };
    if (m[3]) return node;
    for (;;) {
      if (i >= s.length) bad(`element <${node.name}> is not closed`);
      if (s.startsWith("</", i)) {
        const c = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(s.slice(i));
        if (!c || c[1] !== node.name) bad(`the end tag does not match <${node.name}>`);
        i += (c as RegExpExecArray)[0].length;
        node.text = node.text.trim();
        return node;
      }
      if (s.startsWith("<!--", i)) {
        const end = s.indexOf("-->", i);
        if (end < 0) bad("unterminated comment");
        i = end + 3;
      } else if (s.startsWith("<![CDATA[", i)) {
        const end = s.indexOf("]]>", i);
        if (end < 0) bad("unterminated CDATA");
        node.text += s.slice(i + 9, end);
        i = end + 3;
      } else if (s[i] === "<") node.children.push(el());
      else {
        const next = s.indexOf("<", i);
        const raw = s.slice(i, next < 0 ? s.length : next);
        if (/&(?!(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) bad("unescaped &");
        node.text += entity(raw);
        i += raw.length;
      }
    }
  };
  misc();
  if (s[i] !== "<") bad("no root element");
  const root = el();
  misc();
  if (i < s.length) bad("content after the root element");
  return root;
}

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
];

export interface AckItem {
  orderItemId: string;
  cancelReason?: string;
}
export interface AckMessage {
  messageId: number;
  amazonOrderId: string;
  statusCode: "Success" | "Failure";
  items: AckItem[];
}
export interface AckDocument {
  merchantIdentifier: string;
  messages: AckMessage[];
}

/**
 * Checks the document against the XSDs' sequence, cardinality, enumerations and patterns; answers
 * the messages, or throws with the first violation (Amazon then fails the whole feed).
 */
export function readOrderAcknowledgements(xml: string): AckDocument {
  const root = readXml(xml);
  const err = (why: string): never => {
    throw new Error(`XML Parsing Error: ${why}`);
  };
  if (root.name !== "AmazonEnvelope") err(`the root element is <${root.name}>, not <AmazonEnvelope>`);
  const kids = root.children;
  let k = 0;
  const header = kids[k++];
  if (header?.name !== "Header") err("<Header> must come first in <AmazonEnvelope>");
  const h = (header as Node).children;
  if (h[0]?.name !== "DocumentVersion" || !/^\d{1,2}\.\d{1,2}$/.test(h[0].text))
    err("<Header> needs <DocumentVersion> like 1.01");
  if (h[1]?.name !== "MerchantIdentifier" || h[1].text === "") err("<Header> needs <MerchantIdentifier>");
  const type = kids[k++];
  if (type?.name !== "MessageType") err("<MessageType> must follow <Header>");
  if ((type as Node).text !== "OrderAcknowledgement")
    err(`MessageType is "${(type as Node).text}"; this feed type takes OrderAcknowledgement`);
  for (const optional of ["MarketplaceName", "PurgeAndReplace", "EffectiveDate"])
    if (kids[k]?.name === optional) k++;
  const messages: AckMessage[] = [];
  const seen = new Set<number>();
  for (; k < kids.length; k++) {
    const m = kids[k] as Node;
    if (m.name !== "Message") err(`<${m.name}> is not allowed in <AmazonEnvelope> here`);
    const [id, ...rest] = m.children;
    if (id?.name !== "MessageID" || !/^\d{1,20}$/.test(id.text) || Number(id.text) < 1)
      err("each <Message> starts with a positive <MessageID>");
    const messageId = Number((id as Node).text);
    if (seen.has(messageId)) err(`MessageID ${messageId} is used twice`);
    seen.add(messageId);
    let body = rest;
    if (body[0]?.name === "OperationType") {
      if (!["Update", "Delete", "PartialUpdate"].includes(body[0].text)) err("OperationType is not valid");
      body = body.slice(1);
    }
    const ack = body[0];
    if (body.length !== 1 || ack?.name !== "OrderAcknowledgement")
      err(`message ${messageId} must hold one <OrderAcknowledgement>`);
    const a = (ack as Node).children;
    let j = 0;
    const orderId = a[j++];
    if (orderId?.name !== "AmazonOrderID" || !/^\w{3}-\w{7}-\w{7}$/.test(orderId.text))
      err(`message ${messageId}: <AmazonOrderID> must look like 203-1234567-1234567`);
    if (a[j]?.name === "MerchantOrderID") j++;
    const status = a[j++];
    if (status?.name !== "StatusCode" || (status.text !== "Success" && status.text !== "Failure"))
      err(`message ${messageId}: <StatusCode> must be Success or Failure`);
    const items: AckItem[] = [];
    for (; j < a.length; j++) {
      const it = a[j] as Node;
      if (it.name !== "Item")
        err(`message ${messageId}: <${it.name}> is not allowed in <OrderAcknowledgement>`);
      const f = it.children;
      let x = 0;
      const code = f[x++];
      if (code?.name !== "AmazonOrderItemCode" || !/^\d{14}$/.test(code.text))
        err(`message ${messageId}: <AmazonOrderItemCode> must be 14 digits`);
      if (f[x]?.name === "MerchantOrderItemID") x++;
      let cancelReason: string | undefined;
      if (f[x]?.name === "CancelReason") {
        cancelReason = (f[x] as Node).text;
        if (!CANCEL_REASONS.includes(cancelReason))
          err(`message ${messageId}: CancelReason "${cancelReason}" is not one of Amazon's`);
        x++;
      }
      if (x !== f.length) err(`message ${messageId}: unexpected <${f[x]?.name}> in <Item>`);
      items.push({ orderItemId: (code as Node).text, ...(cancelReason ? { cancelReason } : {}) });
    }
    messages.push({
      messageId,
      amazonOrderId: (orderId as Node).text,
      statusCode: (status as Node).text as "Success" | "Failure",
      items,
    });
  }
  if (messages.length === 0) err("<AmazonEnvelope> needs at least one <Message>");
  return { merchantIdentifier: (h[1] as Node).text, messages };
}
