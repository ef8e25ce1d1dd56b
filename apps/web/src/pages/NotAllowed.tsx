import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useSession } from '../session';

/** A deep link to a page the member's access role (or a limited sign-in) may not open. */
export function NotAllowedPage() {
  const session = useSession();
  const first = session.scope_ids[0];
  return (
    <Stack>
      <Title order={1}>Not allowed</Title>
      {session.purpose ? (
        <Text>
          This sign-in came from an acknowledgement link: it only opens the policies the link was sent for.
          Sign out, then sign in with your email to use the rest of the console.{' '}
          {first && (
            <Anchor component={Link} to={`/acknowledge/${first}`}>
              Back to the policies to acknowledge
            </Anchor>
          )}
        </Text>
      ) : (
        <Text>
          Your access role ({session.access_role}) may not open this page. Ask a workspace admin if you need
          it.{' '}
          <Anchor component={Link} to="/me">
            Go to my obligations
          </Anchor>
          .
        </Text>
      )}
    </Stack>
  );
}
