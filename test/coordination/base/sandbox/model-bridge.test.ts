/** The model bridge's endpoints as plain data (the bridge itself runs in confine.integration.test.ts). */
import { describe, expect, it } from "vitest";
import { parseEndpoint } from "../../../../coordination/base/sandbox/model-bridge.js";

describe("parseEndpoint", () => {
  it("splits host:port (an IPv6 literal unbracketed) and refuses anything else", () => {
    expect(parseEndpoint("api.openai.com:443")).toEqual({
      host: "api.openai.com",
      port: 443,
    });
    expect(parseEndpoint("[::1]:8080")).toEqual({ host: "::1", port: 8080 });
    for (const bad of ["api.openai.com", ":443", "h:0", "h:99999", "h:x"])
      expect(() => parseEndpoint(bad)).toThrow(/is not host:port/);
  });
});
