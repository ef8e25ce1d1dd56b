import { Button, type ButtonProps, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useSession } from '../session';

/**
 * An action button; when the member's access role may not use it, disabled with the reason. For a
 * read-only member (an auditor) a control they may not use is not rendered at all.
 */
export function RoleButton({
  allowed,
  children,
  onClick,
  reason = 'Your access role may not do this',
  ...props
}: ButtonProps & {
  allowed: boolean;
  children: ReactNode;
  onClick?: () => void;
  reason?: string;
  type?: 'button' | 'submit';
  'aria-label'?: string;
}) {
  const session = useSession();
  if (allowed)
    return (
      <Button {...props} onClick={onClick}>
        {children}
      </Button>
    );
  if (session.read_only) return null;
  return (
    <Tooltip label={reason}>
      <Button
        {...props}
        data-disabled
        aria-disabled="true"
        title={reason}
        onClick={(e) => e.preventDefault()}
      >
        {children}
      </Button>
    </Tooltip>
  );
}
