// Where 4x6 labels go on a page: one per 4x6 thermal page, two (turned a quarter) or four
// (scaled to 95%) on A4. Offsets are whole 203-dpi dots so barcodes keep their dot grid.

import { num } from "../pdf/bytes.ts";
import { DOT_203, snapToDots } from "../pdf/content.ts";
import { LABEL_HEIGHT, LABEL_WIDTH } from "./label-4x6.ts";

export type LabelLayout = "4x6" | "a4-2up" | "a4-4up";

export const A4_WIDTH = 595.28;
export const A4_HEIGHT = 841.89;

export interface SheetLayout {
  width: number;
  height: number;
  /** One transform per label slot: label coordinates → page coordinates. */
  slots: readonly Transform[];
}

/** PDF matrix [a b c d e f]. */
export type Transform = readonly [number, number, number, number, number, number];

export const LAYOUTS: Record<LabelLayout, SheetLayout> = {
  "4x6": { width: LABEL_WIDTH, height: LABEL_HEIGHT, slots: [[1, 0, 0, 1, 0, 0]] },
  "a4-2up": {
    width: A4_WIDTH,
    height: A4_HEIGHT,
    // Turned 90° anticlockwise: the label's (x, y) lands at (e - y, f + x). Top half, bottom half.
    slots: [A4_HEIGHT * 0.75, A4_HEIGHT * 0.25].map(
      (cy): Transform => [
        0,
        1,
        -1,
        0,
        snapToDots(A4_WIDTH / 2 + LABEL_HEIGHT / 2),
        snapToDots(cy - LABEL_WIDTH / 2),
      ],
    ),
  },
  "a4-4up": (() => {
    const scale = 0.95;
    const w = LABEL_WIDTH * scale;
    const h = LABEL_HEIGHT * scale;
    const slots: Transform[] = [];
    for (const cy of [A4_HEIGHT * 0.75, A4_HEIGHT * 0.25]) {
      for (const cx of [A4_WIDTH * 0.25, A4_WIDTH * 0.75]) {
        slots.push([scale, 0, 0, scale, snapToDots(cx - w / 2), snapToDots(cy - h / 2)]);
      }
    }
    return { width: A4_WIDTH, height: A4_HEIGHT, slots };
  })(),
};

export function transformOperator(t: Transform): string {
  return `${t.map(num).join(" ")} cm\n`;
}

/** Maps a point in label coordinates to page coordinates. */
export function applyTransform(t: Transform, x: number, y: number): [number, number] {
  return [t[0] * x + t[2] * y + t[4], t[1] * x + t[3] * y + t[5]];
}

export { DOT_203 };
