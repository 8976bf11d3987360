// Small Web Crypto helpers for the Amazon connection: base64url, the AES-GCM key for stored
// credentials and an HMAC key (derived with HKDF) for the consent `state`.

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function keyBytes(credentialsKey: string): Uint8Array {
  const raw = base64ToBytes(credentialsKey);
  if (raw.length !== 32) {
    throw new Error("CREDENTIALS_KEY must be 32 random bytes in base64 (openssl rand -base64 32).");
  }
  return raw;
}

export function aesKey(credentialsKey: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", keyBytes(credentialsKey), "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function stateKey(credentialsKey: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", keyBytes(credentialsKey), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new Uint8Array(0),
      info: new TextEncoder().encode("consign amazon consent state"),
    },
    base,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign", "verify"],
  );
}

const SEALED_PREFIX = "enc1.";

/** True when `stored` was written by `sealText` (older rows may hold plain text). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

/** Encrypts `text` with AES-GCM, bound to `context` (so a sealed value cannot be moved to another row). */
export async function sealText(key: CryptoKey, text: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
      key,
      new TextEncoder().encode(text),
    ),
  );
  const out = new Uint8Array(iv.length + ciphertext.length);
  out.set(iv);
  out.set(ciphertext, iv.length);
  return SEALED_PREFIX + bytesToBase64Url(out);
}

/** The text `sealText` sealed; throws when the key or the context differ. */
export async function openText(key: CryptoKey, sealed: string, context: string): Promise<string> {
  const bytes = base64ToBytes(sealed.slice(SEALED_PREFIX.length));
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: new TextEncoder().encode(context) },
    key,
    bytes.subarray(12),
  );
  return new TextDecoder().decode(plain);
}
