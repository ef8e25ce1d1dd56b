// Pure rules of the documents domain: storage keys, file names, tags, MIME types,
// the folder tree, and the text rules of metadata extraction (word count, extract,
// CSV sniffing, SOC 2 criteria). No I/O; unit- and property-tested beside this file.

export const MAX_TAGS_PER_DOCUMENT = 20;
export const MAX_TAG_LENGTH = 50;
export const MAX_LINKS_PER_DOCUMENT = 200;
export const MAX_VERSIONS_PER_DOCUMENT = 1000;
export const MAX_FOLDERS_PER_WORKSPACE = 1000;
/** Top-level folders are depth 1. */
export const MAX_FOLDER_DEPTH = 10;
export const MAX_FILE_NAME_LENGTH = 255;
const MAX_KEY_SEGMENT_LENGTH = 120;

/** Presigned upload and download URLs stay valid this long. */
export const PRESIGN_TTL_SECONDS = 15 * 60;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY_RE = new RegExp(
  `^workspaces/(${UUID})/documents/(${UUID})/([A-Za-z0-9._()-]{1,${MAX_KEY_SEGMENT_LENGTH}})$`,
);

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The file name shown to people and offered on download: the last path segment,
 * without control characters, at most 255 characters (the extension is kept), never empty.
 */
export function displayFileName(name: string): string {
  const last = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const clean = last.replace(CONTROL, '').trim().replace(/^\.+$/, '');
  return clean ? truncateKeepingExtension(clean, MAX_FILE_NAME_LENGTH) : 'file';
}

/** The file name as one S3 key segment: ASCII letters, digits and `._()-` only, no leading dot, at most 120 characters. */
export function keySegment(name: string): string {
  const ascii = displayFileName(name)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._()-]+/g, '_')
    .replace(/^[._]+/, '')
    .replace(/_+/g, '_');
  const seg = truncateKeepingExtension(ascii, MAX_KEY_SEGMENT_LENGTH);
  return /[A-Za-z0-9]/.test(seg) ? seg : 'file';
}

function truncateKeepingExtension(name: string, max: number): string {
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (ext.length > 0 && ext.length <= 16) return chars.slice(0, max - ext.length).join('') + ext.join('');
  return chars.slice(0, max).join('');
}

/** `workspaces/<ws>/documents/<object id>/<file name>`: every stored object is namespaced by workspace. */
export function storageKey(workspaceId: string, objectId: string, fileName: string): string {
  return `workspaces/${workspaceId}/documents/${objectId}/${keySegment(fileName)}`;
}

interface ParsedKey {
  workspaceId: string;
  objectId: string;
  segment: string;
}

/** Parses a key made by storageKey(); anything else (another prefix, `..`, extra segments) is null. */
export function parseStorageKey(key: string): ParsedKey | null {
  const m = KEY_RE.exec(key);
  if (!m?.[1] || !m[2] || !m[3]) return null;
  if (/^\.+$/.test(m[3])) return null;
  return { workspaceId: m[1], objectId: m[2], segment: m[3] };
}

const MIME_TOKEN = "[a-z0-9][a-z0-9!#$&^_.+'-]{0,126}";
const MIME_RE = new RegExp(`^${MIME_TOKEN}/${MIME_TOKEN}$`);

/** A bare `type/subtype`, lower-cased; parameters (`; charset=...`) are not part of a document's type. */
export function normalizeMime(value: string): string | null {
  const v = value.trim().toLowerCase();
  return MIME_RE.test(v) ? v : null;
}

/** A list filter: an exact type, or `type/*` for a whole family. */
export function mimeFilter(filter: string): { exact: string } | { prefix: string } | null {
  const f = filter.trim().toLowerCase();
  const family = new RegExp(`^(${MIME_TOKEN})/\\*$`).exec(f);
  if (family?.[1]) return { prefix: `${family[1]}/` };
  const exact = normalizeMime(f);
  return exact ? { exact } : null;
}

/**
 * One tag in canonical form: trimmed, NFKC, lower-case, inner whitespace as `-`;
 * letters, digits and `-_.:` only, at most 50 characters. Null if nothing valid remains.
 */
export function normalizeTag(tag: string): string | null {
  const t = tag.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '-');
  if (!t || Array.from(t).length > MAX_TAG_LENGTH) return null;
  return /^[\p{L}\p{N}][\p{L}\p{N}._:-]*$/u.test(t) ? t : null;
}

interface TagIssue {
  index: number;
  message: string;
}

/** Normalizes a list, dropping duplicates (first one wins); invalid entries are reported by index. */
export function normalizeTags(tags: readonly string[]): { tags: string[]; issues: TagIssue[] } {
  const out: string[] = [];
  const issues: TagIssue[] = [];
  tags.forEach((raw, index) => {
    const t = normalizeTag(raw);
    if (t === null) {
      issues.push({
        index,
        message: `Tags are 1-${MAX_TAG_LENGTH} letters, digits or -_.: starting with a letter or digit`,
      });
    } else if (!out.includes(t)) out.push(t);
  });
  return { tags: out, issues };
}

