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
