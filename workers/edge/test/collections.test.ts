// Courier collections in workerd against the Evri (Hermes' pickup orders) and DPD sandboxes: booked for a
// working day with the parcels given, refused with the field at fault (a ready time after Evri's
// last window, a day gone by, a courier Consign does not book), seen as Evri has it, and cancelled.
import { describe, expect, it } from "vitest";
import { call, json, signUp } from "./helpers.ts";
import { TEST_SENDER, writeApi } from "./room-helpers.ts";

interface ApiCollection {
  id: string;
  courier: string;
  date: string;
  readyAt: string;
  window: string;
  parcels: number;
  weightKg: number;
  state: string;
  cancelledAt: string | null;
}
interface ApiError {
  error: { code: string; message: string; fields: { path: string; message: string }[] };
}

const write = writeApi;

/** The next UK working day after today (Evri does not collect on Sundays). */
function nextWorkingDay(): string {
  const d = new Date(Date.now() + 86_400_000);
  if (d.getUTCDay() === 0) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

describe("courier collections", { timeout: 60_000 }, () => {
  it("books an Evri and a DPD collection for a day, shows each as the courier has it, and cancels it", async () => {
    const owner = await signUp("collections");
    const token = owner.accessToken;
    const day = nextWorkingDay();
    const book = (body: unknown) => write(token, "/api/v1/collections", body);

    // No dispatch address yet: where to add it.
    const noSender = await book({ courier: "evri", date: day, readyAt: "10:00", parcels: 3 });
    expect(noSender.status).toBe(409);
    expect((await json<ApiError>(noSender)).error.message).toContain("Settings → Sender");
    await write(token, "/api/v1/settings", { sender: TEST_SENDER }, "PATCH");
    const evriUser = `col-${crypto.randomUUID()}`;
    await write(
      token,
      "/api/v1/couriers/evri",
      { username: evriUser, password: "pw", clientId: "123", clientName: "Acme" },
      "PUT",
    );

    const late = await book({ courier: "evri", date: day, readyAt: "15:30", parcels: 3 });
    expect(late.status).toBe(400);
    expect((await json<ApiError>(late)).error.fields[0]).toMatchObject({ path: "readyAt" });
    const past = await book({ courier: "evri", date: "2020-01-06", readyAt: "10:00", parcels: 3 });
    expect(past.status).toBe(400);
    expect((await json<ApiError>(past)).error.fields[0]?.message).toContain("has passed");
    const rm = await book({ courier: "royal-mail", date: day, readyAt: "10:00", parcels: 3 });
    expect(rm.status).toBe(400);
    expect((await json<ApiError>(rm)).error.message).toContain("Royal Mail collects with your manifest");
    const noDpd = await book({ courier: "dpd", date: day, readyAt: "10:00", parcels: 3 });
    expect(noDpd.status).toBe(409);
    expect((await json<ApiError>(noDpd)).error.message).toContain("DPD is not connected");
    const nothing = await book({ courier: "evri", date: day, readyAt: "10:00" });
    expect(nothing.status).toBe(409);
    expect((await json<ApiError>(nothing)).error.message).toContain("give the number of parcels");

    const booked = await book({ courier: "evri", date: day, readyAt: "11:15", parcels: 3, weightKg: 4.5 });
    expect(booked.status, await booked.clone().text()).toBe(201);
    const c = await json<ApiCollection>(booked);
    expect(c).toMatchObject({
      courier: "evri",
      date: day,
      readyAt: "11:15",
      window: "12:00–15:00",
      parcels: 3,
      weightKg: 4.5,
      state: "booked",
    });

    const twice = await book({ courier: "evri", date: day, readyAt: "10:00", parcels: 1 });
    expect(twice.status).toBe(409);
    expect((await json<ApiError>(twice)).error.message).toContain("already booked");

    const seen = await json<ApiCollection>(await call(`/api/v1/collections/${c.id}`, { token }));
    expect(seen.state).toBe("booked");
    const listed = await json<{ collections: ApiCollection[] }>(
      await call(`/api/v1/collections?from=${day}`, { token }),
    );
    expect(listed.collections.map((x) => x.id)).toEqual([c.id]);

    const cancelled = await write(token, `/api/v1/collections/${c.id}/cancel`);
    expect(cancelled.status, await cancelled.clone().text()).toBe(200);
    expect((await json<ApiCollection>(cancelled)).state).toBe("cancelled");
    // Evri's own list says so too, and the day can be booked again.
    const evriList = await fetch("http://127.0.0.1:8788/evri/pickuporders", {
      headers: { Authorization: `Basic ${btoa(`${evriUser}:pw`)}` },
    });
    const orders = (await evriList.json()) as { listOfPickupOrders: { actualOrderState: string }[] };
    expect(orders.listOfPickupOrders.map((p) => p.actualOrderState)).toEqual(["CANCELLED"]);
    const again = await book({ courier: "evri", date: day, readyAt: "09:00", parcels: 2 });
    expect(again.status).toBe(201);
    expect((await json<ApiCollection>(again)).window).toBe("10:00–13:00");

    // DPD: booked beside Evri for the same day, seen, and cancelled.
    await write(
      token,
      "/api/v1/couriers/dpd",
      { username: `col-${crypto.randomUUID()}`, password: "pw", accountNumber: "1234567" },
      "PUT",
    );
    const dpdLate = await book({ courier: "dpd", date: day, readyAt: "18:30", parcels: 2 });
    expect(dpdLate.status).toBe(400);
    const dpdBooked = await book({ courier: "dpd", date: day, readyAt: "13:00", parcels: 2, weightKg: 12 });
    expect(dpdBooked.status, await dpdBooked.clone().text()).toBe(201);
    const d = await json<ApiCollection>(dpdBooked);
    expect(d).toMatchObject({
      courier: "dpd",
      window: "13:00–18:00",
      parcels: 2,
      weightKg: 12,
      state: "booked",
    });
    expect((await json<ApiCollection>(await call(`/api/v1/collections/${d.id}`, { token }))).state).toBe(
      "booked",
    );
    expect((await json<ApiCollection>(await write(token, `/api/v1/collections/${d.id}/cancel`))).state).toBe(
      "cancelled",
    );
    expect((await json<ApiCollection>(await call(`/api/v1/collections/${d.id}`, { token }))).state).toBe(
      "cancelled",
    );
  });
});
