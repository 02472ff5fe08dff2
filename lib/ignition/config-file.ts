import { createHash } from "node:crypto";
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import type { TextSink } from "./stable-json";

/** What was written: the exact bytes a pointer config's verification hash and an upload's length need. */
export interface WrittenConfig {
  bytes: number;
  sha512: string;
}

/**
 * Writes a config through a TextSink to `file` (owner-only: configs hold keys), by way of `file.partial`, renamed once
 * complete and removed on failure, so a reader never finds half a config. Returns its size and SHA-512.
 */
export function writeConfigFile(file: string, write: (sink: TextSink) => void): WrittenConfig {
  const partial = `${file}.partial`;
  const fd = openSync(partial, "w", 0o600);
  const hash = createHash("sha512");
  let bytes = 0;
  try {
    write({
      write: (text) => {
        const encoded = Buffer.from(text, "utf8");
        writeSync(fd, encoded);
        hash.update(encoded);
        bytes += encoded.length;
      },
    });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
  return { bytes, sha512: hash.digest("hex") };
}
