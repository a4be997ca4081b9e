import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** How long a closing connection keeps reading what its client still sends (nginx: lingering_time). */
const LINGER_MS = 10_000;

/**
 * A response sent before its request's body was all received (an upload refused as image_too_large
 * the moment it passes the cap, a body refused by its Content-Length) goes out with
 * `Connection: close`. Left as keep-alive, the client would reuse a connection whose unread body the
 * server has dropped, and its next request would fail with ECONNRESET / "socket hang up" instead of
 * getting an answer.
 *
 * And the connection closes by lingering: node:http ends and destroys a `Connection: close` socket
 * the moment the answer is written, and the kernel answers the bytes the client is still sending
 * with a reset. The client then fails its write with EPIPE/ECONNRESET, often before it has read the
 * 400 (4 of 5 runs of tests/integration/keep-alive.test.ts on this machine). Like nginx's
 * lingering close, the server sends its answer and its FIN, keeps reading (and dropping) what the
 * client still sends, and closes when the client does or after LINGER_MS.
 */
export function closeIfBodyUnread(req: IncomingMessage, res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    if (!req.complete && !this.headersSent) {
      this.setHeader("Connection", "close");
      // Null once the connection is gone (the client hung up first): nothing left to linger on.
      const socket = this.socket ?? req.socket;
      if (socket) lingerOnClose(socket);
    }
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}

function lingerOnClose(socket: Socket): void {
  // node:http calls destroySoon() once a `Connection: close` answer is sent (resOnFinish).
  socket.destroySoon = function (this: Socket) {
    if (this.writable) this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once("end", () => this.destroy());
    this.once("close", () => clearTimeout(timer));
    return this;
  } as Socket["destroySoon"];
}
