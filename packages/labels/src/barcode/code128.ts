// Code 128 with code sets B and C: the encoder picks, by a small dynamic programme, where to
// switch to set C (digit pairs) so the symbol is as short as possible. Output is module widths.
import { ConsignError, ErrorCode } from "@consign/domain";

/** Bar/space widths of symbol values 0..106 (106 = stop, which has a 7th element). */
// biome-ignore format: one row per ten symbol values
const PATTERNS: readonly string[] = [
  "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
  "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
  "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
  "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
  "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
  "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
  "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
  "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
  "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
  "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
  "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
];

const PATTERN_WIDTHS: readonly (readonly number[])[] = PATTERNS.map((p) => Array.from(p, Number));

const CODE_C = 99;
const CODE_B = 100;
const START_B = 104;
const START_C = 105;
const STOP = 106;

export interface Code128 {
  /** Symbol values including start and checksum, excluding stop. */
  values: number[];
  /** Alternating bar, space, bar... widths in modules, start to stop inclusive (no quiet zone). */
  widths: number[];
  /** Total width in modules (no quiet zone). */
  modules: number;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isSetB = (c: number) => c >= 32 && c <= 127;

/** Modulo-103 checksum over the start value and weighted data values. */
export function code128Checksum(values: readonly number[]): number {
  let sum = values[0] ?? 0;
  for (let i = 1; i < values.length; i++) sum += (values[i] ?? 0) * i;
  return sum % 103;
}

/** Shortest B/C symbol sequence for `text` (printable ASCII only). */
export function code128Values(text: string): number[] {
  const n = text.length;
  if (n === 0)
    throw new ConsignError(ErrorCode.BadRequest, "A Code 128 barcode needs at least one character.");
  const codes: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (!isSetB(c)) {
      throw new ConsignError(
        ErrorCode.BadRequest,
        `"${text}" cannot go in a Code 128 barcode: character ${i + 1} is not printable ASCII.`,
      );
    }
    codes.push(c);
  }
  // cost[s][i]: fewest symbols to encode text[i..] when currently in set s (0 = B, 1 = C).
  const INF = 1e9;
  const cost = [new Array<number>(n + 1).fill(INF), new Array<number>(n + 1).fill(INF)] as const;
  cost[0][n] = 0;
  cost[1][n] = 0;
  const pair = (i: number) => i + 1 < n && isDigit(codes[i] ?? 0) && isDigit(codes[i + 1] ?? 0);
  for (let i = n - 1; i >= 0; i--) {
    const inB = 1 + (cost[0][i + 1] ?? INF);
    const inC = pair(i) ? 1 + (cost[1][i + 2] ?? INF) : INF;
    cost[0][i] = Math.min(inB, inC + 1);
    cost[1][i] = Math.min(inC, inB + 1);
  }
  let set = pair(0) && (cost[1][0] ?? INF) <= (cost[0][0] ?? INF) ? 1 : 0;
  const values = [set === 1 ? START_C : START_B];
  let i = 0;
  while (i < n) {
    const stayB = 1 + (cost[0][i + 1] ?? INF);
    const stayC = pair(i) ? 1 + (cost[1][i + 2] ?? INF) : INF;
    const wantC = set === 1 ? stayC <= stayB + 1 : stayC + 1 < stayB;
    if (wantC && set === 0) values.push(CODE_C);
    if (!wantC && set === 1) values.push(CODE_B);
    set = wantC ? 1 : 0;
    if (wantC) {
      values.push(((codes[i] ?? 48) - 48) * 10 + ((codes[i + 1] ?? 48) - 48));
      i += 2;
    } else {
      values.push((codes[i] ?? 32) - 32);
      i += 1;
    }
  }
  values.push(code128Checksum(values));
  return values;
}

/** Encodes `text` as Code 128 module widths. */
export function encodeCode128(text: string): Code128 {
  const values = code128Values(text);
  const widths: number[] = [];
  for (const v of values) for (const w of PATTERN_WIDTHS[v] ?? []) widths.push(w);
  for (const w of PATTERN_WIDTHS[STOP] ?? []) widths.push(w);
  let modules = 0;
  for (const w of widths) modules += w;
  return { values, widths, modules };
}

export const CODE128_PATTERNS = PATTERNS;
