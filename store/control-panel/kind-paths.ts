import type { ResourceKind } from "../../core";
import { KINDS } from "../../core";

/**
 * The Control Panel's addresses of a resource kind's pages, from the kind's API path and its
 * identity field: a collection kind has a list (`/providers`), a New page per variant
 * (`/providers/new?kind=hosted`), and a details and a delete page per object
 * (`/providers/details?name=MSN`); a singleton kind has one page (`/federation`).
 */
export class KindPaths {
  constructor(readonly kind: ResourceKind) {}

  /** The kind's own page: the list of a collection, the object of a singleton. */
  get page(): string {
    return `/${this.kind.path}`;
  }

  /** The New page (of a variant, for a kind with variants), or where its form posts. */
  create(variant?: string): string {
    const discriminator = this.kind.discriminator;
    return variant === undefined || discriminator === undefined
      ? `${this.page}/new`
      : `${this.page}/new?${discriminator}=${encodeURIComponent(variant)}`;
  }

  /** The details (edit) page of a collection's objects, which names the object in its query. */
  get detailsPage(): string {
    return `${this.page}/details`;
  }

  /** The details (edit) page of an object: the singleton's page for a singleton kind. */
  details(id: string): string {
    return this.kind.singletonId === undefined ? `${this.detailsPage}${this.#query(id)}` : this.page;
  }

  /** The delete confirmation of a collection's objects, which names the object in its query. */
  get removePage(): string {
    return `${this.page}/delete`;
  }

  /** The delete confirmation of an object. */
  remove(id: string): string {
    return `${this.removePage}${this.#query(id)}`;
  }

  /** The query parameter that names an object: its identity field (`name`). */
  get idParameter(): string {
    return this.kind.identityField ?? "id";
  }

  #query(id: string): string {
    return `?${this.idParameter}=${encodeURIComponent(id)}`;
  }
}

/** The paths of a kind. */
export function pathsOf(kind: ResourceKind): KindPaths {
  return new KindPaths(kind);
}

/** The page of the audit log. */
export const AUDIT_PATH = "/audit";

/**
 * Tells whether a path is one of the Control Panel's own pages (a place to go after sign-in):
 * a kind's page or one of its subpages, or the audit log, with a plain query. Anything else
 * would be an open redirect.
 */
export function isOwnPage(path: string): boolean {
  const pages = [...KINDS.map((kind) => kind.path), AUDIT_PATH.slice(1)].map((page) =>
    page.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
  );
  return new RegExp(`^/(${pages.join("|")})(/[a-z]+)?(\\?[A-Za-z0-9%._~=&+!()*'-]*)?$`).test(path);
}
