import { Hono } from "hono";
import type { SandboxEnv } from "../env.ts";
import { sandboxSwitches } from "./accounts.ts";
import { amazonShipping } from "./amazon-shipping.ts";
import { dpd } from "./dpd.ts";
import { evri } from "./evri.ts";
import { royalMail } from "./royalmail.ts";
import { royalMailPro } from "./royalmail-pro.ts";

/** Royal Mail Click & Drop and Pro Shipping (v3), Amazon Shipping v2, DPD UK and Evri sandboxes. */
export const couriers = new Hono<{ Bindings: SandboxEnv }>();

couriers.route("/royalmail", royalMail);
couriers.route("/royalmail-pro", royalMailPro);
couriers.route("/shipping/v2", amazonShipping);
couriers.route("/dpd", dpd);
couriers.route("/evri", evri);
couriers.route("/_sandbox/couriers", sandboxSwitches);
