// Redocly CLI and Spectral lint the document the edge serves, offline, and must find nothing:
// no error and no warning. A route added without an operationId, a tag the document does not
// describe, a dangling $ref or a schema no operation uses fails here with the linter's own words.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servedDocument } from "./document.ts";

const here = dirname(fileURLToPath(import.meta.url));
const bin = (name: string) => join(here, "..", "node_modules", ".bin", name);
const run = promisify(execFile);
// Neither linter may reach the internet: no telemetry, no update check.
const env = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  NO_UPDATE_NOTIFIER: "1",
  NO_COLOR: "1",
};

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "consign-openapi-"));
  file = join(dir, "openapi.json");
  writeFileSync(file, JSON.stringify(servedDocument(), null, 2));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a linter, which exits non-zero when it finds problems: the output is what matters. */
async function lint(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { env, cwd: here, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    if (err.stdout?.trim()) return err.stdout;
    throw new Error(`${cmd} failed: ${err.stderr ?? String(e)}`);
  }
}

describe("the OpenAPI document lints clean", () => {
  it("Redocly CLI (recommended rules, warnings as failures) finds no problem", async () => {
    const out = await lint(bin("redocly"), [
      "lint",
      file,
      "--config",
      join(here, "redocly.yaml"),
      "--format",
      "json",
    ]);
    const report = JSON.parse(out) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    const problems = report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it("Spectral (recommended rules, parameter descriptions, tags in order) finds no problem", async () => {
    const out = await lint(bin("spectral"), [
      "lint",
      file,
      "--ruleset",
      join(here, ".spectral.yaml"),
      "--format",
      "json",
      "--quiet",
    ]);
    const problems = (JSON.parse(out || "[]") as { code: string; message: string; path: string[] }[]).map(
      (p) => `${p.code} at ${p.path.join(".")}: ${p.message}`,
    );
    expect(problems).toEqual([]);
  });

  it("the linters would notice a broken document (so a clean run means something)", async () => {
    const broken = structuredClone(servedDocument()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const op = broken.paths["/orders"]!.get!;
    delete op.operationId;
    op.tags = ["Nowhere"];
    const brokenFile = join(dir, "broken.json");
    writeFileSync(brokenFile, JSON.stringify(broken));
    const redocly = JSON.parse(
      await lint(bin("redocly"), [
        "lint",
        brokenFile,
        "--config",
        join(here, "redocly.yaml"),
        "--format",
        "json",
      ]),
    ) as { problems: { ruleId: string }[] };
    expect(redocly.problems.map((p) => p.ruleId)).toEqual(
      expect.arrayContaining(["operation-operationId", "operation-tag-defined"]),
    );
    const spectral = JSON.parse(
      await lint(bin("spectral"), [
        "lint",
        brokenFile,
        "--ruleset",
        join(here, ".spectral.yaml"),
        "--format",
        "json",
      ]),
    ) as { code: string }[];
    expect(spectral.map((p) => p.code)).toEqual(
      expect.arrayContaining(["operation-operationId", "operation-tag-defined"]),
    );
  });
});
