import { rmSync } from "node:fs";
import { api } from "../../helpers/api";
import { freeLoopbackPort } from "../../helpers/ports";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";
import type { RecordingReceiver } from "../../helpers/webhook-receiver";
import { startRecordingReceiver, waitFor } from "../../helpers/webhook-receiver";
import {
  PATIENT_DELIVERY,
  duplicatesAreTheSameDelivery,
  firstArrivals,
  providerSeqs,
  subscribe,
  toggle,
} from "./delivery-helpers";

/**
 * The audit log is the outbox: with the receiver down, the store SIGKILLed and started again,
 * every change is delivered once the receiver is back, in order, none lost.
 */

jest.setTimeout(240_000);

let first: StoreProcess | undefined;
let second: StoreProcess | undefined;
let receiver: RecordingReceiver | undefined;

afterAll(async () => {
  await receiver?.close();
  await second?.stop();
  if (first !== undefined) rmSync(first.dir, { recursive: true, force: true });
});

it("delivers every change made while the receiver was down, across a SIGKILL and a restart, in order and none lost", async () => {
  const CHANGES_BEFORE = 10;
  const CHANGES_AFTER = 5;
  const port = await freeLoopbackPort();
  first = await startStore({ args: PATIENT_DELIVERY });
  const created = await subscribe(first, `http://127.0.0.1:${port}/hooks/imfed`, { kinds: ["ImProvider"] });
  const start = (await api(first, "GET", `/v1/subscriptions/${created.id}`, { token: first.adminToken })).body
    .cursor as number;
  for (let i = 1; i <= CHANGES_BEFORE; i++) await toggle(first, "AOL", i % 2 === 1, `change ${i}`);
  await waitFor("failed deliveries to the receiver that is down", async () => {
    const got = await api(first!, "GET", `/v1/subscriptions/${created.id}`, { token: first!.adminToken });
    return (got.body.failures as number) >= 2;
  });
  await first.kill();

  second = await startStore({ db: first.db, adminToken: first.adminToken, args: PATIENT_DELIVERY });
  for (let i = CHANGES_BEFORE + 1; i <= CHANGES_BEFORE + CHANGES_AFTER; i++)
    await toggle(second, "AOL", i % 2 === 1, `change ${i}`);
  receiver = await startRecordingReceiver(port);
  receiver.secret = created.secret;

  const expected = await providerSeqs(second, start);
  expect(expected).toHaveLength(CHANGES_BEFORE + CHANGES_AFTER);
  // A SIGKILL in the middle of an attempt leaves that attempt's claim until its lease (the
  // delivery timeout and 30 s) runs out: the wait allows for it.
  await waitFor(
    "every change at the receiver",
    () => firstArrivals(receiver!.deliveries).length >= expected.length,
    180_000,
  );
  const arrivals = firstArrivals(receiver.deliveries);
  expect(receiver.deliveries.every((delivery) => delivery.refused === undefined)).toBe(true);
  expect(arrivals.map((delivery) => delivery.event?.seq)).toEqual(expected);
  expect(arrivals.map((delivery) => delivery.event?.reason)).toEqual(
    Array.from({ length: expected.length }, (_, i) => `change ${i + 1}`),
  );
  expect(duplicatesAreTheSameDelivery(receiver.deliveries)).toBe(true);
});

it("keeps the audit entries an active subscription has not had yet through audit retention, and delivers them", async () => {
  const CHANGES = 6;
  const port = await freeLoopbackPort();
  const store = await startStore({ args: PATIENT_DELIVERY });
  let restarted: StoreProcess | undefined;
  let late: RecordingReceiver | undefined;
  try {
    const created = await subscribe(store, `http://127.0.0.1:${port}/hooks/imfed`, { kinds: ["ImProvider"] });
    for (let i = 1; i <= CHANGES; i++) await toggle(store, "Yahoo!", i % 2 === 1, `kept ${i}`);
    const expected = await providerSeqs(store, 0);
    await store.terminate();
    // Retention that keeps only the newest entry runs its first round as the store starts.
    restarted = await startStore({
      db: store.db,
      adminToken: store.adminToken,
      args: [...PATIENT_DELIVERY, "--audit-retention-entries", "1"],
    });
    await toggle(restarted, "Yahoo!", true, "after the restart");
    late = await startRecordingReceiver(port);
    late.secret = created.secret;
    await waitFor(
      "every change at the receiver",
      () => firstArrivals(late!.deliveries).length >= CHANGES + 1,
    );
    expect(firstArrivals(late.deliveries).map((delivery) => delivery.event?.seq)).toEqual([
      ...expected,
      ...(await providerSeqs(restarted, expected.at(-1)!)),
    ]);
  } finally {
    await late?.close();
    await restarted?.stop();
    rmSync(store.dir, { recursive: true, force: true });
  }
});
