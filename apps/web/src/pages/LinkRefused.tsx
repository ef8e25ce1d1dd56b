import { Alert, Button, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { signOut } from '../api/auth';
import { sessionQueryKey, useSession } from '../session';

/** Where an acknowledgement link lands when someone other than its member is signed in. */
export function LinkRefusedPage() {
  const session = useSession();
  const qc = useQueryClient();
  return (
    <Stack maw={640}>
      <Title order={1}>This link is for someone else</Title>
      <Alert color="orange" title="Nothing was recorded" role="alert">
        <Text size="sm">
          The acknowledgement link you opened was sent to another member. You are signed in as {session.name}{' '}
          ({session.email}), so the link was not used: it acknowledged nothing, neither for you nor for them.
        </Text>
      </Alert>
      <Text size="sm">
        If the link was sent to you under another account, sign out and open the link again. If it was
        forwarded to you, ask its owner to open it themselves.
      </Text>
      <div>
        <Button
          variant="default"
          onClick={async () => {
            await signOut().catch(() => undefined);
            await qc.invalidateQueries({ queryKey: sessionQueryKey });
          }}
        >
          Sign out
        </Button>
      </div>
    </Stack>
  );
}
