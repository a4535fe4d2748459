import type { FederationRecord } from "../core";
import { DEFAULT_FEDERATION_SETTINGS, FEDERATION_ID, PreconditionFailedError } from "../core";
import type { StoreClient, WriteOptions } from "../client";
import { ChangedOutsideOfCodeError } from "./changed-outside-error";
import type { StoreConnection } from "./connection";
import {
  checkFederationInputs,
  diffFederation,
  federationInputsOf,
  federationSettingsOf,
} from "./federation-inputs";
import type { CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult } from "./results";

type Bag = Readonly<Record<string, unknown>>;

const WHAT = "the federation settings";

/**
 * The dynamic provider of `Federation`: the store's single federation settings object, id
 * `global`. Create adopts it; delete restores the defaults.
 */
export class FederationProvider {
  readonly #connection: StoreConnection;

  constructor(connection: StoreConnection) {
    this.#connection = connection;
  }

  /** Validates the settings: every failure with its property path, defaults filled. */
  async check(_olds: Bag, news: Bag): Promise<CheckResult> {
    return checkFederationInputs(news);
  }

  /** Compares the state with the new inputs; every setting changes in place. */
  async diff(_id: string, olds: Bag, news: Bag): Promise<DiffResult> {
    return diffFederation(olds, news);
  }

  /** Adopts the store's federation settings and sets them to the declared ones. If it throws, nothing was written. */
  async create(inputs: Bag): Promise<CreateResult> {
    const record = await this.#connection
      .client()
      .putFederation(federationSettingsOf(inputs), this.#write({}));
    return { id: FEDERATION_ID, outs: { ...record } };
  }

  /** Reads the live settings as both outputs and inputs. */
  async read(_id: string, _props: Bag): Promise<ReadResult> {
    const record = await this.#connection.client().getFederation();
    return { id: FEDERATION_ID, props: { ...record }, inputs: federationInputsOf(record) };
  }

  /** Sets the new settings with `If-Match` of the state's revision; a change made outside of code fails, naming who. */
  async update(_id: string, olds: Bag, news: Bag): Promise<UpdateResult> {
    const client = this.#connection.client();
    const revision = revisionOf(olds);
    try {
      return {
        outs: {
          ...(await client.putFederation(federationSettingsOf(news), this.#write({ ifMatch: revision }))),
        },
      };
    } catch (error) {
      throw await this.#explain(client, error, revision);
    }
  }

  /** Restores the default settings (federation off) with `If-Match` of the state's revision. */
  async delete(_id: string, props: Bag): Promise<void> {
    const client = this.#connection.client();
    const revision = revisionOf(props);
    try {
      await client.putFederation({ ...DEFAULT_FEDERATION_SETTINGS }, this.#write({ ifMatch: revision }));
    } catch (error) {
      throw await this.#explain(client, error, revision);
    }
  }

  async #explain(client: StoreClient, error: unknown, revision: number | undefined): Promise<unknown> {
    if (!(error instanceof PreconditionFailedError)) return error;
    const live: FederationRecord = await client.getFederation();
    return ChangedOutsideOfCodeError.changed(WHAT, revision, live);
  }

  #write(options: WriteOptions): WriteOptions {
    const reason = this.#connection.reason();
    return reason === undefined ? options : { ...options, reason };
  }
}

function revisionOf(state: Bag): number | undefined {
  return typeof state.revision === "number" ? state.revision : undefined;
}
