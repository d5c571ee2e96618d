import { createServer } from "node:net";

/** A TCP port of 127.0.0.1 that is free now (the OS picks it; the probe closes before it returns). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
