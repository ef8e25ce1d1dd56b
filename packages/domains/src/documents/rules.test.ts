import fc from 'fast-check';
import {
  addTags,
  attachmentDisposition,
  base64ToHex,
  buildTree,
  depthOf,
  displayFileName,
  type FolderLike,
  folderNameIssue,
  hexToBase64,
  keySegment,
  likeEscape,
  MAX_TAG_LENGTH,
  MAX_TAGS_PER_DOCUMENT,
  mimeFilter,
  normalizeMime,
  normalizeTag,
  normalizeTags,
  parentLookup,
  parseStorageKey,
  storageKey,
  subtreeHeight,
  subtreeIds,
  type TreeNode,
  wouldCreateCycle,
} from './rules';

const WS = '0190f3a4-1111-7000-8000-000000000001';
const OBJ = '0190f3a4-2222-7000-8000-000000000002';

describe('file names and storage keys', () => {
  it('keeps the last path segment, drops control characters, never returns nothing', () => {
    expect(displayFileName('C:\\Users\\me\\SOC 2 report.pdf')).toBe('SOC 2 report.pdf');
    expect(displayFileName('../../etc/passwd')).toBe('passwd');
    expect(displayFileName('a\u0000b\nc.txt')).toBe('abc.txt');
    expect(displayFileName('..')).toBe('file');
    expect(displayFileName('   ')).toBe('file');
    expect(displayFileName('Übersicht.pdf')).toBe('Übersicht.pdf');
  });

  it('truncates long names keeping the extension', () => {
    const long = `${'x'.repeat(400)}.pdf`;
    expect(displayFileName(long)).toHaveLength(255);
    expect(displayFileName(long).endsWith('.pdf')).toBe(true);
    expect(keySegment(long)).toHaveLength(120);
    expect(keySegment(long).endsWith('.pdf')).toBe(true);
  });

  it('makes an ASCII key segment', () => {
    expect(keySegment('SOC 2 report (final).pdf')).toBe('SOC_2_report_(final).pdf');
    expect(keySegment('Übersicht.pdf')).toBe('Ubersicht.pdf');
    expect(keySegment('.env')).toBe('env');
    expect(keySegment('日本語')).toBe('file');
  });

  it('namespaces keys per workspace and parses only its own shape', () => {
    const key = storageKey(WS, OBJ, 'Access review Q3.xlsx');
    expect(key).toBe(`workspaces/${WS}/documents/${OBJ}/Access_review_Q3.xlsx`);
    expect(parseStorageKey(key)).toEqual({
      workspaceId: WS,
      objectId: OBJ,
      segment: 'Access_review_Q3.xlsx',
    });
    for (const bad of [
      `workspaces/${WS}/documents/${OBJ}/../x`,
      `workspaces/${WS}/documents/${OBJ}/a/b.pdf`,
      `workspaces/${WS}/other/${OBJ}/a.pdf`,
      `/workspaces/${WS}/documents/${OBJ}/a.pdf`,
      `workspaces/${WS}/documents/not-a-uuid/a.pdf`,
      `workspaces/${WS}/documents/${OBJ}/..`,
      `workspaces/${WS}/documents/${OBJ}/`,
    ]) {
      expect(parseStorageKey(bad)).toBeNull();
    }
  });

  it('property: any file name gives a key that parses back to the same workspace and object', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.string({ unit: 'binary', maxLength: 400 }), (ws, obj, name) => {
        const key = storageKey(ws, obj, name);
        const parsed = parseStorageKey(key);
        expect(parsed).not.toBeNull();
        expect(parsed?.workspaceId).toBe(ws);
        expect(parsed?.objectId).toBe(obj);
        expect(parsed?.segment).toBe(keySegment(name));
        expect(keySegment(keySegment(name))).toBe(keySegment(name));
      }),
    );
  });

  it('property: display names have no separators or control characters and at most 255 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (name) => {
        const d = displayFileName(name);
        expect(d.length).toBeGreaterThan(0);
        expect(Array.from(d).length).toBeLessThanOrEqual(255);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
        expect(d).not.toMatch(/[\\/\u0000-\u001f\u007f]/);
      }),
    );
  });

  it('builds an RFC 6266 attachment disposition', () => {
    expect(attachmentDisposition('Übersicht (1).pdf')).toBe(
      `attachment; filename="Ubersicht (1).pdf"; filename*=UTF-8''%C3%9Cbersicht%20%281%29.pdf`,
    );
    expect(attachmentDisposition('a"b.pdf')).toContain('filename="a_b.pdf"');
  });

  it('converts sha256 between hex and base64', () => {
    const hex = 'cc3f45972216702fc165b09dabe395f6f443c06db3058c4be66bb8fd9b0b3228';
    expect(base64ToHex(hexToBase64(hex))).toBe(hex);
  });
});

