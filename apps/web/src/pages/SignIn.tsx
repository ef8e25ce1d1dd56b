import { Alert, Button, Center, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router-dom';
import { requestSignInLink } from '../api/auth';
import { ProblemAlert } from '../components/states';
import { useSessionQuery } from '../session';

const ERRORS: Record<string, string> = {
  link_expired: 'That sign-in link has expired or was already used. Ask for a new one below.',
  ack_link_expired:
    'That acknowledgement link has expired or was already used. Sign in below: My obligations shows what is still waiting for you.',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Email form → "check your mail"; the link in the mail signs in (GET /auth/callback). */
export function SignInPage() {
  const [params] = useSearchParams();
  const session = useSessionQuery();
  const [email, setEmail] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const send = useMutation({ mutationFn: (address: string) => requestSignInLink(address) });
  const error = params.get('error');
  if (session.data) return <Navigate to={params.get('next') ?? '/'} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = email.trim();
    if (!EMAIL.test(value)) {
      setInvalid('Enter a valid email address');
      return;
    }
    setInvalid(null);
    send.mutate(value);
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
        <Stack>
          <Title order={1} size="h2">
            Sign in to Vigil
          </Title>
          {error && (
            <Alert color="orange" title="Sign-in link not valid" role="alert">
              {ERRORS[error] ?? `Sign-in failed (${error}).`}
            </Alert>
          )}
          {send.isSuccess ? (
            <Alert color="green" title="Check your mail" role="status">
              If {email.trim()} belongs to a member, a sign-in link is on its way. It works once, for 15
              minutes.
            </Alert>
          ) : (
            <form onSubmit={submit} noValidate>
              <Stack>
                <Text size="sm">We send a one-time sign-in link to your work email.</Text>
                <TextInput
                  label="Work email"
                  type="email"
                  autoComplete="email"
                  required
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                  error={invalid}
                />
                {send.isError && <ProblemAlert error={send.error} title="Could not send the link" />}
                <Button type="submit" loading={send.isPending}>
                  Email me a sign-in link
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
