import { describe, expect, it } from "vitest";
import { isDeliverableAddress, RefusedAddress, resolveDeliverable, validateEndpointUrl } from "./address";

describe("isDeliverableAddress", () => {
  it.each([
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "127.0.0.1",
    "127.8.9.10",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "224.0.0.1",
    "::1",
    "::",
    "fe80::1",
    "fd00::1",
    "::ffff:10.0.0.1",
    "::ffff:127.0.0.1",
  ])("refuses %s", (address) => {
    expect(isDeliverableAddress(address, false)).toBe(false);
  });

  it.each(["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.216.34"])(
    "allows %s",
    (address) => expect(isDeliverableAddress(address, false)).toBe(true),
  );

  it("allows loopback only under the development flag, and never the other private ranges", () => {
    expect(isDeliverableAddress("127.0.0.1", true)).toBe(true);
    expect(isDeliverableAddress("::1", true)).toBe(true);
    expect(isDeliverableAddress("10.0.0.1", true)).toBe(false);
    expect(isDeliverableAddress("169.254.169.254", true)).toBe(false);
  });
});

describe("validateEndpointUrl", () => {
  it("takes https, and http only to loopback under the flag", () => {
    expect(validateEndpointUrl("https://example.com/hook", false)).toBe("https://example.com/hook");
    expect(validateEndpointUrl("http://127.0.0.1:8080/h", true)).toBe("http://127.0.0.1:8080/h");
    expect(validateEndpointUrl("http://localhost:8080/h", true)).toBe("http://localhost:8080/h");
    expect(() => validateEndpointUrl("http://127.0.0.1:8080/h", false)).toThrow(/https/);
    expect(() => validateEndpointUrl("http://example.com/h", true)).toThrow(/https/);
    expect(() => validateEndpointUrl("https://localhost/h", false)).toThrow(/public/);
    expect(() => validateEndpointUrl("https://[::1]/h", false)).toThrow(/public/);
    expect(() => validateEndpointUrl("https://10.2.3.4/h", true)).toThrow(/public/);
  });
});

describe("resolveDeliverable", () => {
  it("refuses a host when any of its addresses is private, and returns the checked one otherwise", async () => {
    const answers =
      (...addresses: string[]) =>
      async () =>
        addresses.map((address) => ({
          address,
          family: address.includes(":") ? (6 as const) : (4 as const),
        }));
    await expect(resolveDeliverable("a.test", false, answers("93.184.216.34"))).resolves.toEqual({
      address: "93.184.216.34",
      family: 4,
    });
    await expect(
      resolveDeliverable("a.test", false, answers("93.184.216.34", "192.168.0.2")),
    ).rejects.toThrow(RefusedAddress);
    await expect(resolveDeliverable("a.test", false, answers())).rejects.toThrow(/does not resolve/);
    await expect(resolveDeliverable("[fe80::1]", false)).rejects.toThrow(/fe80::1/);
  });
});
