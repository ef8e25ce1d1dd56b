import { Button, Group, Paper, Progress, Stack, Text, VisuallyHidden } from '@mantine/core';
import { type DragEvent, useId, useRef, useState } from 'react';
import { formatBytes, type UploadProgress } from '../api/upload';
import { useSession } from '../session';

/**
 * A drop area for one file, usable without a mouse: the labelled file input (visually hidden,
 * reachable through its button) and drag-and-drop onto the area both pick the file. Disabled, it
 * says why; for a read-only member (an auditor), like every write control, it is not rendered.
 */
export function DropArea({
  label,
  hint,
  accept,
  disabled,
  disabledReason,
  onFile,
}: {
  /** The file input's accessible name, e.g. "Questionnaire file". */
  label: string;
  hint: string;
  accept?: string;
  disabled?: boolean;
  disabledReason?: string;
  onFile: (file: File) => void;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const session = useSession();
  if (disabled && session.read_only) return null;
  const pick = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file && !disabled) onFile(file);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    pick(e.dataTransfer?.files);
  };
  return (
    <Paper
      withBorder
      p="lg"
      radius="md"
      data-testid="drop-area"
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      style={{
        borderStyle: 'dashed',
        borderWidth: 2,
        borderColor: over ? 'var(--mantine-color-blue-6)' : undefined,
        background: over ? 'var(--mantine-color-blue-0)' : undefined,
      }}
    >
      <Group justify="center" gap="sm">
        <Text size="sm">{disabled ? (disabledReason ?? 'Your access role may not upload') : hint}</Text>
        <VisuallyHidden>
          <label htmlFor={id}>{label}</label>
        </VisuallyHidden>
        <input
          id={id}
          ref={input}
          type="file"
          accept={accept}
          disabled={disabled}
          style={{ display: 'none' }}
          onChange={(e) => {
            pick(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
        <Button
          variant="default"
          size="xs"
          disabled={disabled}
          onClick={() => input.current?.click()}
          aria-describedby={`${id}-hint`}
        >
          Choose a file
        </Button>
        <VisuallyHidden id={`${id}-hint`}>{`${label}: ${hint}`}</VisuallyHidden>
      </Group>
    </Paper>
  );
}

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'preparing' | 'sending' | 'processing'; file: string; progress: UploadProgress }
  | { phase: 'done'; file: string; message: string }
  | { phase: 'failed'; file: string; message: string };

/** The state of one upload: a progress bar while bytes go up, then what happened. */
export function UploadStatus({ state, processingLabel }: { state: UploadState; processingLabel: string }) {
  if (state.phase === 'idle') return null;
  if (state.phase === 'done' || state.phase === 'failed')
    return (
      <Text size="sm" c={state.phase === 'failed' ? 'red.9' : undefined} role="status">
        {state.file}: {state.message}
      </Text>
    );
  const { loaded, total } = state.progress;
  const pct = total > 0 ? Math.round((loaded / total) * 100) : 0;
  const text =
    state.phase === 'preparing'
      ? 'Preparing the upload…'
      : state.phase === 'processing'
        ? processingLabel
        : `${formatBytes(loaded)} of ${formatBytes(total)} sent`;
  return (
    <Stack gap={4}>
      <Progress
        value={state.phase === 'preparing' ? 0 : pct}
        animated={state.phase !== 'sending'}
        aria-label={`Upload of ${state.file}`}
      />
      <Text size="xs" c="dimmed" aria-live="polite">
        {state.file}: {text} ({pct}%)
      </Text>
    </Stack>
  );
}
