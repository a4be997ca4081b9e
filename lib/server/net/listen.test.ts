// @vitest-environment node
import { describe, expect, it } from "vitest";
import { listenHost } from "./listen";

describe("listenHost", () => {
  it("binds loopback in development unless HOST says otherwise", () => {
    expect(listenHost(undefined, true)).toBe("127.0.0.1");
    expect(listenHost("", true)).toBe("127.0.0.1");
    expect(listenHost("0.0.0.0", true)).toBe("0.0.0.0");
  });

  it("binds every interface in production unless HOST is set", () => {
    expect(listenHost(undefined, false)).toBeUndefined();
    expect(listenHost("10.0.0.5", false)).toBe("10.0.0.5");
  });
});
