import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';

export function NotFoundPage() {
  return (
    <Stack>
      <Title order={1}>Page not found</Title>
      <Text>
        This page does not exist.{' '}
        <Anchor component={Link} to="/">
          Go to the overview
        </Anchor>
        .
      </Text>
    </Stack>
  );
}
