// Work that can wait for a quiet moment (search texts, caches): never in the way of a keystroke or a frame.

/** Runs `work` when the page is idle (Safari has no requestIdleCallback: a short timeout there); returns a cancel. */
export function whenIdle(work: (timeLeft: () => number) => void): () => void {
  if (typeof requestIdleCallback === "function") {
    const handle = requestIdleCallback((deadline) => work(() => deadline.timeRemaining()));
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(() => {
    const end = performance.now() + 8;
    work(() => end - performance.now());
  }, 16);
  return () => clearTimeout(handle);
}
