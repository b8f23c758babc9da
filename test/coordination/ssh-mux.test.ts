/** The ssh hub connection's pure parts: which hub URLs are ssh, and the commands git is given. */
import { describe, expect, it } from "vitest";
import {
  MASTER_IDLE_SECONDS,
  masterPid,
  muxClientCommand,
  muxMasterCommand,
  parseSshHub,
  shellQuote,
  socketDirPrefix,
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

describe("the commands", () => {
  it("git's calls ride the master's socket, or become the master (persisting) when none listens", () => {
    expect(muxClientCommand("ssh -o BatchMode=yes", "/tmp/gsw-ssh-x/hub")).toBe(
      "ssh -o BatchMode=yes -o ControlMaster=auto -o ControlPath=/tmp/gsw-ssh-x/hub " +
        "-o ControlPersist=60s -o ServerAliveInterval=5 -o ServerAliveCountMax=3",
    );
    expect(shellQuote("/tmp/a b/it's")).toBe(`'/tmp/a b/it'\\''s'`);
  });

  it("the master persists for a bounded idle time only: an orphan ends by itself", () => {
    const line = muxMasterCommand("ssh", "/tmp/s/hub", "-p 2222 git@hub", 5);
    expect(line).toBe(
      "ssh -M -N -o ControlPath=/tmp/s/hub -o ControlPersist=5s -o ServerAliveInterval=5 " +
        "-o ServerAliveCountMax=3 -o ConnectTimeout=10 -p 2222 git@hub",
    );
    expect(muxMasterCommand("ssh", "/s", "h")).toContain(
      `-o ControlPersist=${MASTER_IDLE_SECONDS}s`,
    );
    expect(MASTER_IDLE_SECONDS).toBeGreaterThan(0);
    expect(MASTER_IDLE_SECONDS).toBeLessThanOrEqual(300);
  });

  it("names a runner's socket folders alike on every start, short, and apart from other runners'", () => {
    const a = socketDirPrefix("ws-3-a1b2c3");
    expect(a).toBe(socketDirPrefix("ws-3-a1b2c3"));
    expect(a).not.toBe(socketDirPrefix("ws-3-a1b2c4"));
    expect(a).toMatch(/^gsw-ssh-[0-9a-f]{10}-$/);
    // Room under the ~104-byte socket path limit in a usual temp dir.
    expect(`/tmp/${a}XXXXXX/hub`.length).toBeLessThan(40);
  });

  it("reads the master's pid from ssh -O check", () => {
    expect(masterPid("Master running (pid=4242)\r\n")).toBe(4242);
    expect(
      masterPid("Control socket connect(/x): No such file"),
    ).toBeUndefined();
    expect(masterPid(undefined)).toBeUndefined();
  });
});
