import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { databasePath } from "@/lib/db/client";

const MIN_SECRET_LENGTH = 32;
let cached: { key: string; secret: string } | null = null;

/**
 * The HMAC key for session cookies: SESSION_SECRET if set (at least 32 characters),
 * else a random secret generated once and kept beside the database (data/session-secret).
 */
export function sessionSecret(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SESSION_SECRET;
  const file = join(dirname(databasePath(env)), "session-secret");
  const key = fromEnv ? "env" : file;
  if (cached?.key === key) return cached.secret;
  let secret: string;
  if (fromEnv) {
    if (fromEnv.length < MIN_SECRET_LENGTH) throw new Error(`SESSION_SECRET must be at least ${MIN_SECRET_LENGTH} characters long`);
    secret = fromEnv;
  } else {
    if (!existsSync(file)) createSecretFile(file);
    secret = readFileSync(file, "utf8").trim();
    if (secret.length < MIN_SECRET_LENGTH) throw new Error(`${file} holds a session secret shorter than ${MIN_SECRET_LENGTH} characters; delete it to generate a new one`);
  }
  cached = { key, secret };
  return secret;
}

function createSecretFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
}
