// The services each courier offers, as our adapters book them: a rule may only name one of these,
// with a format the service carries. Kept here (not in packages/couriers) so rule validation in
// the domain, the app's rules form and the API all check the same list.

import type { CourierId, PackageFormat } from "../order.ts";

export interface CourierService {
  serviceCode: string;
  name: string;
  /** Formats the service carries; absent: the courier does not book by format. */
  formats?: readonly PackageFormat[];
}

const RM_FORMATS: readonly PackageFormat[] = ["large-letter", "small-parcel", "medium-parcel"];

export const COURIER_SERVICES: Readonly<Record<CourierId, readonly CourierService[]>> = {
  "royal-mail": [
    { serviceCode: "TPN24", name: "Royal Mail Tracked 24", formats: RM_FORMATS },
    { serviceCode: "TPS48", name: "Royal Mail Tracked 48", formats: RM_FORMATS },
    { serviceCode: "SD1", name: "Royal Mail Special Delivery Guaranteed by 1pm", formats: RM_FORMATS },
  ],
  dpd: [
    { serviceCode: "1^12", name: "DPD Next Day" },
    { serviceCode: "1^13", name: "DPD Next Day by 12:00" },
  ],
  evri: [
    { serviceCode: "EVRI48", name: "Evri Standard" },
    { serviceCode: "EVRI24", name: "Evri Next Day" },
  ],
  "amazon-shipping": [
    { serviceCode: "SWA-UK-PREM", name: "Amazon Shipping One Day" },
    { serviceCode: "SWA-UK-STD", name: "Amazon Shipping Standard" },
  ],
};

/** Why a courier, service and format do not go together; null when they do. */
export function serviceProblem(
  courier: CourierId,
  serviceCode: string,
  format?: PackageFormat,
): { field: "serviceCode" | "format"; message: string } | null {
  const offered = COURIER_SERVICES[courier];
  const service = offered.find((s) => s.serviceCode === serviceCode);
  if (!service) {
    return {
      field: "serviceCode",
      message: `${courier} has no service "${serviceCode}": use one of ${offered.map((s) => `${s.serviceCode} (${s.name})`).join(", ")}`,
    };
  }
  if (format && service.formats && !service.formats.includes(format)) {
    return {
      field: "format",
      message: `${service.name} does not carry ${format}: use ${service.formats.join(", ")}`,
    };
  }
  return null;
}
