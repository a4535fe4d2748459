import type { ProviderRecord, ProviderSpec } from "../core";
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  fieldsThatCannotChange,
  isBuiltInProvider,
  tryFindBuiltInProvider,
} from "../core";
import type { StoreClient, WriteOptions } from "../client";
import { ChangedOutsideOfCodeError } from "./changed-outside-error";
import type { StoreConnection } from "./connection";
import {
  checkImProviderInputs,
  diffImProvider,
  providerInputsOf,
  providerOutputsOf,
  providerSpecOf,
} from "./im-provider-inputs";
import { ProviderReader } from "./provider-reader";
import type { CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult } from "./results";

type Bag = Readonly<Record<string, unknown>>;

/**
 * The dynamic provider of `ImProvider`: an IM service provider in the topology store, whose
 * id is its name. Writes carry `X-Imfed-Client: pulumi`; update and delete carry
 * `If-Match` with the revision in the state, so a change made outside of code is never
 * overwritten unseen.
 */
export class ImProviderProvider {
  readonly #connection: StoreConnection;
  readonly #reader: ProviderReader;

  constructor(connection: StoreConnection) {
    this.#connection = connection;
    this.#reader = new ProviderReader(() => connection.client());
  }

  /** Validates the inputs: every failure with its property path, defaults filled, `proxyFqdn` lower-cased. */
  async check(_olds: Bag, news: Bag): Promise<CheckResult> {
    return checkImProviderInputs(news);
  }

  /** Compares the state with the new inputs; see {@link diffImProvider}. */
  async diff(_id: string, olds: Bag, news: Bag): Promise<DiffResult> {
    return diffImProvider(olds, news);
  }

