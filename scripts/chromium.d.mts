import type { Browser, BrowserContext } from "playwright-core";

export declare const chromiumPath: string;
export declare const chromiumArgs: string[];
export declare function launchChromium(
  options?: { name?: string; userDataDir?: string; args?: string[] } & Omit<
    NonNullable<Parameters<typeof import("playwright-core").chromium.launchPersistentContext>[1]>,
    "args" | "executablePath"
  >,
): Promise<BrowserContext>;
export declare function launchChromiumBrowser(): Promise<Browser>;
