import type { FastifyRequest } from "fastify";
import type { Principal } from "../topology-store";
import type { PageFrame } from "./layout";
import type { Flash, FlashKind, Session, SessionStore } from "./session-store";

/** The session cookie: a random id, HttpOnly and SameSite=Strict; the token stays on the server. */
export const SESSION_COOKIE = "imfed_session";
/** The sign-in form has no session yet: its CSRF token is a double-submit cookie of this name. */
export const SIGN_IN_COOKIE = "imfed_sign_in";

/** The store's token checks (`TopologyStore.authenticate`, `authenticateHash`). */
export interface TokenAuthenticator {
  /** Who a token belongs to, or `undefined` for a token the store does not know. */
  authenticate(secret: string): Promise<Principal | undefined>;
  /** Who the token of a SHA-256 hash belongs to, or `undefined`. */
  authenticateHash(hash: string): Promise<Principal | undefined>;
}

/** A signed-in request: its session, the token's principal, and the message a page shows once. */
export interface SignedIn {
  readonly session: Session;
  readonly principal: Principal;
  readonly flash?: Flash;
}

/**
 * The signed-in side of the Control Panel's sessions: which request belongs to a session whose
 * token still works, the message a session shows once, and the frame of its pages. The sessions
 * themselves live in the store's database ({@link SessionStore}).
 */
export class SignedInSessions {
  constructor(
    readonly sessions: SessionStore,
    readonly tokens: TokenAuthenticator,
  ) {}

  /**
   * The session of a request, if its token still works: a revoked token ends the session at
   * once (its sessions are also deleted with it, in the revoking transaction).
   */
  async trySignedIn(request: FastifyRequest): Promise<SignedIn | undefined> {
    const session = await this.sessions.tryFind(request.cookies[SESSION_COOKIE]);
    if (session === undefined) return undefined;
    const principal = await this.tokens.authenticateHash(session.tokenHash);
    if (principal === undefined) {
      await this.sessions.end(session);
      return undefined;
    }
    return { session, principal };
  }

  /** Takes the session's message for the page being shown: it is shown once. */
  async takeFlash(signedIn: SignedIn): Promise<SignedIn> {
    const message = signedIn.session.flash;
    if (message === undefined) return signedIn;
    await this.sessions.clearFlash(signedIn.session);
    return { ...signedIn, flash: message };
  }

  /** Keeps a message for the next page the session shows (the outcome of a write, or what stopped it). */
  async flash(signedIn: SignedIn, kind: FlashKind, text: string): Promise<void> {
    await this.sessions.setFlash(signedIn.session, { kind, text });
  }
}

/** What every page of a signed-in session shows around its content. */
export function frameOf(signedIn: SignedIn): PageFrame {
  return {
    title: "",
    principal: signedIn.principal,
    csrfToken: signedIn.session.csrfToken,
    ...(signedIn.flash === undefined ? {} : { flash: signedIn.flash }),
  };
}

/**
 * The options of the Control Panel's cookies: HttpOnly, SameSite=Strict, and Secure when the
 * page is served over https (behind a TLS proxy, set fastify's trustProxy so that
 * `request.protocol` says so).
 */
export function cookieOptions(request: FastifyRequest) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "strict" as const,
    secure: request.protocol === "https",
  };
}
