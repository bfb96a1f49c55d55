/** What `ndr explain` (and the wizard) read: the sources the arguments name, and the items read from them. */
import type { InputError } from '../core/errors.js';

export type Source =
  | { type: 'stdin' }
  | { type: 'file'; path: string; fromFolder: boolean; /** Known from the folder walk: a regular file of this size. */ size?: number }
  | { type: 'missing'; path: string }
  /** Found by a folder walk but not readable (the folder, or the entry's own metadata). */
  | { type: 'error'; path: string; error: InputError }
  | { type: 'text'; text: string };

export interface Plan {
  /** All arguments are text: explain them joined, exactly as before files were supported. */
  text: string | null;
  sources: Source[];
  /** Several inputs (or a folder): JSON Lines and a summary. */
  batch: boolean;
  /** Folders with more files than ndr reads in one run: said in the output (never a silent cap). */
  cuts: FolderCut[];
}

export type Item =
  | {
      kind: 'message';
      file: string;
      message: number | null;
      bytes: Buffer;
      /** sniffContent(bytes) said 'message' (parseBounce need not ask again). */ sniffed?: boolean;
    }
  | { kind: 'text'; file: string | null; text: string }
  | { kind: 'error'; file: string; message: number | null; error: InputError };

/** A folder with more files than MAX_FOLDER_FILES: how many were found and left out. */
export interface FolderCut {
  folder: string;
  limit: number;
  files: number;
  leftOut: number;
}
