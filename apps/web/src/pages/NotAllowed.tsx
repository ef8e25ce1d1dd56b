import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useSession } from '../session';

/** A deep link to a page the member's access role may not open. */
export function NotAllowedPage() {
  const session = useSession();
  return (
    <Stack>
      <Title order={1}>Not allowed</Title>
      <Text>
        Your access role ({session.access_role}) may not open this page. Ask a workspace admin if you need it.{' '}
        <Anchor component={Link} to="/me">
          Go to my obligations
        </Anchor>
        .
      </Text>
    </Stack>
  );
}
