import { api } from "../../helpers/api";
import type { StoreProcess } from "../../helpers/store-process";
import type { ReceivedDelivery } from "../../helpers/webhook-receiver";

/** The flags of a store that delivers to loopback receivers and retries every second at most, never pausing. */
export const PATIENT_DELIVERY = [
  "--allow-http-loopback-webhooks",
  "--webhook-retry-initial",
  "0.2",
  "--webhook-retry-max",
  "1",
  "--webhook-failure-limit",
  "100000",
];

/** Creates a subscription and returns its id and secret. */
export async function subscribe(
  store: StoreProcess,
  url: string,
  filter: Record<string, unknown>,
): Promise<{ id: string; secret: string }> {
  const response = await api(store, "POST", "/v1/subscriptions", {
    token: store.adminToken,
    body: { url, filter },
  });
  if (response.status !== 201) throw new Error(`POST /v1/subscriptions: ${response.status} ${response.text}`);
  return response.body as { id: string; secret: string };
}

/** Writes a provider's `enabled` with a reason, through the API. */
export async function toggle(
  store: StoreProcess,
  name: string,
  enabled: boolean,
  reason: string,
): Promise<void> {
  const response = await api(store, "PATCH", `/v1/providers/${encodeURIComponent(name)}`, {
    token: store.adminToken,
    body: { enabled },
    headers: { "x-imfed-reason": encodeURIComponent(reason) },
  });
  if (response.status !== 200) throw new Error(`PATCH ${name}: ${response.status} ${response.text}`);
}

/** The seqs of the audit entries about providers after `after`, oldest first. */
export async function providerSeqs(store: StoreProcess, after: number): Promise<number[]> {
  const response = await api(store, "GET", `/v1/audit?after=${after}&limit=1000`, {
    token: store.adminToken,
  });
  return (response.body.items as { seq: number; target: string }[])
    .filter((entry) => entry.target.startsWith("provider/"))
    .map((entry) => entry.seq);
}

/** The delivery ids in the order they first arrived. */
export function firstArrivals(deliveries: readonly ReceivedDelivery[]): ReceivedDelivery[] {
  const seen = new Map<string, ReceivedDelivery>();
  for (const delivery of deliveries) {
    const id = String(delivery.headers["webhook-id"]);
    if (!seen.has(id)) seen.set(id, delivery);
  }
  return [...seen.values()];
}

/** Checks that every copy of a delivery id carried the same event (duplicates only as the same delivery). */
export function duplicatesAreTheSameDelivery(deliveries: readonly ReceivedDelivery[]): boolean {
  const bodies = new Map<string, number>();
  for (const delivery of deliveries) {
    const id = String(delivery.headers["webhook-id"]);
    const seq = delivery.event?.seq ?? -1;
    if (bodies.has(id) && bodies.get(id) !== seq) return false;
    bodies.set(id, seq);
  }
  return true;
}
