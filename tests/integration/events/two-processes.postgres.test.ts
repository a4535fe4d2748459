import { api } from "../../helpers/api";
import type { PostgresServer } from "../../helpers/postgres";
import { postgresSkipReason, startPostgres } from "../../helpers/postgres";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";
import type { RecordingReceiver } from "../../helpers/webhook-receiver";
import { startRecordingReceiver, waitFor } from "../../helpers/webhook-receiver";
import { PATIENT_DELIVERY, providerSeqs, subscribe, toggle } from "./delivery-helpers";

/**
 * Two store processes on one PostgreSQL database both run the delivery: each event reaches
 * each subscription once, not once per process (the subscription's row lock, with the cursor
 * moved in the same transaction).
 */

jest.setTimeout(240_000);

const skip = postgresSkipReason();
const describePostgres = skip === undefined ? describe : describe.skip;

describePostgres("change events from two store processes on one PostgreSQL", () => {
  let postgres: PostgresServer;
  const stores: StoreProcess[] = [];
  const receivers: RecordingReceiver[] = [];

  beforeAll(async () => {
    postgres = await startPostgres();
    const db = await postgres.createDatabase("events");
    stores.push(await startStore({ db, args: PATIENT_DELIVERY }));
    stores.push(await startStore({ db, adminToken: stores[0]!.adminToken, args: PATIENT_DELIVERY }));
  });

  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    for (const store of stores) await store.stop();
    await postgres?.stop();
  });

  it("delivers each event once per subscription", async () => {
    const CHANGES = 20;
    const [one, two] = stores as [StoreProcess, StoreProcess];
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
    // Writes alternate between the processes, so both have work to deliver.
    for (let i = 1; i <= CHANGES; i++)
      await toggle(i % 2 === 0 ? two : one, "MSN", i % 2 === 1, `change ${i}`);
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
});
