import { describe, expect, it } from "vitest";
import { sampleLabel } from "../../test/fixtures.ts";
import { zplGraphicField, zplGraphicLabel } from "./graphic.ts";
import { toZpl, toZplBatch } from "./label.ts";
import { checkPrinterProfile } from "./profile.ts";
import { expandGraphicData } from "./raster.ts";

describe("ZPL", () => {
  const label = sampleLabel("GQ660548056GB");
  const zpl = toZpl(label);

  it("is one ^XA...^XZ format sized for a 4x6 label at 203 dpi", () => {
    expect(zpl.startsWith("^XA")).toBe(true);
    expect(zpl.trimEnd().endsWith("^XZ")).toBe(true);
    expect(zpl).toContain("^PW812");
    expect(zpl).toContain("^LL1218");
    expect(zpl).toContain("^CI27");
  });

  it("prints the tracking number as Code 128 (^BC) with 3-dot modules", () => {
    expect(zpl).toMatch(/\^BY3\^BCN,\d+,N,N,N,A\^FDGQ660548056GB\^FS/);
  });

  it("prints the DataMatrix (^BX, ECC 200, 6-dot modules) with the Mailmark-like payload", () => {
    expect(zpl).toMatch(/\^BXN,6,200\^FH\^FDJGB 011GQ660548056GB/);
  });

  it("writes address text, escaping ZPL control characters and non-ASCII as ^FH hex", () => {
    const odd = sampleLabel("GQ660548056GB");
    odd.recipient = { ...odd.recipient, name: "Renée ^Caret~ O_Neil" };
    const z = toZpl(odd);
    expect(z).toContain("^FDRen_e9e _5eCaret_7e O_5fNeil^FS");
    expect(z).toContain("M19 2LT");
  });

  it("joins several labels into one job", () => {
    const job = toZplBatch([label, sampleLabel("15501234567890", 1)]);
    expect(job.match(/\^XA/g)).toHaveLength(2);
    expect(job.match(/\^XZ/g)).toHaveLength(2);
  });
});

describe("ZPL for the printer profile", () => {
  const label = sampleLabel("GQ660548056GB");
  it("sizes the format for the stock and resolution, with the profile's darkness", () => {
    const z300 = toZpl(label, { language: "zpl", dpi: 300, stock: "4x6", darkness: 22 });
    expect(z300).toContain("^PW1200");
    expect(z300).toContain("^LL1800");
    expect(z300).toContain("~SD22");
    expect(z300).toMatch(/\^BY4\^BCN/); // the same 0.38 mm module as 3 dots at 203 dpi
    expect(z300).toMatch(/\^BXN,9,200/);
    const a6 = toZpl(label, { language: "zpl", dpi: 203, stock: "a6", darkness: 15 });
    expect(a6).toContain("^PW839");
    expect(a6).toContain("^LL1183");
  });

  it("refuses a profile it cannot write, saying what to change", () => {
    expect(() => checkPrinterProfile({ dpi: 600 })).toThrow(/dpi must be 203 or 300/);
    expect(() => checkPrinterProfile({ language: "epl" })).toThrow(
      /EPL is not written yet: set the printer to ZPL/,
    );
    expect(() => checkPrinterProfile({ darkness: 31 })).toThrow(
      /darkness must be a whole number from 0 to 30/,
    );
    expect(() => checkPrinterProfile({ stock: "a4" })).toThrow(/stock must be one of 4x6, a6, 100x150/);
    expect(checkPrinterProfile({ dpi: "300" })).toEqual({
      language: "zpl",
      dpi: 300,
      stock: "4x6",
      darkness: 15,
    });
  });
});

describe("ZPL graphic fields", () => {
  it("compresses rows and expands back to the same dots", () => {
    const width = 203;
    const height = 64;
    const rowBytes = 26;
    const bits = new Uint8Array(rowBytes * height);
    let seed = 7;
    for (let r = 0; r < height; r++) {
      if (r % 8 === 3) continue; // white rows
      if (r % 8 === 5) {
        bits.copyWithin(r * rowBytes, (r - 1) * rowBytes, r * rowBytes); // repeated row
        continue;
      }
      for (let i = 0; i < rowBytes; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        bits[r * rowBytes + i] = i < 10 ? 0xff : i < 20 ? seed & 0xff : 0;
      }
    }
    const field = zplGraphicField({ width, height, rowBytes, bits });
    const [, total, , perRow, data] = /^\^GFA,(\d+),(\d+),(\d+),(.*)$/s.exec(field) ?? [];
    expect(Number(total)).toBe(rowBytes * height);
    expect(Number(perRow)).toBe(rowBytes);
    expect(data).toContain(":");
    expect(data).toContain(",");
    expect(data!.length).toBeLessThan(rowBytes * height * 2);
    expect(expandGraphicData(data!, rowBytes * height, rowBytes)).toEqual(bits);
  });

  it("writes ZPL's compression exactly: repeat counts, a white or black tail, a repeated row", () => {
    const field = (rows: number[][]) =>
      zplGraphicField({
        width: rows[0]!.length * 8,
        height: rows.length,
        rowBytes: rows[0]!.length,
        bits: new Uint8Array(rows.flat()),
      });
    expect(field([[0xff, 0xff, 0x00, 0x00]])).toBe("^GFA,4,4,4,JF,");
    expect(field([[0x0f, 0xf0, 0x12, 0x3f]])).toBe("^GFA,4,4,4,0HF0123!");
    expect(
      field([
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0xff, 0xff, 0xff, 0xff],
      ]),
    ).toBe("^GFA,12,12,4,,:!");
    // 600 digits "1": 419 is the longest run one count says ("zY"), then 181 ("o" 180 + "G" 1)
    expect(field([Array.from(new Uint8Array(300).fill(0x11))])).toBe("^GFA,300,300,300,zY1oG1");
  });

  it("round-trips any picture: odd runs, long runs, black tails, repeated rows", () => {
    let seed = 11;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (const rowBytes of [1, 2, 3, 26, 102, 250]) {
      const height = 40;
      const bits = new Uint8Array(rowBytes * height);
      for (let r = 0; r < height; r++) {
        const kind = rand() % 6;
        for (let i = 0; i < rowBytes; i++) {
          const at = r * rowBytes + i;
          if (kind === 0)
            bits[at] = rand() & 0xff; // noise
          else if (kind === 1)
            bits[at] = i < rowBytes / 2 ? 0x0f : 0xf0; // odd-nibble runs
          else if (kind === 2)
            bits[at] = 0xff; // all black
          else if (kind === 3 && r > 0)
            bits[at] = bits[at - rowBytes] as number; // repeated
          else if (kind === 4)
            bits[at] = i % 7 === 0 ? 0x80 : 0; // sparse, white tail
          else bits[at] = i > rowBytes - 3 ? 0xff : 0x33; // black tail after a run
        }
      }
      const f = zplGraphicField({ width: rowBytes * 8, height, rowBytes, bits });
      const [, , , , data] = /^\^GFA,(\d+),(\d+),(\d+),(.*)$/s.exec(f) ?? [];
      expect(expandGraphicData(data!, rowBytes * height, rowBytes)).toEqual(bits);
    }
  });

  it("refuses a picture larger than the stock", () => {
    const bits = new Uint8Array(150 * 1400);
    expect(() =>
      zplGraphicLabel(
        { width: 1200, height: 1400, rowBytes: 150, bits },
        { language: "zpl", dpi: 203, stock: "4x6", darkness: 15 },
      ),
    ).toThrow(/choose the stock loaded in the printer/);
  });
});
