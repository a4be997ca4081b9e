import http from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { headers: http.IncomingHttpHeaders; body: string };
export type Answer = { status: number } | "hang";

/** A webhook receiver on this machine that records every request and answers from a script (then 200). */
export class Receiver {
  received: Received[] = [];
  script: Answer[] = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const answer = this.script.shift() ?? { status: 200 };
      if (answer === "hang") return; // never answers: the deliverer's timeout ends it
      res.writeHead(answer.status, { "content-type": "text/plain" });
      res.end(answer.status < 300 ? "ok" : `failing with ${answer.status}`);
    });
  });
  /** Listens on a free loopback port; returns the URL to register. */
  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

/** A clock the test moves; it starts a little ahead of the database's now() so rows it made are due. */
export class Clock {
  t = Date.now() + 1_000;
  now = () => this.t;
  advanceTo(ms: number) {
    this.t = Math.max(this.t, ms);
  }
}
