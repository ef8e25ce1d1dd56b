import { assertRouteRoles } from './http';

describe('assertRouteRoles', () => {
  it('refuses, at mount time, a token write that names no roles', () => {
    expect(() => assertRouteRoles({ method: 'post', path: '/x', summary: 's', tag: 't' })).toThrow(
      'Route POST /x must declare its roles',
    );
  });

  it('accepts reads, writes with roles, and public or custom routes', () => {
    expect(() => assertRouteRoles({ method: 'get', path: '/x', summary: 's', tag: 't' })).not.toThrow();
    expect(() =>
      assertRouteRoles({ method: 'post', path: '/x', summary: 's', tag: 't', roles: ['ADMIN'] }),
    ).not.toThrow();
    expect(() =>
      assertRouteRoles({ method: 'post', path: '/ack/:t', summary: 's', tag: 't', auth: 'custom' }),
    ).not.toThrow();
  });
});
