import Fastify from "fastify";
import { ImfedError } from "../../../core";
import { preconditionsOf, registerRequestContext, writeContextOf } from "../../../store/http/request-context";

/**
 * The headers of an API request are parsed once, in one hook, into the request's context, which
 * the handlers read: a malformed header is refused before any handler runs.
 */
describe("registerRequestContext", () => {
  async function appWith(onHandle: () => void) {
    const app = Fastify();
    registerRequestContext(app);
    app.addHook("onRequest", async (request) => {
      request.principal = { name: "admin", role: "CsAdministrator" };
    });
    app.setErrorHandler((error, _request, reply) =>
      reply.code(400).send({
        code: error instanceof ImfedError ? error.code : "other",
        message: (error as Error).message,
      }),
    );
    const handler = async (request: Parameters<typeof writeContextOf>[0]) => {
      onHandle();
      return { write: writeContextOf(request), preconditions: preconditionsOf(request) };
    };
    app.put("/v1/things/:id", { config: { preconditions: true } }, handler);
    app.get("/v1/things/:id", handler);
    await app.ready();
    return app;
  }

  it("hands the handler the client kind, the decoded reason and the preconditions", async () => {
    const app = await appWith(() => undefined);
    const answer = await app.inject({
      method: "PUT",
      url: "/v1/things/a",
      headers: {
        "x-imfed-client": "pulumi",
        "x-imfed-reason": encodeURIComponent("ticket #7 — é"),
        "if-match": '"3", W/"4", "5"',
      },
    });
    expect(answer.json()).toEqual({
      write: { actor: "admin", via: "pulumi", reason: "ticket #7 — é" },
      preconditions: { ifMatch: ["3", "5"] },
    });
    await app.close();
  });

  it("reads no preconditions on a route that takes none, where If-None-Match is a conditional read", async () => {
    const app = await appWith(() => undefined);
    const answer = await app.inject({
      method: "GET",
      url: "/v1/things/a",
      headers: { "if-none-match": '"3"' },
    });
    expect(answer.json()).toEqual({ write: { actor: "admin", via: "api", reason: null }, preconditions: {} });
    await app.close();
  });

  it.each([
    ["x-imfed-client", "terraform"],
    ["x-imfed-client", "control-panel"],
    ["x-imfed-reason", "100%E0%A4%A"],
    ["if-match", "3"],
    ["if-none-match", '"3"'],
  ])("refuses %s %s with bad_request before the handler runs", async (header, value) => {
    let handled = 0;
    const app = await appWith(() => (handled += 1));
    const answer = await app.inject({ method: "PUT", url: "/v1/things/a", headers: { [header]: value } });
    expect(answer.json()).toMatchObject({ code: "bad_request" });
    expect(handled).toBe(0);
    await app.close();
  });
});
