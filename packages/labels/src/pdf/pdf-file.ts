// A minimal PDF 1.4 writer for pages that use the base-14 Helvetica fonts, shared Form XObjects
// and inline image masks. Pages are added one by one (each content stream compressed as it
// arrives) and the file is finished with a classic xref table.
import { ByteSink, binaryToBytes, binaryToScratch, num } from "./bytes.ts";
import { zlibDeflate } from "./flate.ts";

export interface PdfForm {
  /** Resource name used with `Do`, e.g. "Fr". */
  name: string;
  width: number;
  height: number;
  /** Content stream (binary string). */
  content: string;
}

export interface PdfFileOptions {
  /** Page size in points. */
  width: number;
  height: number;
  compress: boolean;
  forms?: readonly PdfForm[];
  title?: string;
}

const FONTS = "/Font<</F1 3 0 R/F2 4 0 R>>";

export class PdfFile {
  private readonly sink = new ByteSink();
  private readonly offsets: number[] = [0];
  private readonly kids: number[] = [];
  private nextObject: number;
  private xobjects = "";

  constructor(private readonly options: PdfFileOptions) {
    this.sink.write("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
    this.object(1, "<</Type/Catalog/Pages 2 0 R>>");
    this.object(3, "<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>");
    this.object(4, "<</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold/Encoding/WinAnsiEncoding>>");
    this.nextObject = 5;
    for (const form of options.forms ?? []) this.addForm(form);
  }

  /** Adds a Form XObject that any page may draw with `/name Do`. */
  addForm(form: PdfForm): void {
    const id = this.nextObject++;
    this.stream(
      id,
      `/Type/XObject/Subtype/Form/BBox[0 0 ${num(form.width)} ${num(form.height)}]/Resources<<${FONTS}>>`,
      form.content,
    );
    this.xobjects += `/${form.name} ${id} 0 R`;
  }

  get pageCount(): number {
    return this.kids.length;
  }

  /** Adds a page whose content stream is `content` (binary string). */
  addPage(content: string): void {
    const page = this.nextObject++;
    const contents = this.nextObject++;
    this.kids.push(page);
    this.object(page, `<</Type/Page/Parent 2 0 R/Contents ${contents} 0 R>>`);
    this.stream(contents, "", content);
  }

  /** Finishes the file. The writer must not be used afterwards. */
  finish(): Uint8Array {
    const { width, height } = this.options;
    let kids = "";
    for (const k of this.kids) kids += `${k} 0 R `;
    this.object(
      2,
      `<</Type/Pages/Count ${this.kids.length}/Kids[${kids}]/MediaBox[0 0 ${num(width)} ${num(height)}]/Resources<<${FONTS}${this.xobjects ? `/XObject<<${this.xobjects}>>` : ""}/ProcSet[/PDF/Text/ImageB]>>>>`,
    );
    let info = "";
    if (this.options.title) {
      const id = this.nextObject++;
      this.object(id, `<</Producer(Consign)/Title(${this.options.title.replace(/[()\\]/g, "")})>>`);
      info = `/Info ${id} 0 R`;
    }
    const xrefAt = this.sink.length;
    const count = this.nextObject;
    let xref = `xref\n0 ${count}\n0000000000 65535 f \n`;
    for (let i = 1; i < count; i++) xref += `${String(this.offsets[i] ?? 0).padStart(10, "0")} 00000 n \n`;
    this.sink.write(xref);
    this.sink.write(`trailer\n<</Size ${count}/Root 1 0 R${info}>>\nstartxref\n${xrefAt}\n%%EOF\n`);
    return this.sink.toBytes();
  }

  private object(id: number, body: string): void {
    this.offsets[id] = this.sink.length;
    this.sink.write(`${id} 0 obj\n${body}\nendobj\n`);
  }

  private stream(id: number, dict: string, content: string): void {
    this.offsets[id] = this.sink.length;
    let data: Uint8Array;
    let filter = "";
    if (this.options.compress) {
      data = zlibDeflate(binaryToScratch(content), content.length);
      filter = "/Filter/FlateDecode";
    } else {
      data = binaryToBytes(content);
    }
    this.sink.write(`${id} 0 obj\n<<${dict}/Length ${data.length}${filter}>>stream\n`);
    this.sink.write(data);
    this.sink.write("\nendstream\nendobj\n");
  }
}
