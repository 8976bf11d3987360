// One ticking clock for countdowns (every 30 s is plenty for "2 h 05 m").
import { createRoot, createSignal } from "solid-js";

export const now = createRoot(() => {
  const [t, setT] = createSignal(Date.now());
  setInterval(() => setT(Date.now()), 30_000);
  return t;
});
