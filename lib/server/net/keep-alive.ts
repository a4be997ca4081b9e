import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * A response sent before its request's body was all received (an upload refused as image_too_large
 * the moment it passes the cap, a body refused by its Content-Length) goes out with
 * `Connection: close`, and node:http closes the socket once it is sent. Left as keep-alive, the
 * client would reuse a connection whose unread body the server has dropped, and its next request
 * would fail with ECONNRESET / "socket hang up" instead of getting an answer.
 */
export function closeIfBodyUnread(req: IncomingMessage, res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    if (!req.complete && !this.headersSent) this.setHeader("Connection", "close");
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}
