// Distinct sounds for the scan station (WebAudio): a short high beep for a good scan, a low double buzz for
// a wrong item, a rising pair when the order is complete. The context starts on "Start shift" (a user gesture).

let ctx: AudioContext | null = null;

export function startAudio(): void {
  try {
    ctx ??= new AudioContext();
    void ctx.resume();
  } catch {
    ctx = null;
  }
}

function tone(freq: number, at: number, ms: number, type: OscillatorType = "sine"): void {
  if (!ctx) return;
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = type;
  osc.frequency.value = freq;
  gain.gain.value = 0.2;
  osc.connect(gain).connect(ctx.destination);
  const start = ctx.currentTime + at / 1000;
  osc.start(start);
  osc.stop(start + ms / 1000);
}

export const beep = {
  ok: () => tone(1320, 0, 90),
  wrong: () => {
    tone(180, 0, 220, "square");
    tone(180, 300, 220, "square");
  },
  done: () => {
    tone(880, 0, 110);
    tone(1320, 130, 160);
  },
};