/** Adds tags (keeping order, no duplicates); null when the result would exceed the per-document limit. */
export function addTags(existing: readonly string[], added: readonly string[]): string[] | null {
  const out = [...existing];
  for (const t of added) if (!out.includes(t)) out.push(t);
  return out.length > MAX_TAGS_PER_DOCUMENT ? null : out;
}

/** Escapes LIKE wildcards so a search term matches literally. */
export const likeEscape = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

/** A download's Content-Disposition: an ASCII fallback plus the UTF-8 name (RFC 6266 / 5987). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  const utf8 = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

export const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
export const base64ToHex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');

// ---- folders ---------------------------------------------------------------

export interface FolderLike {
  id: string;
  parentId: string | null;
  name: string;
}

type ParentOf = (id: string) => string | null | undefined;

export const parentLookup = (folders: readonly FolderLike[]): ParentOf => {
  const m = new Map(folders.map((f) => [f.id, f.parentId]));
  return (id) => m.get(id);
};

/**
 * True when giving `folderId` the parent `newParentId` would make a folder its own
 * ancestor. Walks up from the new parent; a loop already in the data also counts.
 */
export function wouldCreateCycle(folderId: string, newParentId: string | null, parentOf: ParentOf): boolean {
  const seen = new Set<string>();
  let cur: string | null | undefined = newParentId;
  while (cur) {
    if (cur === folderId || seen.has(cur)) return true;
    seen.add(cur);
    cur = parentOf(cur);
  }
  return false;
}

/** Depth of a folder (top level = 1), following parents; a loop stops the walk. */
export function depthOf(folderId: string | null, parentOf: ParentOf): number {
  let depth = 0;
  const seen = new Set<string>();
  let cur: string | null | undefined = folderId;
  while (cur && !seen.has(cur)) {
    seen.add(cur);
    depth++;
    cur = parentOf(cur);
  }
  return depth;
}

/** The folder and everything below it, parents before children. */
export function subtreeIds(rootId: string, folders: readonly FolderLike[]): string[] {
  const children = childrenIndex(folders);
  const out: string[] = [];
  const queue = [rootId];
  const seen = new Set<string>();
  while (queue.length) {
    const id = queue.shift() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    for (const c of children.get(id) ?? []) queue.push(c.id);
  }
  return out;
}

/** Levels below a folder: 0 for a leaf. */
export function subtreeHeight(rootId: string, folders: readonly FolderLike[]): number {
  const children = childrenIndex(folders);
  const height = (id: string, seen: Set<string>): number => {
    if (seen.has(id)) return 0;
    seen.add(id);
    let h = 0;
    for (const c of children.get(id) ?? []) h = Math.max(h, 1 + height(c.id, seen));
    return h;
  };
  return height(rootId, new Set());
}

function childrenIndex<F extends FolderLike>(folders: readonly F[]): Map<string | null, F[]> {
  const m = new Map<string | null, F[]>();
  for (const f of folders) {
    const list = m.get(f.parentId) ?? [];
    list.push(f);
    m.set(f.parentId, list);
  }
  return m;
}

export type TreeNode<F> = F & { children: TreeNode<F>[] };

/**
 * Nests folders under their parents, siblings by name (case-insensitive). A folder
 * whose parent is missing is shown at the top level, so nothing is ever hidden.
 */
export function buildTree<F extends FolderLike>(folders: readonly F[]): TreeNode<F>[] {
  const ids = new Set(folders.map((f) => f.id));
  const rooted = folders.map((f) => (f.parentId && ids.has(f.parentId) ? f : { ...f, parentId: null }));
  const children = childrenIndex(rooted);
  const byName = (a: F, b: F) =>
    a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id);
  const placed = new Set<string>();
  const build = (parent: string | null): TreeNode<F>[] =>
    (children.get(parent) ?? [])
      .filter((f) => !placed.has(f.id))
      .sort(byName)
      .map((f) => {
        placed.add(f.id);
        return { ...f, children: build(f.id) };
      });
  const tree = build(null);
  // Folders caught in a loop (never reachable from the top) are surfaced at the top level.
  const stray = rooted.filter((f) => !placed.has(f.id)).sort(byName);
  for (const f of stray) if (!placed.has(f.id)) tree.push({ ...f, parentId: null, children: [] });
  return tree;
}

/** Folder names: trimmed, 1-100 characters, no slashes or control characters. */
export function folderNameIssue(name: string): string | null {
  const n = name.trim();
  if (!n) return 'A folder name cannot be empty';
  if (Array.from(n).length > 100) return 'At most 100 characters';
  if (/[\\/]/.test(n) || HAS_CONTROL.test(n)) return 'No slashes or control characters';
  return null;
}

// The text rules of metadata extraction live in text-rules.ts.
export * from './text-rules';