describe('MIME types', () => {
  it('accepts bare types, lower-cased, and refuses parameters or junk', () => {
    expect(normalizeMime('Application/PDF')).toBe('application/pdf');
    expect(normalizeMime('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).not.toBeNull();
    expect(normalizeMime('text/plain; charset=utf-8')).toBeNull();
    expect(normalizeMime('pdf')).toBeNull();
    expect(normalizeMime('a/b/c')).toBeNull();
  });

  it('filters by exact type or family', () => {
    expect(mimeFilter('image/*')).toEqual({ prefix: 'image/' });
    expect(mimeFilter('application/pdf')).toEqual({ exact: 'application/pdf' });
    expect(mimeFilter('*/*')).toBeNull();
  });
});

describe('tags', () => {
  it('normalizes case, width and inner spaces', () => {
    expect(normalizeTag('  SOC 2  ')).toBe('soc-2');
    expect(normalizeTag('ＩＳＯ27001')).toBe('iso27001');
    expect(normalizeTag('q3:access_review')).toBe('q3:access_review');
    expect(normalizeTag('Datenschutz-Ü')).toBe('datenschutz-ü');
    expect(normalizeTag('')).toBeNull();
    expect(normalizeTag('-leading')).toBeNull();
    expect(normalizeTag('a/b')).toBeNull();
    expect(normalizeTag('x'.repeat(MAX_TAG_LENGTH + 1))).toBeNull();
  });

  it('deduplicates after normalizing and reports invalid entries by index', () => {
    expect(normalizeTags(['SOC2', 'soc2', ' Evidence ', '!!', 'evidence'])).toEqual({
      tags: ['soc2', 'evidence'],
      issues: [{ index: 3, message: expect.any(String) }],
    });
  });

  it('adds without duplicates and refuses to pass the per-document limit', () => {
    expect(addTags(['a', 'b'], ['b', 'c'])).toEqual(['a', 'b', 'c']);
    const full = Array.from({ length: MAX_TAGS_PER_DOCUMENT }, (_, i) => `t${i}`);
    expect(addTags(full, ['t0'])).toEqual(full);
    expect(addTags(full, ['new'])).toBeNull();
  });

  it('property: normalizing is idempotent, and results are unique, valid and bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: 40 }), (raw) => {
        const { tags, issues } = normalizeTags(raw);
        expect(new Set(tags).size).toBe(tags.length);
        expect(tags.length + issues.length).toBeLessThanOrEqual(raw.length);
        for (const t of tags) {
          expect(normalizeTag(t)).toBe(t);
          expect(Array.from(t).length).toBeLessThanOrEqual(MAX_TAG_LENGTH);
        }
        expect(normalizeTags(tags)).toEqual({ tags, issues: [] });
      }),
    );
  });

  it('escapes LIKE wildcards', () => {
    expect(likeEscape('100%_a\\b')).toBe('100\\%\\_a\\\\b');
  });
});

