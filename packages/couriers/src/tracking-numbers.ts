// Tracking numbers each courier issues, and how to tell a valid one (Amazon's Valid Tracking Rate).

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/** UPU S10 check digit over 8 serial digits: C = 11 − (Σ wᵢdᵢ mod 11); 10 → 0, 11 → 5. */
export function s10CheckDigit(serial: string): number {
  if (!/^\d{8}$/.test(serial)) throw new Error(`An S10 serial is 8 digits, not "${serial}"`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(serial[i]) * (S10_WEIGHTS[i] ?? 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

/** Royal Mail tracked items: 2 letters, 8 digits, check digit, "GB" (e.g. GQ660548056GB). */
export function isRoyalMailTrackingNumber(value: string): boolean {
  const m = /^([A-Z]{2})(\d{8})(\d)GB$/.exec(value);
  if (!m) return false;
  return s10CheckDigit(m[2] ?? "") === Number(m[3]);
}

export function royalMailTrackingNumber(prefix: string, serial: number): string {
  if (!/^[A-Z]{2}$/.test(prefix)) throw new Error(`An S10 prefix is 2 capital letters, not "${prefix}"`);
  const digits = String(serial % 100_000_000).padStart(8, "0");
  return `${prefix}${digits}${s10CheckDigit(digits)}GB`;
}

/** Evri barcode numbers: 16 characters, letters and digits. */
export function isEvriTrackingNumber(value: string): boolean {
  return /^[A-Z0-9]{16}$/.test(value);
}

/** DPD UK parcel numbers: 14 digits. */
export function isDpdParcelNumber(value: string): boolean {
  return /^\d{14}$/.test(value);
}

/** DPD UK consignment numbers: 10 digits. */
export function isDpdConsignmentNumber(value: string): boolean {
  return /^\d{10}$/.test(value);
}