  /**
   * Creates the provider. An existing provider of that name is adopted (updated to the
   * declared settings) when it is a built-in or the inputs say `adopt: true`; any other
   * existing name fails with a message that says how to adopt it. If create throws, nothing
   * was written.
   */
  async create(inputs: Bag): Promise<CreateResult> {
    const spec = providerSpecOf(inputs);
    const adopt = inputs.adopt === true;
    const client = this.#connection.client();
    try {
      const { provider } = await client.putProvider(spec.name, spec, this.#write({ ifNoneMatch: true }));
      return created(provider, inputs.adopt);
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new ConflictError(`cannot create provider "${spec.name}": ${error.message}`, error.details);
      }
      if (!(error instanceof PreconditionFailedError)) throw error;
    }
    const existing = await client.tryGetProvider(spec.name);
    if (existing === undefined) {
      // Deleted between the two requests: create it after all.
      const { provider } = await client.putProvider(spec.name, spec, this.#write({ ifNoneMatch: true }));
      return created(provider, inputs.adopt);
    }
    const builtIn = existing.builtIn || isBuiltInProvider(existing);
    if (!builtIn && !adopt) {
      throw new ConflictError(
        `provider "${existing.name}" already exists in the store (last changed by ${existing.updatedBy} ` +
          `via ${existing.updatedVia} at ${existing.updatedAt}). To manage it with this program, set ` +
          `"adopt: true" on the ImProvider (create then updates it to the declared settings); ` +
          `or remove it from the store first.`,
      );
    }
    return created(await this.#adopt(client, existing, spec), inputs.adopt);
  }

  // Takes over an existing provider: updated in place to the declared settings, or removed and
  // created again when a setting differs that Lync cannot change in place.
  async #adopt(client: StoreClient, existing: ProviderRecord, spec: ProviderSpec): Promise<ProviderRecord> {
    try {
      if (fieldsThatCannotChange(providerSpecOf(providerInputsOf(existing)), spec).length === 0) {
        return (await client.putProvider(existing.name, spec, this.#write({ ifMatch: existing.revision })))
          .provider;
      }
      await client.deleteProvider(existing.name, this.#write({ ifMatch: existing.revision }));
      return (await client.putProvider(spec.name, spec, this.#write({ ifNoneMatch: true }))).provider;
    } catch (error) {
      if (error instanceof PreconditionFailedError) {
        throw await this.#changedOutside(client, existing.name, existing.revision);
      }
      throw error;
    }
  }

  /**
   * Reads the live provider: its fields as both outputs and inputs (so a refresh shows a block
   * made outside of code as `enabled: true => false`), or no id when it is gone. `props` are the
   * old outputs (the host passes no old inputs), which carry `adopt` as declared, so both keep
   * it. Concurrent reads share one list request.
   */
  async read(id: string, props: Bag): Promise<ReadResult> {
    const record = await this.#reader.read(id);
    if (record === undefined) return {};
    return {
      id: record.name,
      props: providerOutputsOf(record, props.adopt),
      inputs: providerInputsOf(record, props.adopt),
    };
  }

  /**
   * Updates the provider to the new inputs with `If-Match` of the state's revision. If it was
   * changed outside of code since, nothing is written and the error names who changed it,
   * when and why, and says to refresh.
   */
  async update(id: string, olds: Bag, news: Bag): Promise<UpdateResult> {
    const spec = providerSpecOf(news);
    const client = this.#connection.client();
    const revision = revisionOf(olds);
    try {
      const { provider } = await client.putProvider(id, spec, this.#write({ ifMatch: revision }));
      return { outs: providerOutputsOf(provider, news.adopt) };
    } catch (error) {
      if (error instanceof PreconditionFailedError) throw await this.#changedOutside(client, id, revision);
      throw error;
    }
  }

  /**
   * Deletes the provider with `If-Match` of the state's revision; a built-in is not deleted
   * but restored to its defaults (present, not enabled). A provider already gone is not an
   * error. If delete throws, the provider is as it was.
   */
  async delete(id: string, props: Bag): Promise<void> {
    const client = this.#connection.client();
    const revision = revisionOf(props);
    const builtIn = tryFindBuiltInProvider(id);
    const wasBuiltIn =
      builtIn !== undefined &&
      (props.builtIn === true ||
        (typeof props.kind === "string" &&
          typeof props.proxyFqdn === "string" &&
          isBuiltInProvider({ name: id, kind: props.kind, proxyFqdn: props.proxyFqdn })));
    try {
      if (wasBuiltIn) {
        await client.putProvider(id, { ...builtIn, name: id }, this.#write({ ifMatch: revision }));
      } else {
        await client.deleteProvider(id, this.#write({ ifMatch: revision }));
      }
    } catch (error) {
      if (error instanceof NotFoundError && !wasBuiltIn) return;
      if (!(error instanceof PreconditionFailedError)) throw error;
      const live = await client.tryGetProvider(id);
      if (live === undefined) {
        // Gone already; a built-in is put back as the store seeds it.
        if (wasBuiltIn)
          await client.putProvider(id, { ...builtIn, name: id }, this.#write({ ifNoneMatch: true }));
        return;
      }
      throw ChangedOutsideOfCodeError.changed(`provider "${live.name}"`, revision, live);
    }
  }

  async #changedOutside(
    client: StoreClient,
    name: string,
    revision: unknown,
  ): Promise<ChangedOutsideOfCodeError> {
    const live = await client.tryGetProvider(name);
    return live === undefined
      ? ChangedOutsideOfCodeError.deleted(`provider "${name}"`)
      : ChangedOutsideOfCodeError.changed(`provider "${live.name}"`, revision, live);
  }

  #write(options: WriteOptions): WriteOptions {
    const reason = this.#connection.reason();
    return reason === undefined ? options : { ...options, reason };
  }
}

function created(provider: ProviderRecord, adopt: unknown): CreateResult {
  return { id: provider.name, outs: providerOutputsOf(provider, adopt) };
}

function revisionOf(state: Bag): number | undefined {
  return typeof state.revision === "number" ? state.revision : undefined;
}
