import { peopleHooks } from './hooks';
import { DOMAIN_MODULES } from './modules';
import { registerWorkflowStarter } from './obligations/commands';
import { registerKind } from './obligations/kinds';

let registered = false;

/** Wires every domain's obligation kinds, workflow starters and people hooks. Idempotent; called by each composition root. */
export function registerDomains(): void {
  if (registered) return;
  registered = true;
  for (const m of DOMAIN_MODULES) {
    for (const k of m.kinds ?? []) registerKind(k);
    for (const [kind, start] of Object.entries(m.workflowStarters ?? {}))
      registerWorkflowStarter(kind, start);
    peopleHooks.memberScopeChanged.push(...(m.hooks?.memberScopeChanged ?? []));
    peopleHooks.memberOffboarded.push(...(m.hooks?.memberOffboarded ?? []));
    peopleHooks.offboardPreview.push(...(m.hooks?.offboardPreview ?? []));
  }
}
