/** The ssh hub connection's pure parts: which hub URLs are ssh, and the commands git is given. */
import { describe, expect, it } from "vitest";
import {
  muxClientCommand,
  parseSshHub,
  shellQuote,
} from "../../coordination/git/ssh-mux.js";

describe("parseSshHub", () => {
  it("reads ssh:// URLs with user and port, and scp-like addresses", () => {
    expect(parseSshHub("ssh://git@hub.example:2222/srv/x.git")).toEqual({
      destination: "git@hub.example",
      port: "2222",
    });
    expect(parseSshHub("ssh://10.77.0.1/tmp/hub.git")).toEqual({
      destination: "10.77.0.1",
    });
    expect(parseSshHub("git+ssh://[::1]/r.git")).toEqual({
      destination: "::1",
    });
    expect(parseSshHub("git@github.com:org/repo.git")).toEqual({
      destination: "git@github.com",
    });
    expect(parseSshHub("hub:repos/x.git")).toEqual({ destination: "hub" });
  });

  it("is undefined for paths, file://, http(s):// and git://", () => {
    for (const url of [
      "/srv/hub.git",
      "./hub.git",
      "../a:b/hub.git",
      "file:///srv/hub.git",
      "https://example.com/hub.git",
      "http://10.0.0.1:8080/hub.git",
      "git://example.com/hub.git",
      "C:/repos/hub.git",
    ])
      expect(parseSshHub(url), url).toBeUndefined();
  });
});

describe("the client command", () => {
  it("rides the master's socket and never becomes a master itself", () => {
    expect(muxClientCommand("ssh -o BatchMode=yes", "/tmp/gsw-ssh-x/hub")).toBe(
      "ssh -o BatchMode=yes -o ControlMaster=no -o ControlPath=/tmp/gsw-ssh-x/hub",
    );
    expect(shellQuote("/tmp/a b/it's")).toBe(`'/tmp/a b/it'\\''s'`);
  });
});
