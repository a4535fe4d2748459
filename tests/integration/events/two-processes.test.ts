import { api } from "../../helpers/api";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";
import type { RecordingReceiver } from "../../helpers/webhook-receiver";
import { startRecordingReceiver, waitFor } from "../../helpers/webhook-receiver";
import { PATIENT_DELIVERY, providerSeqs, subscribe, toggle } from "./delivery-helpers";

/**
 * Two store processes on one SQLite file both run the delivery: each event reaches each
 * subscription once, not once per process (a process claims a subscription for a bounded
 * lease around each delivery). PostgreSQL's case is two-processes.postgres.test.ts.
 */

jest.setTimeout(240_000);

const stores: StoreProcess[] = [];
const receivers: RecordingReceiver[] = [];

afterAll(async () => {
  for (const receiver of receivers) await receiver.close();
  for (const store of stores.reverse()) await store.stop();
});

it("delivers each event once per subscription from two store processes on one SQLite file", async () => {
  const CHANGES = 20;
  const one = await startStore({ args: PATIENT_DELIVERY });
  stores.push(one);
  const two = await startStore({ db: one.db, adminToken: one.adminToken, args: PATIENT_DELIVERY });
  stores.push(two);
  const subscriptions = [];
  for (let i = 0; i < 2; i++) {
    const receiver = await startRecordingReceiver();
    receivers.push(receiver);
    const created = await subscribe(one, receiver.url, { kinds: ["ImProvider"] });
    receiver.secret = created.secret;
    subscriptions.push(created);
  }
  const start = (
    await api(one, "GET", `/v1/subscriptions/${subscriptions[0]!.id}`, { token: one.adminToken })
  ).body.cursor as number;
  for (let i = 1; i <= CHANGES; i++) await toggle(i % 2 === 0 ? two : one, "MSN", i % 2 === 1, `change ${i}`);
  const expected = await providerSeqs(one, start);
  expect(expected).toHaveLength(CHANGES);
  for (const receiver of receivers)
    await waitFor("every change at each receiver", () => receiver.deliveries.length >= CHANGES);
  // Both processes keep polling; a duplicate would arrive within their next rounds.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  for (const receiver of receivers) {
    expect(receiver.deliveries.every((delivery) => delivery.refused === undefined)).toBe(true);
    expect(receiver.deliveries.map((delivery) => delivery.event?.seq)).toEqual(expected);
  }
});
