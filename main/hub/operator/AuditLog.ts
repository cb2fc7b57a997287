import { appendFile, chmod, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { AuditEntrySchema, type AuditEntry } from '../../../shared/hub/operatorViews';
import { SerialQueue } from '../../../shared/util/SerialQueue';
import type { HubLogger } from '../HubContext';

export const AUDIT_FILE = 'audit.jsonl';
export const AUDIT_OLD_FILE = 'audit.1.jsonl';

export type AuditLogOptions = {
  /** The current file is set aside (one older file is kept) once it reaches this size. Default 1 MiB. */
  maxBytes?: number;
};

export const AUDIT_DEFAULTS = { maxBytes: 1024 * 1024 } as const;
/** The most entries one read returns. */
export const MAX_AUDIT_READ = 1000;

/**
 * What the owner did and which pairings failed, as JSON lines in the data directory (0600), for the owner to
 * read back (This hub, `npm run hub -- audit`). Append-only and bounded: at maxBytes the file becomes
 * audit.1.jsonl (replacing the one before), so the log takes at most twice that. Written one entry at a
 * time, not synced: it is a record for people, and a write that fails (a full disk) is logged, never thrown
 * into what it records.
 */
export class AuditLog {
  private readonly file: string;
  private readonly oldFile: string;
  private readonly writes = new SerialQueue();
  private size: number | undefined;
  private failing = false;

  constructor(
    dataDir: string,
    private readonly logger: HubLogger,
    private readonly options: Required<AuditLogOptions> = AUDIT_DEFAULTS,
  ) {
    this.file = path.join(dataDir, AUDIT_FILE);
    this.oldFile = path.join(dataDir, AUDIT_OLD_FILE);
  }

  /** Resolves once written (or its failure logged). */
  append(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    return this.writes.run(async () => {
      try {
        await this.write(line);
        this.failing = false;
      } catch (err) {
        if (!this.failing) this.logger.warn(`could not write the audit log ${this.file}: ${(err as Error).message}`);
        this.failing = true;
      }
    });
  }

  /** Resolves once every entry appended so far is written (or its failure logged). */
  idle(): Promise<void> {
    return this.writes.idle();
  }

  /** The newest `limit` entries, newest first. Lines that do not parse (a torn last line) are skipped. */
  async read(limit: number): Promise<AuditEntry[]> {
    await this.writes.idle();
    const wanted = Math.max(0, Math.min(limit, MAX_AUDIT_READ));
    const entries: AuditEntry[] = [];
    for (const file of [this.file, this.oldFile]) {
      const lines = (await readOrEmpty(file)).split('\n');
      for (let i = lines.length - 1; i >= 0 && entries.length < wanted; i--) {
        const entry = parseLine(lines[i]!);
        if (entry) entries.push(entry);
      }
      if (entries.length >= wanted) break;
    }
    return entries;
  }

  private async write(line: string): Promise<void> {
    this.size ??= await sizeOf(this.file);
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.options.maxBytes) {
      await rename(this.file, this.oldFile);
      this.size = 0;
    }
    // The mode applies when the file is created; chmod covers one made by an older hub.
    await appendFile(this.file, line, { mode: 0o600 });
    if (this.size === 0) await chmod(this.file, 0o600);
    this.size += bytes;
  }
}

function parseLine(line: string): AuditEntry | undefined {
  if (line.trim() === '') return undefined;
  try {
    const parsed = AuditEntrySchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}
