// The seller's time, as the room keeps it (workers/edge/src/room/clock.ts): the dispatch clock,
// countdowns and ship-by buckets count on it, so a tablet whose own clock is wrong (or a
// simulation that moves the seller's time) shows what the API's shipBy.risk says. The device
// learns the offset between its clock and the room's from GET /api/v1/clock, taking the middle
// of the round trip, and keeps the answer of the fastest exchange (the least uncertain).

export interface ClockSample {
  /** The device's clock when the request left and when the answer arrived. */
  sentAt: number;
  receivedAt: number;
  /** The room's time in the answer. */
  roomNow: number;
}

/** Milliseconds to add to the device's clock to read the room's. */
export function offsetOf(sample: ClockSample): number {
  return Math.round(sample.roomNow - (sample.sentAt + sample.receivedAt) / 2);
}

/**
 * The offset from several exchanges: the one with the shortest round trip wins (its midpoint is
 * closest to when the room read its clock). No samples: 0 (the device's own clock).
 */
export function bestOffset(samples: readonly ClockSample[]): number {
  let best: ClockSample | undefined;
  for (const s of samples) {
    if (s.receivedAt < s.sentAt) continue; // the device's clock jumped back mid-exchange
    if (!best || s.receivedAt - s.sentAt < best.receivedAt - best.sentAt) best = s;
  }
  return best ? offsetOf(best) : 0;
}

/**
 * Asks the room its time `tries` times and answers the best offset, or null when no answer came
 * (offline: the caller keeps what it had).
 */
export async function learnOffset(
  ask: () => Promise<number>,
  deviceNow: () => number = Date.now,
  tries = 3,
): Promise<number | null> {
  const samples: ClockSample[] = [];
  for (let i = 0; i < tries; i++) {
    const sentAt = deviceNow();
    try {
      const roomNow = await ask();
      samples.push({ sentAt, receivedAt: deviceNow(), roomNow });
    } catch {
      // offline or refused: try the next, or keep the last offset
    }
  }
  return samples.length ? bestOffset(samples) : null;
}
