// @vitest-environment node
import dgram from "node:dgram";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "../env";
import { FetchSlots, fetchRemoteImage, fetchSlots, isForbiddenAddress, setRemoteFetchPolicy } from "./remote";

describe("isForbiddenAddress (SSRF)", () => {
  it.each([
    "127.0.0.1",
    "127.255.0.9",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "2002:7f00:1::1",
    "not-an-ip",
  ])("refuses %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

// A DNS server on loopback that answers A queries for one name with 127.0.0.1 (AAAA: no answer), or,
// when `silent`, never answers at all.
async function fakeDns(name: string, silent = false): Promise<{ server: string; close(): void }> {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (query, peer) => {
    if (silent) return;
    let at = 12;
    const labels: string[] = [];
    while (query[at]) {
      labels.push(query.subarray(at + 1, at + 1 + query[at]!).toString());
      at += query[at]! + 1;
    }
    const type = query.readUInt16BE(at + 1);
    const question = query.subarray(12, at + 5);
    const answer = labels.join(".") === name && type === 1;
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(answer || labels.join(".") === name ? 0x8180 : 0x8183, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answer ? 1 : 0, 6);
    const record = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1]);
    socket.send(Buffer.concat([header, question, ...(answer ? [record] : [])]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { server: `127.0.0.1:${socket.address().port}`, close: () => socket.close() };
}

async function imageServer(hold?: Promise<void>) {
  let hits = 0;
  const server = http.createServer(async (_req, res) => {
    hits++;
    if (hold) await hold;
    res.writeHead(200, { "content-type": "image/png" }).end(Buffer.from("image bytes"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe("M4: DNS through dns.Resolver, bounded by the fetch's deadline", () => {
  afterEach(() => setRemoteFetchPolicy(undefined));

  it("resolves the host with the resolver (not getaddrinfo) and connects to the address found", async () => {
    const dns = await fakeDns("images.fetch-test.example");
    const images = await imageServer();
    setRemoteFetchPolicy({ allowPrivateAddresses: true, dnsServers: [dns.server], timeoutMs: 3_000 });
    try {
      const bytes = await fetchRemoteImage(
        `http://images.fetch-test.example:${images.port}/a.png`,
        "source_image_url",
        1000,
      );
      expect(bytes.toString()).toBe("image bytes");
      await expect(
        fetchRemoteImage(`http://missing.fetch-test.example:${images.port}/a.png`, "source_image_url", 1000),
      ).rejects.toMatchObject({ code: "invalid_image", details: { reason: "unresolvable" } });
    } finally {
      dns.close();
      await images.close();
    }
  });

  it("a DNS server that never answers is a timeout after dnsTimeoutMs, well inside the deadline", async () => {
    const dns = await fakeDns("images.fetch-test.example", true);
    setRemoteFetchPolicy({ dnsServers: [dns.server], dnsTimeoutMs: 300, timeoutMs: 5_000 });
    const started = Date.now();
    try {
      await expect(
        fetchRemoteImage("http://images.fetch-test.example/a.png", "source_image_url", 1000),
      ).rejects.toMatchObject({ code: "invalid_image", details: { reason: "timeout" } });
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      dns.close();
    }
  });
  it("localhost names are refused before any DNS query (the resolver does not read /etc/hosts)", async () => {
    const dns = await fakeDns("localhost", true);
    setRemoteFetchPolicy({ dnsServers: [dns.server], dnsTimeoutMs: 2_000 });
    try {
      for (const url of ["http://localhost/a.png", "http://img.LOCALHOST./a.png"]) {
        await expect(fetchRemoteImage(url, "source_image_url", 1000)).rejects.toMatchObject({
          details: { reason: "forbidden_address" },
        });
      }
    } finally {
      dns.close();
    }
  });
});

describe("M4: a cap on concurrent remote fetches", () => {
  afterEach(() => {
    setRemoteFetchPolicy(undefined);
    delete process.env.MAX_CONCURRENT_REMOTE_FETCHES;
    resetEnvCache();
  });

  it("FetchSlots: waiters take freed slots in order; one still waiting at its deadline is a 503", async () => {
    const slots = new FetchSlots(1);
    const first = await slots.acquire(Date.now() + 1_000);
    const second = slots.acquire(Date.now() + 1_000);
    const late = slots.acquire(Date.now() + 50);
    await expect(late).rejects.toMatchObject({
      code: "service_unavailable",
      status: 503,
      retryAfter: 1,
      details: { reason: "remote_fetch_busy" },
    });
    expect(slots.inUse).toBe(1);
    first();
    first(); // releasing twice frees one slot, once
    const release = await second;
    expect(slots.inUse).toBe(1);
    release();
    expect(slots.inUse).toBe(0);
  });

  it("past MAX_CONCURRENT_REMOTE_FETCHES a fetch waits for a slot within its deadline, then is refused unfetched", async () => {
    process.env.MAX_CONCURRENT_REMOTE_FETCHES = "1";
    resetEnvCache();
    let open!: () => void;
    const images = await imageServer(new Promise<void>((resolve) => (open = resolve)));
    const url = `http://127.0.0.1:${images.port}/a.png`;
    try {
      setRemoteFetchPolicy({ allowPrivateAddresses: true, timeoutMs: 5_000 });
      const held = fetchRemoteImage(url, "source_image_url", 1000);
      await vi.waitFor(() => expect(images.hits()).toBe(1));
      // A second fetch with a short deadline never gets the slot: 503, and the server never sees it.
      setRemoteFetchPolicy({ allowPrivateAddresses: true, timeoutMs: 200 });
      await expect(fetchRemoteImage(url, "source_image_url", 1000)).rejects.toMatchObject({
        code: "service_unavailable",
        status: 503,
      });
      expect(images.hits()).toBe(1);
      // One with time to wait gets the slot as soon as the first is done.
      setRemoteFetchPolicy({ allowPrivateAddresses: true, timeoutMs: 5_000 });
      const waiting = fetchRemoteImage(url, "source_image_url", 1000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(images.hits()).toBe(1);
      open();
      expect((await held).toString()).toBe("image bytes");
      expect((await waiting).toString()).toBe("image bytes");
      expect(images.hits()).toBe(2);
      expect(fetchSlots().inUse).toBe(0);
    } finally {
      open();
      await images.close();
    }
  });
});
