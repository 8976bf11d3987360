// Real barcode readers for tests: poppler renders a page at 203 dpi (a thermal printer's
// resolution), zbar reads Code 128 and libdmtx reads DataMatrix. A missing tool fails the test
// with the Debian package to install; it never skips.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TOOLS = { pdftoppm: "poppler-utils", zbarimg: "zbar-tools", dmtxread: "dmtx-utils" } as const;

export function requireTools(): void {
  const missing: string[] = [];
  for (const [tool, pkg] of Object.entries(TOOLS)) {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "pipe" });
    } catch {
      missing.push(`${tool} (apt-get install -y ${pkg})`);
    }
  }
  if (missing.length > 0) throw new Error(`Barcode test tools are missing: ${missing.join(", ")}`);
}

export const DPI = 203;
const PX = DPI / 72;

export interface Rect {
  /** Points, PDF coordinates (origin bottom-left). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export class Renderer {
  readonly dir = mkdtempSync(join(tmpdir(), "consign-labels-"));
  private readonly pdfPath = join(this.dir, "in.pdf");
  private n = 0;

  constructor(
    pdf: Uint8Array,
    private readonly pageHeight: number,
  ) {
    writeFileSync(this.pdfPath, pdf);
  }

  /** Renders page `page` (1-based), optionally only `crop` (with a margin), to a PNG path. */
  png(page: number, crop?: Rect, marginPt = 8): string {
    const base = join(this.dir, `p${this.n++}`);
    const args = ["-r", String(DPI), "-png", "-singlefile", "-f", String(page), "-l", String(page)];
    if (crop) {
      const x = Math.max(0, Math.floor((crop.x - marginPt) * PX));
      const top = Math.max(0, Math.floor((this.pageHeight - crop.y - crop.height - marginPt) * PX));
      args.push("-x", String(x), "-y", String(top));
      args.push("-W", String(Math.ceil((crop.width + 2 * marginPt) * PX)));
      args.push("-H", String(Math.ceil((crop.height + 2 * marginPt) * PX)));
    }
    execFileSync("pdftoppm", [...args, this.pdfPath, base], { stdio: "pipe" });
    return `${base}.png`;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Every Code 128 zbar finds in the image. */
export function readCode128(png: string): string[] {
  try {
    const out = execFileSync("zbarimg", ["-q", "--raw", "-Sdisable", "-Scode128.enable", png], {
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 30_000,
    });
    return out.toString("latin1").split("\n").filter(Boolean);
  } catch (e) {
    // zbarimg exits 4 when it finds no barcode.
    if ((e as { status?: number }).status === 4) return [];
    throw e;
  }
}

/** The first DataMatrix libdmtx finds in the image (crop it first: whole pages are slow). */
export function readDataMatrix(png: string): string {
  try {
    const out = execFileSync("dmtxread", ["-N", "1", "-m", "20000", png], {
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
    return out.toString("latin1");
  } catch {
    return ""; // dmtxread exits non-zero when it finds nothing
  }
}
