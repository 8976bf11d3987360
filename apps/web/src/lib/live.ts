// The seller's live document on this page (the path every device takes unless the document worker is
// switched on: ./doc-link.ts). The document itself is ./live-doc.ts; the page gives it the session's
// access token.

import { clearFirstScreens } from "./first-screen.ts";
import { type Live, type OpenLiveOptions, openLiveDoc } from "./live-doc.ts";
import { accessToken } from "./session.ts";

export type { Connection, Live, OpenLiveOptions } from "./live-doc.ts";

export function openLive(sellerId: string, options: OpenLiveOptions = {}): Live {
  return openLiveDoc(
    sellerId,
    { accessToken, reload: () => location.reload(), forgetFirstScreens: clearFirstScreens },
    options,
  );
}
