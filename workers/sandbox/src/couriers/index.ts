import { Hono } from "hono";
import type { SandboxEnv } from "../env.ts";
import { sandboxSwitches } from "./accounts.ts";
import { amazonShipping } from "./amazon-shipping.ts";
import { dpd } from "./dpd.ts";
import { evri } from "./evri.ts";
import { royalMail } from "./royalmail.ts";

/** Royal Mail Click & Drop, Amazon Shipping v2, DPD UK and Evri sandboxes. */
export const couriers = new Hono<{ Bindings: SandboxEnv }>();

couriers.route("/royalmail", royalMail);
couriers.route("/shipping/v2", amazonShipping);
couriers.route("/dpd", dpd);
couriers.route("/evri", evri);
couriers.route("/_sandbox/couriers", sandboxSwitches);
