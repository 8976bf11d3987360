// Where a webhook may go: https, to a name that resolves only to public addresses. Checked when an
// endpoint is registered and again before every delivery (a name can be pointed elsewhere later);
// deliveries never follow redirects. This keeps a seller's webhook from reaching the cloud's
// metadata service (169.254.169.254), a private network (10.0.0.1) or this machine (localhost).

export type Resolve = (hostname: string) => Promise<string[]>;

/** Hostnames that never name a public host. */
const PRIVATE_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan", ".intranet", ".corp"];

function ipv4Octets(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  return octets.every((n) => n >= 0 && n <= 255) ? octets : null;
}

function ipv4IsPublic([a, b, c]: number[]): boolean {
  if (a === undefined || b === undefined || c === undefined) return false;
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false; // this network, private, loopback, multicast, reserved
  if (a === 100 && b >= 64 && b <= 127) return false; // carrier-grade NAT
  if (a === 169 && b === 254) return false; // link-local (cloud metadata)
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF protocol, TEST-NET-1
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  return true;
}

/** The 8 groups of an IPv6 address (with an embedded IPv4 tail expanded), or null. */
function ipv6Groups(text: string): number[] | null {
  let s = text.toLowerCase();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  if (!s.includes(":") || s.includes("%")) return null;
  const tail = s.slice(s.lastIndexOf(":") + 1);
  if (tail.includes(".")) {
    const v4 = ipv4Octets(tail);
    if (!v4) return null;
    s = `${s.slice(0, s.lastIndexOf(":") + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) =>
    part === ""
      ? []
      : part.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  const head = parse(halves[0] ?? "");
  const rest = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? head.length !== 8 : missing < 1) return null;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  return groups.every((g) => Number.isFinite(g)) ? groups : null;
}

function ipv6IsPublic(g: number[]): boolean {
  const [a = 0, b = 0, , , , f = 0, s6 = 0, s7 = 0] = g;
  if (g.every((x) => x === 0)) return false; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return false; // ::1
  // IPv4-mapped (::ffff:a.b.c.d) and the NAT64 well-known prefix carry an IPv4 address.
  if (g.slice(0, 5).every((x) => x === 0) && f === 0xffff)
    return ipv4IsPublic([s6 >> 8, s6 & 255, s7 >> 8, s7 & 255]);
  if (a === 0x64 && b === 0xff9b) return ipv4IsPublic([s6 >> 8, s6 & 255, s7 >> 8, s7 & 255]);
  if ((a & 0xfe00) === 0xfc00) return false; // unique local
  if ((a & 0xffc0) === 0xfe80) return false; // link-local
  if ((a & 0xff00) === 0xff00) return false; // multicast
  if (a === 0x2001 && b === 0x0db8) return false; // documentation
  if (g.slice(0, 6).every((x) => x === 0)) return false; // IPv4-compatible (deprecated)
  return true;
}

/** "public", "private" (a loopback, private, link-local… address) or null when it is not an IP address. */
export function classifyAddress(text: string): "public" | "private" | null {
  const v4 = ipv4Octets(text);
  if (v4) return ipv4IsPublic(v4) ? "public" : "private";
  const v6 = ipv6Groups(text);
  if (v6) return ipv6IsPublic(v6) ? "public" : "private";
  return null;
}

/** What is wrong with this URL as a webhook target, judged from the text alone; null when nothing is. */
export function targetUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "this is not a URL: give the full address, e.g. https://example.co.uk/consign/webhooks";
  }
  if (url.protocol !== "https:") return "use an https:// URL (deliveries carry order data)";
  if (url.username || url.password) return "leave the user name and password out of the URL";
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const address = classifyAddress(host);
  if (address === "private")
    return "this address is not on the public internet (loopback, private, link-local or reserved)";
  if (address === "public") return null;
  if (host === "localhost" || PRIVATE_SUFFIXES.some((s) => host.endsWith(s)))
    return "this name is for a local network, not the public internet";
  if (!host.includes(".")) return "give a full public host name, e.g. hooks.example.co.uk";
  // Encoded IPv4 forms (http://2130706433/, 0x7f.1) that URL parsing leaves as a name.
  if (/^[0-9.x]+$/i.test(host)) return "give the address in dotted form or a host name";
  return null;
}

/** The full check: the URL itself, then every address its host name resolves to. Null when allowed. */
export async function checkTarget(text: string, resolve: Resolve): Promise<string | null> {
  const problem = targetUrlProblem(text);
  if (problem) return problem;
  const host = new URL(text).hostname.replace(/^\[|\]$/g, "");
  if (classifyAddress(host) !== null) return null;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (e) {
    return `the host name could not be looked up (${e instanceof Error ? e.message : String(e)}): try again shortly`;
  }
  if (addresses.length === 0) return `${host} does not resolve to any address`;
  const inside = addresses.find((a) => classifyAddress(a) !== "public");
  if (inside) return `${host} resolves to ${inside}, which is not on the public internet`;
  return null;
}

/** Looks names up with DNS over HTTPS (JSON form, as Cloudflare's and Google's resolvers serve it). */
export function dohResolver(endpoint: string, fetcher: typeof fetch = fetch): Resolve {
  return async (hostname) => {
    const out: string[] = [];
    for (const type of ["A", "AAAA"]) {
      const url = `${endpoint}?name=${encodeURIComponent(hostname)}&type=${type}`;
      const res = await fetcher(url, {
        headers: { accept: "application/dns-json" },
        signal: AbortSignal.timeout(5_000),
      });
      if (!res.ok) throw new Error(`DNS lookup answered HTTP ${res.status}`);
      const body = (await res.json()) as { Status?: number; Answer?: { type: number; data: string }[] };
      if (body.Status !== undefined && body.Status !== 0 && body.Status !== 3)
        throw new Error(`DNS lookup failed (status ${body.Status})`);
      for (const answer of body.Answer ?? [])
        if (answer.type === 1 || answer.type === 28) out.push(answer.data);
    }
    return out;
  };
}

/** Fixed answers (a JSON object of host name → addresses): for local stacks and tests without DNS. */
export function staticResolver(table: Record<string, string[]>): Resolve {
  return async (hostname) => table[hostname.toLowerCase()] ?? [];
}

export const DEFAULT_DOH_URL = "https://cloudflare-dns.com/dns-query";

/** The resolver an environment asks for: WEBHOOK_DNS_STATIC (JSON) if set, else DNS over HTTPS at WEBHOOK_DNS_URL. */
export function resolverFor(env: { WEBHOOK_DNS_URL?: string; WEBHOOK_DNS_STATIC?: string }): Resolve {
  if (env.WEBHOOK_DNS_STATIC) {
    const table = JSON.parse(env.WEBHOOK_DNS_STATIC) as Record<string, string[]>;
    return staticResolver(Object.fromEntries(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v])));
  }
  return dohResolver(env.WEBHOOK_DNS_URL || DEFAULT_DOH_URL);
}

/**
 * The fetch webhook deliveries go out with. Local stacks set WEBHOOK_DELIVER_VIA ({host: base URL})
 * so that a webhook registered as https://host/path reaches base/path (the sandbox's receiver) while
 * the name still passes the public-address check like any other; every other URL, and every URL
 * in production, is fetched as registered.
 */
export function deliveryFetch(
  env: { WEBHOOK_DELIVER_VIA?: string },
  fetchFn: (url: string, init: RequestInit) => Promise<Response>,
): (url: string, init: RequestInit) => Promise<Response> {
  if (!env.WEBHOOK_DELIVER_VIA) return fetchFn;
  const via = new Map(
    Object.entries(JSON.parse(env.WEBHOOK_DELIVER_VIA) as Record<string, string>).map(([host, base]) => [
      host.toLowerCase(),
      base.replace(/\/$/, ""),
    ]),
  );
  return (url, init) => {
    const target = new URL(url);
    const base = via.get(target.hostname.toLowerCase());
    return fetchFn(base ? `${base}${target.pathname}${target.search}` : url, init);
  };
}
