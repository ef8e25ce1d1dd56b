import { peopleHooks } from './hooks';
import { DOMAIN_MODULES } from './modules';
import { registerWorkflowStarter } from './obligations/commands';
import { registerKind } from './obligations/kinds';

let registered = false;

/** Wires every domain's obligation kinds and people hooks. Idempotent; called by each composition root. */
export function registerDomains(): void {
  if (registered) return;
  registered = true;
  for (const m of DOMAIN_MODULES) {
    for (const k of m.kinds ?? []) registerKind(k);
    for (const [kind, starter] of Object.entries(m.workflowStarters ?? {}))
      registerWorkflowStarter(kind, starter);
    peopleHooks.memberScopeChanged.push(...(m.hooks?.memberScopeChanged ?? []));
    peopleHooks.memberOffboarded.push(...(m.hooks?.memberOffboarded ?? []));
  }
}
