import { AuthFailureThrottle, clientKey } from "../../../store/http/auth-failure-throttle";

/** A throttle on a clock the test moves by hand. */
function throttleAt(failures: number, windowMs: number, maxAddresses = 10_000) {
  let now = 1_000_000;
  const throttle = new AuthFailureThrottle({ failures, windowMs, maxAddresses }, () => now);
  return { throttle, advance: (ms: number) => (now += ms) };
}

describe("AuthFailureThrottle", () => {
  it("lets an address fail up to its budget, then throttles it with the seconds left in its window", () => {
    const { throttle, advance } = throttleAt(3, 60_000);
    for (let i = 0; i < 3; i += 1) expect(throttle.recordFailure("192.0.2.1").throttled).toBe(false);
    advance(20_500);
    expect(throttle.recordFailure("192.0.2.1")).toEqual({
      throttled: true,
      retryAfterSeconds: 40,
      first: true,
      client: "192.0.2.1",
      failures: 4,
    });
    expect(throttle.recordFailure("192.0.2.1")).toMatchObject({ throttled: true, first: false, failures: 5 });
    // Another address has a budget of its own.
    expect(throttle.recordFailure("192.0.2.2").throttled).toBe(false);
  });

  it("gives an address a new budget when its window ends", () => {
    const { throttle, advance } = throttleAt(1, 10_000);
    throttle.recordFailure("192.0.2.1");
    expect(throttle.recordFailure("192.0.2.1").throttled).toBe(true);
    advance(10_000);
    expect(throttle.recordFailure("192.0.2.1").throttled).toBe(false);
    expect(throttle.recordFailure("192.0.2.1")).toMatchObject({
      throttled: true,
      first: true,
      retryAfterSeconds: 10,
    });
  });

  it("never throttles with a budget of 0", () => {
    const { throttle } = throttleAt(0, 60_000);
    for (let i = 0; i < 100; i += 1) expect(throttle.recordFailure("192.0.2.1").throttled).toBe(false);
    expect(throttle.trackedAddresses).toBe(0);
  });

  it("tracks at most maxAddresses addresses however many fail, dropping the oldest windows", () => {
    const { throttle, advance } = throttleAt(2, 60_000, 1_000);
    for (let i = 0; i < 100_000; i += 1) {
      throttle.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      if (i % 1000 === 0) advance(1);
    }
    expect(throttle.trackedAddresses).toBe(1_000);
    // The newest addresses are still counted.
    expect(throttle.recordFailure("10.1.134.159").throttled).toBe(false);
    expect(throttle.recordFailure("10.1.134.159").throttled).toBe(true);
  });

  it("reports every failure to its listeners, with whether it was throttled", () => {
    const { throttle } = throttleAt(1, 60_000);
    const seen: boolean[] = [];
    throttle.onFailure((throttled) => seen.push(throttled));
    throttle.recordFailure("192.0.2.1");
    throttle.recordFailure("192.0.2.1");
    expect(seen).toEqual([false, true]);
  });
});

describe("clientKey", () => {
  it("counts an IPv4 address as itself, also written IPv4-mapped", () => {
    expect(clientKey("192.0.2.7")).toBe("192.0.2.7");
    expect(clientKey("::ffff:192.0.2.7")).toBe("192.0.2.7");
  });

  it("counts an IPv6 address by its /64, however it is written", () => {
    expect(clientKey("2001:db8:0:1::5")).toBe("2001:db8:0:1::/64");
    expect(clientKey("2001:0db8:0000:0001:ffff:1:2:3")).toBe("2001:db8:0:1::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
  });

  it("names a missing address", () => {
    expect(clientKey(undefined)).toBe("unknown");
  });
});
