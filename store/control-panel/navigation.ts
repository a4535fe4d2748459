import { KINDS } from "../../core";
import { extensionOf } from "./extensions";
import { AUDIT_PATH, pathsOf } from "./kind-paths";

/** One link of the navigation. */
export interface NavigationLink {
  readonly href: string;
  readonly label: string;
}

/** Links listed together under a heading (that links to the first of them), or alone without one. */
export interface NavigationGroup {
  readonly heading?: string;
  readonly links: readonly NavigationLink[];
}

/**
 * The navigation of the Control Panel: each kind's page, grouped as the kinds' extensions say
 * (External User Access > Providers, Federation, as the Lync procedure names them), in the
 * order of the kinds, then the audit log.
 */
export const NAVIGATION: readonly NavigationGroup[] = (() => {
  const groups: { heading?: string; links: NavigationLink[] }[] = [];
  for (const kind of KINDS) {
    const { navigation } = extensionOf(kind);
    const link = { href: pathsOf(kind).page, label: navigation.label };
    const group =
      navigation.group === undefined ? undefined : groups.find((g) => g.heading === navigation.group);
    if (group !== undefined) group.links.push(link);
    else
      groups.push({
        ...(navigation.group === undefined ? {} : { heading: navigation.group }),
        links: [link],
      });
  }
  groups.push({ links: [{ href: AUDIT_PATH, label: "Audit log" }] });
  return groups;
})();

/** The page the Control Panel opens at (after sign-in, and from `/`): the first of the navigation. */
export const HOME: NavigationLink = NAVIGATION[0]?.links[0] ?? { href: AUDIT_PATH, label: "Audit log" };
