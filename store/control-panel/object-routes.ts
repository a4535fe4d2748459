import type { FastifyInstance } from "fastify";
import type { ResourceKind } from "../../core";
import type { ObjectStore } from "../object-store";
import { createObject, showNewObject } from "./create-object";
import { confirmDeleteObject, deleteObject } from "./delete-object";
import { commitObject, showObject } from "./edit-object";
import { extensionOf } from "./extensions";
import { pathsOf } from "./kind-paths";
import { KindObjects } from "./kind-objects";
import { renderObjectList } from "./object-list-page";
import type { PageHandlers } from "./page-handlers";
import { sendPage } from "./page-reply";
import type { AuditReader } from "./recent-audit";
import type { SignedInSessions } from "./signed-in-sessions";
import { frameOf } from "./signed-in-sessions";

/** What the pages of the objects of every kind use: the store's objects and audit log, the sessions, the wrappers. */
export interface ObjectPageServices {
  readonly objects: ObjectStore;
  readonly audit: AuditReader;
  readonly sessions: SignedInSessions;
  readonly handlers: PageHandlers;
}

/** The pages of one kind, as each of its routes' handlers sees them. */
export interface KindPageContext extends ObjectPageServices {
  readonly kindObjects: KindObjects;
}

/**
 * Registers the pages of a resource kind, all derived from its definition and its extension.
 * A collection kind (providers) gets its list (`/providers`), a New page per variant
 * (`/providers/new?kind=public`), a details page that edits an object
 * (`/providers/details?name=MSN`) and a delete confirmation (`/providers/delete?name=MSN`); a
 * singleton kind (federation) gets its one page (`/federation`) that edits its object.
 */
export function objectRoutes(app: FastifyInstance, services: ObjectPageServices, kind: ResourceKind): void {
  const context: KindPageContext = { ...services, kindObjects: new KindObjects(kind, services.objects) };
  const { handlers } = services;
  const paths = pathsOf(kind);
  if (kind.singletonId !== undefined) {
    app.get(paths.page, handlers.page(showObject(context)));
    app.post(paths.page, handlers.action(commitObject(context)));
    return;
  }
  const extension = extensionOf(kind);
  app.get(
    paths.page,
    handlers.page(async (_request, reply, signedIn) => {
      const [records, note] = await Promise.all([
        context.kindObjects.list(),
        extension.note === undefined ? ("" as const) : extension.note(services.objects),
      ]);
      return sendPage(reply, renderObjectList(frameOf(signedIn), { kind, extension, records, note }));
    }),
  );
  app.get(paths.create(), handlers.page(showNewObject(context)));
  app.post(paths.create(), handlers.action(createObject(context)));
  app.get(paths.detailsPage, handlers.page(showObject(context)));
  app.post(paths.detailsPage, handlers.action(commitObject(context)));
  app.get(paths.removePage, handlers.page(confirmDeleteObject(context)));
  app.post(paths.removePage, handlers.action(deleteObject(context)));
}
