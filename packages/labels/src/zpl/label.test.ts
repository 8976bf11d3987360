import { describe, expect, it } from "vitest";
import { sampleLabel } from "../test/fixtures.ts";
import { toZpl, toZplBatch } from "./zpl.ts";

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