describe('folder tree', () => {
  const f = (id: string, parentId: string | null, name = id): FolderLike => ({ id, parentId, name });
  const folders = [f('a', null, 'Policies'), f('b', 'a', 'HR'), f('c', 'b', '2024'), f('d', null, 'audits')];

  it('detects a parent inside the folder’s own subtree', () => {
    const parentOf = parentLookup(folders);
    expect(wouldCreateCycle('a', 'c', parentOf)).toBe(true);
    expect(wouldCreateCycle('a', 'a', parentOf)).toBe(true);
    expect(wouldCreateCycle('c', 'd', parentOf)).toBe(false);
    expect(wouldCreateCycle('b', null, parentOf)).toBe(false);
  });

  it('measures depth, height and subtrees', () => {
    const parentOf = parentLookup(folders);
    expect(depthOf(null, parentOf)).toBe(0);
    expect(depthOf('c', parentOf)).toBe(3);
    expect(subtreeHeight('a', folders)).toBe(2);
    expect(subtreeHeight('d', folders)).toBe(0);
    expect(subtreeIds('a', folders)).toEqual(['a', 'b', 'c']);
  });

  it('nests children under parents, siblings by name case-insensitively', () => {
    const tree = buildTree(folders);
    expect(tree.map((n) => n.name)).toEqual(['audits', 'Policies']);
    expect(tree[1]?.children[0]?.children[0]?.id).toBe('c');
  });

  it('validates folder names', () => {
    expect(folderNameIssue(' Evidence ')).toBeNull();
    expect(folderNameIssue('  ')).not.toBeNull();
    expect(folderNameIssue('a/b')).not.toBeNull();
    expect(folderNameIssue('x'.repeat(101))).not.toBeNull();
  });

  /** A random forest: each folder's parent is an earlier folder or none. */
  const forest = fc
    .array(fc.option(fc.nat(), { nil: null }), { minLength: 1, maxLength: 40 })
    .map((parents) =>
      parents.map((p, i) => f(`f${i}`, p === null || i === 0 ? null : `f${p % i}`, `n${(i * 7) % 5}`)),
    );

  const flatten = <F>(nodes: TreeNode<F>[]): TreeNode<F>[] =>
    nodes.flatMap((n) => [n, ...flatten(n.children)]);

  it('property: a move is refused exactly when the new parent lies in the folder’s subtree', () => {
    fc.assert(
      fc.property(forest, fc.nat(), fc.nat(), (all, x, y) => {
        const id = all[x % all.length]?.id as string;
        const target = all[y % all.length]?.id as string;
        const inSubtree = subtreeIds(id, all).includes(target);
        expect(wouldCreateCycle(id, target, parentLookup(all))).toBe(inSubtree);
        if (!inSubtree) {
          // after an allowed move the structure is still a forest: every folder reaches the top
          const moved = all.map((g) => (g.id === id ? { ...g, parentId: target } : g));
          const parentOf = parentLookup(moved);
          for (const g of moved) expect(wouldCreateCycle(g.id, g.parentId, parentOf)).toBe(false);
          expect(depthOf(id, parentOf)).toBe(depthOf(target, parentOf) + 1);
        }
      }),
    );
  });

  it('property: the tree holds every folder exactly once, each under its parent', () => {
    fc.assert(
      fc.property(forest, (all) => {
        const tree = buildTree(all);
        const flat = flatten(tree);
        expect(flat.map((n) => n.id).sort()).toEqual(all.map((g) => g.id).sort());
        const check = (nodes: TreeNode<FolderLike>[], parent: string | null) => {
          for (const n of nodes) {
            expect(n.parentId).toBe(parent);
            check(n.children, n.id);
          }
        };
        check(tree, null);
        const height = (n: TreeNode<FolderLike>): number =>
          Math.max(0, ...n.children.map((c) => 1 + height(c)));
        for (const n of flat) expect(height(n)).toBe(subtreeHeight(n.id, all));
      }),
    );
  });

  it('property: a loop already in the data never hangs and every folder is still shown', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }), (n) => {
        const loop = Array.from({ length: n }, (_, i) => f(`l${i}`, `l${(i + 1) % n}`));
        const parentOf = parentLookup(loop);
        expect(wouldCreateCycle('x', 'l0', parentOf)).toBe(true);
        expect(depthOf('l0', parentOf)).toBe(n);
        expect(flatten(buildTree(loop))).toHaveLength(n);
      }),
    );
  });
});
