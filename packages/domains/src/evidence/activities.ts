// Activities of the evidence_pack/<id> workflow: build the zip (streaming, heartbeating,
// progress on the row) and record a failure.
import { Context } from '@temporalio/activity';
import { systemContext } from '@vigil/kernel/auth';
import { and, eq, ne } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { AppDeps } from '../deps';
import { requireStorage } from '../documents/storage';
import { writeAuditLog } from './chain';
import { writeReminders } from './evidence-files';
import { packKey, readmeText } from './rules';
import { evidencePacks } from './schema';
import {
  countItems,
  type SectionContext,
  writeAcknowledgements,
  writeCertifications,
  writeEscalations,
  writePolicies,
  writeTraining,
} from './sections';
import type { EvidencePackInput } from './signals';
import { Snapshot } from './snapshot';
import { PackZip } from './zip';

const WRITERS = {
  POLICIES: writePolicies,
  ACKNOWLEDGEMENTS: writeAcknowledgements,
  TRAINING: writeTraining,
  CERTIFICATIONS: writeCertifications,
  REMINDERS: writeReminders,
  ESCALATIONS: writeEscalations,
  AUDIT_LOG: writeAuditLog,
} as const;

/** Progress is written to the row (and heartbeated) at most this often. */
const PROGRESS_EVERY_MS = 1000;

const heartbeat = (details: unknown) => {
  try {
    Context.current().heartbeat(details);
  } catch {
    // outside an activity (a direct call): nothing to heartbeat
  }
};

export function evidenceActivities(deps: AppDeps) {
  return {
    /** Writes the pack's zip to S3 from one snapshot of the workspace; a READY pack is left alone. */
    async buildEvidencePack(input: EvidencePackInput): Promise<string> {
      const { db } = deps;
      const [row] = await db
        .select()
        .from(evidencePacks)
        .where(and(eq(evidencePacks.id, input.packId), eq(evidencePacks.workspaceId, input.workspaceId)));
      if (!row) return 'GONE';
      if (row.status === 'READY' || row.status === 'FAILED') return row.status;
      const storage = requireStorage(deps.config);
      await db
        .update(evidencePacks)
        .set({ status: 'RUNNING', startedAt: new Date(), itemsDone: 0, error: null, updatedAt: new Date() })
        .where(eq(evidencePacks.id, row.id));

      const generatedAt = new Date();
      const key = packKey(row.workspaceId, row.id);
      const writer = storage.writer(key, 'application/zip', {
        workspaceId: row.workspaceId,
        uploadedBy: row.requestedById ?? 'system',
        fileName: `${row.id}.zip`,
      });
      const zip = new PackZip(writer, generatedAt);
      const snap = await Snapshot.open(deps.pool);
      let done = 0;
      let total: number | null = null;
      let lastWrite = Date.now();
      const flush = async () => {
        lastWrite = Date.now();
        heartbeat({ done, total });
        await db
          .update(evidencePacks)
          .set({
            itemsDone: total === null ? done : Math.min(done, total),
            itemsTotal: total,
            updatedAt: new Date(),
          })
          .where(eq(evidencePacks.id, row.id));
      };
      const c: SectionContext = {
        snap,
        zip,
        storage,
        workspaceId: row.workspaceId,
        from: row.periodFrom,
        to: row.periodTo,
        tick: async (n = 1) => {
          done += n;
          if (Date.now() - lastWrite >= PROGRESS_EVERY_MS) await flush();
        },
        missing: [],
        mismatched: [],
      };
      // A long copy (one large evidence file) ticks no item; the heartbeat keeps going meanwhile.
      const beat = setInterval(() => heartbeat({ done, total }), 10_000);
      try {
        total = await countItems(c, row.include);
        await flush();
        const [ws] = await snap.query<{ name: string }>('SELECT name FROM workspaces WHERE id = $1', [
          row.workspaceId,
        ]);
        await zip.add(
          'README.txt',
          readmeText({
            workspaceId: row.workspaceId,
            from: row.periodFrom.toISOString(),
            to: row.periodTo.toISOString(),
            generatedAt: generatedAt.toISOString(),
          }),
        );
        for (const section of row.include) await WRITERS[section](c);
        const manifest = {
          format: 'vigil-evidence-pack/1',
          pack_id: row.id,
          workspace: { id: row.workspaceId, name: ws?.name ?? null },
          period: { from: row.periodFrom.toISOString(), to: row.periodTo.toISOString() },
          generated_at: generatedAt.toISOString(),
          sections: row.include,
          snapshot: 'every file was read in one REPEATABLE READ transaction',
          files: zip.files,
          missing_evidence: c.missing,
          mismatched_evidence: c.mismatched,
        };
        await zip.add('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
        await snap.close();
        const result = await zip.finish();
        await db.transaction(async (tx) => {
          await tx
            .update(evidencePacks)
            .set({
              status: 'READY',
              storageKey: key,
              sizeBytes: result.size,
              sha256: result.sha256,
              itemsDone: total ?? done,
              itemsTotal: total ?? done,
              completedAt: new Date(),
              updatedAt: new Date(),
            })
            .where(and(eq(evidencePacks.id, row.id), ne(evidencePacks.status, 'READY')));
          await audit(tx, systemContext(row.workspaceId), {
            action: 'EVIDENCE_PACK_GENERATED',
            targetType: 'evidence_pack',
            targetId: row.id,
            newValue: { sha256: result.sha256, size_bytes: result.size, files: zip.files.length },
            description: `Evidence pack written: ${zip.files.length} files, ${result.size} bytes`,
          });
        });
        return 'READY';
      } catch (err) {
        await snap.close();
        await zip.abort().catch(() => undefined);
        throw err;
      } finally {
        clearInterval(beat);
      }
    },

    /** Marks the pack FAILED with the reason (after every attempt failed). */
    async failEvidencePack(input: EvidencePackInput, reason: string): Promise<void> {
      await deps.db.transaction(async (tx) => {
        const changed = await tx
          .update(evidencePacks)
          .set({
            status: 'FAILED',
            error: reason.slice(0, 1000),
            completedAt: new Date(),
            updatedAt: new Date(),
          })
          .where(
            and(
              eq(evidencePacks.id, input.packId),
              eq(evidencePacks.workspaceId, input.workspaceId),
              ne(evidencePacks.status, 'READY'),
            ),
          )
          .returning({ id: evidencePacks.id });
        if (!changed.length) return;
        await audit(tx, systemContext(input.workspaceId), {
          action: 'EVIDENCE_PACK_FAILED',
          targetType: 'evidence_pack',
          targetId: input.packId,
          newValue: { error: reason.slice(0, 1000) },
          description: 'Evidence pack could not be written',
        });
      });
    },
  };
}

export type EvidenceActivities = ReturnType<typeof evidenceActivities>;
