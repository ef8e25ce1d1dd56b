// Activities of the documents domain: metadata extraction of a stored version. The activity
// re-reads the version, reads its object from S3 (at most DOCUMENT_EXTRACTION_MAX_BYTES),
// extracts in a worker thread (extraction.ts → extract.ts), optionally asks the summariser,
// and records the result on the version with its audit entry in one transaction. A file that
// cannot be read, or breaks a limit, is recorded FAILED with the reason; the stored file and
// the document are never touched. Storage or database trouble throws, for Temporal's retry.
import { systemContext } from '@vigil/kernel/auth';
import { and, eq } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { AppDeps } from '../deps';
import type { VersionRow } from './api-schemas';
import type { ExtractOutcome } from './extract';
import {
  extractInThread,
  extractionSettings,
  LimitBroken,
  ObjectMissing,
  readObject,
  SNIFF_HEAD_BYTES,
  sniffInThread,
  summarise,
} from './extraction';
import { documentVersions, type ExtractionStatus } from './schema';
import type { DocumentExtractionInput } from './signals';
import { storageFor } from './storage';

type Result = { status: ExtractionStatus | 'GONE' };

const failure = (v: VersionRow, error: string, extra: Record<string, unknown> = {}): ExtractOutcome => ({
  ok: false,
  error,
  metadata: { declared_type: v.mimeType, size_bytes: v.sizeBytes, ...extra },
});

async function extract(deps: AppDeps, v: VersionRow): Promise<ExtractOutcome> {
  const storage = storageFor(deps.config);
  if (!storage) return failure(v, 'Document storage is not configured (S3_BUCKET)');
  const s = extractionSettings(deps.config);
  try {
    if (v.sizeBytes > s.maxBytes) {
      const head = await readObject(storage, v.storageKey, SNIFF_HEAD_BYTES);
      return failure(
        v,
        `The file has ${v.sizeBytes} bytes; extraction reads at most ${s.maxBytes} (DOCUMENT_EXTRACTION_MAX_BYTES)`,
        { content_type: await sniffInThread(head.data, s) },
      );
    }
    const { data, complete } = await readObject(storage, v.storageKey, s.maxBytes);
    if (!complete) return failure(v, `The stored object has more than ${s.maxBytes} bytes`);
    const outcome = await extractInThread({ data, declaredType: v.mimeType, fileName: v.fileName }, s);
    if (!outcome.ok) return outcome;
    const summary = await summarise(deps.config, v.fileName, outcome.summaryInput);
    if (!summary) return outcome;
    return {
      ...outcome,
      metadata: {
        ...outcome.metadata,
        ...(summary.summary ? { summary: summary.summary, summary_source: 'LLM' } : {}),
        summary_model: summary.model,
        summary_error: summary.error,
      },
    };
  } catch (err) {
    if (err instanceof ObjectMissing || err instanceof LimitBroken) return failure(v, err.message);
    throw err;
  }
}

/** Records the outcome on a PENDING version with its audit entry; a version already recorded is left alone. */
async function record(deps: AppDeps, v: VersionRow, outcome: ExtractOutcome): Promise<Result> {
  const status: ExtractionStatus = outcome.ok ? 'DONE' : 'FAILED';
  const error = outcome.ok ? null : outcome.error;
  const m = outcome.metadata;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(documentVersions)
      .set({ metadata: m, extractionStatus: status, extractionError: error, extractedAt: new Date() })
      .where(and(eq(documentVersions.id, v.id), eq(documentVersions.extractionStatus, 'PENDING')))
      .returning({ id: documentVersions.id });
    if (!row) return { status: (await current(deps, v))?.extractionStatus ?? 'GONE' };
    const criteria = Array.isArray(m.criteria) ? (m.criteria as Array<{ id: string }>).map((c) => c.id) : [];
    await audit(tx, systemContext(v.workspaceId), {
      action: outcome.ok ? 'DOCUMENT_METADATA_EXTRACTED' : 'DOCUMENT_EXTRACTION_FAILED',
      targetType: 'document',
      targetId: v.documentId,
      oldValue: { version_id: v.id, version: v.version, extraction_status: 'PENDING' },
      newValue: {
        version_id: v.id,
        version: v.version,
        extraction_status: status,
        extraction_error: error,
        content_type: m.content_type ?? null,
        format: m.format ?? null,
        page_count: m.page_count ?? null,
        word_count: m.word_count ?? null,
        language: m.language ?? null,
        criteria,
        summary_source: m.summary_source ?? null,
      },
      description: outcome.ok
        ? `Metadata of version ${v.version} of "${v.fileName}" extracted`
        : `Metadata extraction of version ${v.version} of "${v.fileName}" failed: ${error}`,
    });
    return { status };
  });
}

async function current(deps: AppDeps, v: { versionId: string; workspaceId: string } | VersionRow) {
  const id = 'versionId' in v ? v.versionId : v.id;
  const [row] = await deps.db
    .select()
    .from(documentVersions)
    .where(and(eq(documentVersions.workspaceId, v.workspaceId), eq(documentVersions.id, id)));
  return row;
}

/** The documents domain's activities, bound to their dependencies (registered through index.ts). */
export function documentActivities(deps: AppDeps) {
  return {
    /** Extracts and records a stored version's metadata; returns the status it left (GONE: no such version). */
    async extractDocumentMetadata(input: DocumentExtractionInput): Promise<Result> {
      const v = await current(deps, input);
      if (!v) return { status: 'GONE' };
      if (v.extractionStatus !== 'PENDING') return { status: v.extractionStatus };
      return record(deps, v, await extract(deps, v));
    },
    /** Records FAILED with the reason when extraction could not run at all (every retry failed). */
    async recordExtractionFailure(input: DocumentExtractionInput, error: string): Promise<Result> {
      const v = await current(deps, input);
      if (!v) return { status: 'GONE' };
      return record(deps, v, failure(v, error.slice(0, 1000)));
    },
  };
}

export type DocumentActivities = ReturnType<typeof documentActivities>;
