import { AppShell, Badge, Burger, Button, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Outlet, NavLink as RouterLink, useLocation, useNavigate } from 'react-router-dom';
import { signOut } from './api/auth';
import { useApiMutation } from './components/mutation';
import { navFor } from './routes';
import { useSession } from './session';

/** The signed-in layout: header with the workspace and member, navigation, sign-out. */
export function Shell() {
  const session = useSession();
  const [opened, { toggle }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const out = useApiMutation(() => signOut(), {
    onSuccess: () => {
      qc.clear();
      navigate('/sign-in', { replace: true });
    },
  });
  const links = navFor(session);
  // The link of the page shown: the longest one the path is under (/escalation/matrices, not /escalation).
  const under = (to: string) =>
    to === '/'
      ? location.pathname === '/'
      : location.pathname === to || location.pathname.startsWith(`${to}/`);
  const activeLink = links.filter((l) => under(l.to)).sort((a, b) => b.to.length - a.to.length)[0]?.to;
  return (
    <AppShell
      padding="md"
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={2} size="h4">
              Vigil
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="xs">
              {session.workspace_name}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="sm">
              {session.name}
            </Text>
            <Badge variant="light" aria-label={`Access role ${session.access_role}`}>
              {session.access_role}
            </Badge>
            <Button size="xs" variant="default" onClick={() => out.mutate(undefined)} loading={out.isPending}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {/* An admin's navigation is taller than a laptop screen: it scrolls on its own, apart from the page. */}
        <AppShell.Section grow component={ScrollArea} type="auto">
          {links.map((item) => (
            <NavLink
              key={item.to}
              component={RouterLink}
              to={item.to}
              label={item.label}
              active={item.to === activeLink}
            />
          ))}
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
