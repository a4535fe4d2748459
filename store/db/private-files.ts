import {
  chmodSync,
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";

/**
 * The store's files hold token hashes and the audit log, and the bootstrap token file holds a
 * secret: only their owner may read them (0600), in a folder only their owner may write (0700).
 */
export const PRIVATE_FILE_MODE = 0o600;

/** The mode of a folder the store creates for its files (`.imfed/`). */
export const PRIVATE_FOLDER_MODE = 0o700;

// O_NOFOLLOW is missing on Windows, where these checks do not apply (no POSIX modes).
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const CREATE_EXCLUSIVELY = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | NO_FOLLOW;

// The user this process runs as; `undefined` where there are no POSIX users (Windows).
function currentUid(): number | undefined {
  return typeof process.getuid === "function" ? process.getuid() : undefined;
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}

/**
 * Throws when other users could write into a folder: when it is group- or world-writable
 * (sticky or not: the sticky bit keeps them from renaming our files, not from planting the
 * names we have yet to create, such as `store.db-wal` or `admin-token`), or when it belongs to
 * a user other than this one or root (its owner could replace anything in it). Root is
 * trusted as OpenSSH's StrictModes trusts it: it can read everything anyway.
 */
export function assertPrivateFolder(folder: string, holds: string): void {
  const uid = currentUid();
  if (uid === undefined) return;
  const stat = statSync(folder);
  if (!stat.isDirectory()) throw new Error(`"${folder}" is not a folder; it was to hold ${holds}`);
  if (stat.uid !== uid && stat.uid !== 0) {
    throw new Error(
      `the folder "${folder}" belongs to another user (uid ${stat.uid}, this process runs as uid ${uid}), who could replace ${holds} in it; use a folder of your own (mkdir -m 700 <folder>)`,
    );
  }
  if ((stat.mode & 0o022) !== 0) {
    throw new Error(
      `the folder "${folder}" can be written by other users (mode ${octal(stat.mode)}), who could plant or read ${holds} there; run "chmod go-w '${folder}'" or use a folder only you can write (mkdir -m 700 <folder>)`,
    );
  }
}

/**
 * Creates a folder only its owner may enter (0700) in an existing one, or tightens it to 0700
 * when it exists already and is ours (a store made by an older imfed left it 0755).
 */
export function ensurePrivateFolder(folder: string): void {
  try {
    mkdirSync(folder, { mode: PRIVATE_FOLDER_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const stat = statSync(folder);
  if (stat.uid === currentUid() && (stat.mode & 0o077) !== 0) chmodSync(folder, PRIVATE_FOLDER_MODE);
}

/**
 * Creates an empty file that only its owner may read (0600), exclusively: it fails when the
 * name exists, be it a file or a symbolic link (which is never followed, POSIX open(2) with
 * O_CREAT|O_EXCL). Returns `false` when the file existed already.
 */
export function tryCreatePrivateFile(file: string): boolean {
  try {
    closeSync(openSync(file, CREATE_EXCLUSIVELY, PRIVATE_FILE_MODE));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Writes a secret to a new file that only its owner may read (0600), exclusively and without
 * following a link (O_CREAT|O_EXCL|O_NOFOLLOW), and syncs it to disk. Whatever is already at
 * that name (a file, or a link planted to catch the secret or to overwrite another file) is
 * left untouched and the write fails with a message that says what to do.
 */
export function writeSecretFileExclusively(file: string, content: string, remedy: string): void {
  let descriptor: number;
  try {
    descriptor = openSync(file, CREATE_EXCLUSIVELY, PRIVATE_FILE_MODE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ELOOP") {
      throw new Error(
        `"${file}" already exists; imfed never writes a secret over a file or through a link that is already there (it may hold another store's token, or have been planted to catch this one): ${remedy}`,
        { cause: error },
      );
    }
    throw error;
  }
  let written = false;
  try {
    writeSync(descriptor, content);
    fsyncSync(descriptor);
    written = true;
  } finally {
    closeSync(descriptor);
    // A file this call created and could not fill is removed, so no empty token file is left.
    if (!written) unlinkSync(file);
  }
}

/**
 * Tightens existing files to 0600 where they allow more (a database made by an older imfed,
 * or under a loose umask, is 0644), and returns the files it changed. Files that are missing
 * are skipped.
 */
export function tightenFileModes(files: readonly string[]): string[] {
  if (currentUid() === undefined) return [];
  const changed: string[] = [];
  for (const file of files) {
    let mode: number;
    try {
      mode = statSync(file).mode;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    if ((mode & 0o077) === 0) continue;
    try {
      chmodSync(file, PRIVATE_FILE_MODE);
    } catch (error) {
      throw new Error(
        `"${file}" can be read by other users (mode ${octal(mode)}) and imfed could not make it private: ${(error as Error).message}; run "chmod 600 '${file}'" as its owner`,
        { cause: error },
      );
    }
    changed.push(file);
  }
  return changed;
}
