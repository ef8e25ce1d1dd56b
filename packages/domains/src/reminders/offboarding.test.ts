import { reassignOnOffboard } from './offboarding';
import { members, ops, owner, sec, teams } from './routing.fixtures';

describe('reassignOnOffboard', () => {
  it('hands instances to the backup, else round robin in the team, else unassigned', () => {
    const plan = reassignOnOffboard({
      leaverId: 'alice',
      openInstances: [
        { id: 'i1', ownerId: 'alice', teamId: 'sec', controlId: 'CC6.1', domain: 'security' },
        { id: 'i2', ownerId: 'alice', teamId: 'ops' },
        { id: 'i3', ownerId: 'alice', teamId: 'ops' },
        { id: 'i4', ownerId: 'alice', teamId: null },
        { id: 'i5', ownerId: 'bob', teamId: 'ops' },
      ],
      controlOwners: [
        owner({}),
        owner({ id: 'co2', controlId: 'CC7.2', primaryOwnerId: 'c', backupOwnerId: 'alice' }),
      ],
      members: members(['alice', 'bob', 'a', 'b', 'c']),
      teams: teams(ops, sec),
      roundRobinCursors: { ops: 0 },
    });
    expect(plan.instanceUpdates).toEqual([
      { instanceId: 'i1', ownerId: 'bob', teamId: 'sec', via: 'CONTROL_OWNER_BACKUP' },
      { instanceId: 'i2', ownerId: 'b', teamId: 'ops', via: 'ROUND_ROBIN' },
      { instanceId: 'i3', ownerId: 'c', teamId: 'ops', via: 'ROUND_ROBIN' },
      { instanceId: 'i4', ownerId: null, teamId: null, via: 'UNASSIGNED' },
    ]);
    expect(plan.cursorUpdates).toEqual({ ops: 2 });
    expect(plan.controlOwnerUpdates).toEqual([
      { id: 'co1', primaryOwnerId: 'bob', backupOwnerId: null },
      { id: 'co2', primaryOwnerId: 'c', backupOwnerId: null },
    ]);
  });

  it('never picks the leaver or an inactive backup, and matches rows by owner and team without a control', () => {
    const plan = reassignOnOffboard({
      leaverId: 'a',
      openInstances: [
        { id: 'i1', ownerId: 'a', teamId: 'ops' },
        { id: 'i2', ownerId: 'a', teamId: 'sec' },
      ],
      controlOwners: [
        owner({ id: 'co1', primaryOwnerId: 'a', backupOwnerId: 'zed', teamId: 'ops' }),
        owner({ id: 'co2', primaryOwnerId: 'a', backupOwnerId: 's2', teamId: 'sec' }),
        owner({ id: 'co3', primaryOwnerId: 'a', backupOwnerId: 'a', teamId: null }),
      ],
      members: members(['a', 'b', 's2'], ['c', 'zed']),
      teams: teams(ops, sec),
      roundRobinCursors: {},
    });
    expect(plan.instanceUpdates).toEqual([
      { instanceId: 'i1', ownerId: 'b', teamId: 'ops', via: 'ROUND_ROBIN' },
      { instanceId: 'i2', ownerId: 's2', teamId: 'sec', via: 'CONTROL_OWNER_BACKUP' },
    ]);
    expect(plan.controlOwnerUpdates).toEqual([
      { id: 'co1', primaryOwnerId: null, backupOwnerId: 'zed' },
      { id: 'co2', primaryOwnerId: 's2', backupOwnerId: null },
      { id: 'co3', primaryOwnerId: null, backupOwnerId: null },
    ]);
  });
});
