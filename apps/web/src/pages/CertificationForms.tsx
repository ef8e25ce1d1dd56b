import { Button, Checkbox, Modal, NumberInput, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMembers } from '../api/lookups';
import { useApiMutation } from '../components/mutation';
import { useSession } from '../session';

const invalidate = [['held-certifications'], ['certifications'], ['reports'], ['ladder']] as const;
/** A `yyyy-MM-dd` picked in the viewer's time zone, as the instant of its local midnight. */
const dayToIso = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);

export function CreateCertificationModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [issuer, setIssuer] = useState('');
  const [months, setMonths] = useState<number | string>(12);
  const [required, setRequired] = useState(false);
  const create = useApiMutation(
    () =>
      unwrap(
        api.POST('/compliance/certifications', {
          body: {
            name: name.trim(),
            issuing_authority: issuer.trim() || null,
            validity_months: months === '' ? null : Number(months),
            is_required: required,
          },
        }),
      ),
    { success: 'Certification defined', invalidate: [['certifications']], onSuccess: onClose },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate(undefined);
  };
  return (
    <Modal opened={opened} onClose={onClose} title="New certification">
      <form onSubmit={submit}>
        <Stack>
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput
            label="Issuing authority"
            value={issuer}
            onChange={(e) => setIssuer(e.currentTarget.value)}
          />
          <NumberInput label="Valid for (months)" min={1} value={months} onChange={setMonths} />
          <Checkbox
            label="Required for every member"
            checked={required}
            onChange={(e) => setRequired(e.currentTarget.checked)}
          />
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            Create
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

export function RevokeModal({ id, onClose }: { id: string | null; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const revoke = useApiMutation(
    () =>
      unwrap(
        api.POST('/compliance/developer-certifications/{id}/revoke', {
          params: { path: { id: id ?? '' } },
          body: { reason: reason.trim() },
        }),
      ),
    {
      success: 'Certification revoked',
      invalidate,
      onSuccess: onClose,
    },
  );
  return (
    <Modal opened={id !== null} onClose={onClose} title="Revoke certification">
      <Stack>
        <Textarea label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Button
          color="red"
          disabled={!reason.trim()}
          loading={revoke.isPending}
          onClick={() => revoke.mutate(undefined)}
        >
          Revoke
        </Button>
      </Stack>
    </Modal>
  );
}

/** Record a certification a member holds: the dates default from the definition's validity. */
export function AddHeldModal({
  opened,
  onClose,
  catalogue,
}: {
  opened: boolean;
  onClose: () => void;
  catalogue: Array<{ id: string; name: string; validity_months: number | null }>;
}) {
  const session = useSession();
  const members = useMembers();
  const [developer, setDeveloper] = useState<string | null>(session.member_id);
  const [cert, setCert] = useState<string | null>(null);
  const [issued, setIssued] = useState('');
  const [expiry, setExpiry] = useState('');
  const [credential, setCredential] = useState('');
  const add = useApiMutation(
    () =>
      unwrap(
        api.POST('/compliance/developer-certifications', {
          body: {
            developer_id: developer ?? '',
            certification_id: cert ?? '',
            issued_date: dayToIso(issued),
            expiry_date: dayToIso(expiry),
            credential_id: credential.trim() || null,
          },
        }),
      ),
    {
      success: 'Certification recorded',
      invalidate,
      onSuccess: () => {
        setCert(null);
        setIssued('');
        setExpiry('');
        setCredential('');
        onClose();
      },
    },
  );
  const validity = catalogue.find((c) => c.id === cert)?.validity_months;
  return (
    <Modal opened={opened} onClose={onClose} title="Add a certification to a member">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (developer && cert) add.mutate(undefined);
        }}
      >
        <Stack>
          <Select
            label="Member"
            required
            searchable
            data={memberOptions(members.data?.data ?? [])}
            value={developer}
            onChange={setDeveloper}
          />
          <Select
            label="Certification"
            required
            searchable
            data={catalogue.map((c) => ({ value: c.id, label: c.name }))}
            value={cert}
            onChange={setCert}
          />
          <TextInput
            label="Issued on"
            type="date"
            value={issued}
            onChange={(e) => setIssued(e.currentTarget.value)}
          />
          <TextInput
            label="Expires on"
            type="date"
            description={
              validity
                ? `Leave empty for issued date + ${validity} months`
                : 'Leave empty: this certification does not expire'
            }
            value={expiry}
            onChange={(e) => setExpiry(e.currentTarget.value)}
          />
          <TextInput
            label="Credential id"
            value={credential}
            onChange={(e) => setCredential(e.currentTarget.value)}
          />
          <Button type="submit" loading={add.isPending} disabled={!developer || !cert}>
            Add certification
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

/** Renew a held certification with its new dates; the expiry plan starts over. */
export function RenewModal({ id, onClose }: { id: string | null; onClose: () => void }) {
  const [expiry, setExpiry] = useState('');
  const [credential, setCredential] = useState('');
  const renew = useApiMutation(
    () =>
      unwrap(
        api.POST('/compliance/developer-certifications/{id}/renew', {
          params: { path: { id: id ?? '' } },
          body: {
            issued_date: new Date().toISOString(),
            ...(expiry && { expiry_date: dayToIso(expiry) }),
            ...(credential.trim() && { credential_id: credential.trim() }),
          },
        }),
      ),
    {
      success: (h) => `Certification renewed: ${h.status.toLowerCase().replaceAll('_', ' ')}`,
      invalidate,
      onSuccess: () => {
        setExpiry('');
        setCredential('');
        onClose();
      },
    },
  );
  return (
    <Modal opened={id !== null} onClose={onClose} title="Renew certification">
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          renew.mutate(undefined);
        }}
      >
        <Stack>
          <TextInput
            label="New expiry"
            type="date"
            description="Leave empty for today + the certification's validity"
            value={expiry}
            onChange={(e) => setExpiry(e.currentTarget.value)}
          />
          <TextInput
            label="New credential id"
            value={credential}
            onChange={(e) => setCredential(e.currentTarget.value)}
          />
          <Button type="submit" loading={renew.isPending}>
            Renew
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
