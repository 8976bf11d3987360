// Shipping labels to one print-ready PDF, all at once or in parts (the first few labels come
// out as a complete PDF quickly so printing can start while the rest are made).

import { ConsignError, ErrorCode } from "@consign/domain";
import type { LabelData } from "./label-data.ts";
import { checkLabelData } from "./label-data.ts";
import { drawLabel, LABEL_HEIGHT, LABEL_WIDTH, labelFrame, senderBlock } from "./layout/label-4x6.ts";
import { LAYOUTS, type LabelLayout, transformOperator } from "./layout/sheets.ts";
import { Content } from "./pdf/content.ts";
import { PdfFile } from "./pdf/pdf-file.ts";

export interface LabelRenderOptions {
  layout?: LabelLayout;
  /** Deflate page contents (default true): about 0.6 KB a label instead of 1.5 KB. */
  compress?: boolean;
}

let frame: string | undefined;
const frameContent = () => (frame ??= labelFrame());

/** Builds label PDFs incrementally: `add` labels, `flush` a complete PDF of those added since. */
export class LabelRun {
  private readonly layout: LabelLayout;
  private readonly compress: boolean;
  private file: PdfFile | undefined;
  private page: Content | undefined;
  private slot = 0;
  private count = 0;
  private added = 0;
  /** Sender block forms in the current file, by sender. */
  private senders = new Map<string, string>();

  constructor(options: LabelRenderOptions = {}) {
    this.layout = options.layout ?? "4x6";
    this.compress = options.compress ?? true;
    if (!(this.layout in LAYOUTS)) {
      throw new ConsignError(
        ErrorCode.BadRequest,
        `Unknown label layout "${this.layout}": use 4x6, a4-2up or a4-4up.`,
      );
    }
  }

  /** Labels added since the last flush. */
  get pending(): number {
    return this.count;
  }

  add(label: LabelData): void {
    checkLabelData(label, this.added);
    const sheet = LAYOUTS[this.layout];
    this.file ??= new PdfFile({
      width: sheet.width,
      height: sheet.height,
      compress: this.compress,
      forms: [{ name: "Fr", width: LABEL_WIDTH, height: LABEL_HEIGHT, content: frameContent() }],
      title: "Shipping labels",
    });
    this.page ??= new Content();
    const slot = sheet.slots[this.slot];
    const wrapped = sheet.slots.length > 1 && slot !== undefined;
    if (wrapped) this.page.raw(`q ${transformOperator(slot)}`);
    drawLabel(this.page, label, this.senderForm(label, this.file));
    if (wrapped) this.page.raw("Q\n");
    this.count++;
    this.added++;
    this.slot++;
    if (this.slot === sheet.slots.length) this.endPage();
  }

  /** A complete PDF of the labels added since the last flush. */
  flush(): Uint8Array {
    if (this.count === 0 || !this.file) {
      throw new ConsignError(
        ErrorCode.BadRequest,
        "There are no labels to print: add at least one label first.",
      );
    }
    this.endPage();
    const pdf = this.file.finish();
    this.file = undefined;
    this.senders = new Map();
    this.count = 0;
    return pdf;
  }

  /** The shared sender form for this label's sender, added to the file on first use. */
  private senderForm(label: LabelData, file: PdfFile): string {
    const s = label.sender;
    const key = `${s.name}\n${s.line1}\n${s.line2 ?? ""}\n${s.city}\n${s.postcode}`;
    let name = this.senders.get(key);
    if (!name) {
      name = `S${this.senders.size + 1}`;
      file.addForm({ name, width: LABEL_WIDTH, height: LABEL_HEIGHT, content: senderBlock(s) });
      this.senders.set(key, name);
    }
    return name;
  }

  private endPage(): void {
    if (!this.page || !this.file) return;
    this.file.addPage(this.page.finish());
    this.page = undefined;
    this.slot = 0;
  }
}

/** All labels in one PDF. */
export function renderLabels(labels: readonly LabelData[], options: LabelRenderOptions = {}): Uint8Array {
  const run = new LabelRun(options);
  for (const label of labels) run.add(label);
  return run.flush();
}

export interface LabelChunkOptions extends LabelRenderOptions {
  /** Labels in the first PDF (default 50): small, so the printer can start at once. */
  first?: number;
  /** Labels in each later PDF (default: all the rest in one). */
  chunkSize?: number;
}

export interface LabelChunk {
  pdf: Uint8Array;
  /** Index of the first label in this PDF. */
  from: number;
  /** Number of labels in this PDF. */
  count: number;
}

/** Complete PDFs for consecutive parts of `labels`: the first `first`, then the rest. */
export function* renderLabelChunks(
  labels: readonly LabelData[],
  options: LabelChunkOptions = {},
): Generator<LabelChunk> {
  const first = Math.max(1, options.first ?? 50);
  const rest = Math.max(1, options.chunkSize ?? Number.POSITIVE_INFINITY);
  const run = new LabelRun(options);
  let from = 0;
  let limit = first;
  for (let i = 0; i < labels.length; i++) {
    run.add(labels[i] as LabelData);
    if (run.pending === limit) {
      const count = run.pending;
      yield { pdf: run.flush(), from, count };
      from += count;
      limit = rest;
    }
  }
  if (run.pending > 0) {
    const count = run.pending;
    yield { pdf: run.flush(), from, count };
  }
}
